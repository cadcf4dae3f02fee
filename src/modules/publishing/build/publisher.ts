/**
 * The publisher: renders page groups and writes them (incremental publishing), rebuilds
 * everything (full build), and repairs the output when it was changed behind its back (tamper
 * check, tamper.ts).
 *
 * One publish at a time: within the process a promise chain serialises publishes, full builds
 * and tamper repairs (two jobs rendering the same group from different moments could otherwise
 * write the older state last); on PostgreSQL a session advisory lock extends that to every
 * worker process sharing the database. Each run reads the database after taking the lock, so
 * the last run always writes the newest state.
 */
import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Store } from '../../../db/index.js';
import type { Clock } from '../../../lib/time.js';
import { PORTAL_CODE } from '../../sites/index.js';
import { TRADITIONAL_PREFIX } from '../model.js';
import { affectedGroups } from './affected.js';
import { BuildData, LISTING_KINDS } from './data.js';
import { DbManifest, type Manifest } from './manifest.js';
import { ModelBuilder } from './models.js';
import {
  EVERYTHING,
  articleGroup,
  assetsGroup,
  columnGroup,
  columnMoreGroup,
  isDeferrable,
  homeGroup,
  isCompressible,
  notFoundGroup,
  parseGroup,
  placementGroup,
  redirectGroup,
  rssGroup,
  sitemapGroup,
  wholeSiteOf,
} from './pages.js';
import { recordRedirects } from './redirects.js';
import { type PageRenderer, type RenderFailure, type RenderMemo, GroupRenderer } from './render.js';
import { type GroupOutput, Writer, isTmpName, listFiles } from './writer.js';

export interface PublisherOptions {
  store: Store;
  renderer: PageRenderer;
  /** The static output (data/public). */
  publicDir: string;
  /** Origin of absolute URLs in meta tags, feeds and sitemaps. */
  publicUrl: string;
  clock: Clock;
  log: Logger;
  /** Default: the `published_files` table. A MemoryManifest builds elsewhere without touching it. */
  manifest?: Manifest;
  /** fsync each file before renaming it into place (default true). */
  fsync?: boolean;
  /** Groups rendered and written together (default 150). */
  batchSize?: number;
}

export interface PublishResult {
  groups: number;
  pages: number;
  files: number;
  written: string[];
  removed: string[];
  failures: RenderFailure[];
  ms: number;
}

export type Progress = (done: number, total: number, pages: number) => void | Promise<void>;

/** Groups rendered and written together (one manifest round trip per batch). */
const BATCH = 150;
/** Arbitrary constant naming the publisher's PostgreSQL advisory lock. */
const LOCK_KEY = 7420118;

export class Publisher {
  readonly store: Store;
  readonly renderer: PageRenderer;
  readonly manifest: Manifest;
  readonly writer: Writer;
  readonly publicUrl: string;
  readonly clock: Clock;
  readonly log: Logger;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly batch: number;
  /** What each page was last rendered from (see RenderMemo). */
  private readonly memo: RenderMemo = new Map();

  constructor(opts: PublisherOptions) {
    this.store = opts.store;
    this.renderer = opts.renderer;
    this.manifest = opts.manifest ?? new DbManifest(opts.store.db);
    this.writer = new Writer({ publicDir: opts.publicDir, manifest: this.manifest, clock: opts.clock, fsync: opts.fsync ?? true });
    this.publicUrl = opts.publicUrl;
    this.clock = opts.clock;
    this.log = opts.log;
    this.batch = opts.batchSize ?? BATCH;
  }

  get publicDir(): string {
    return this.writer.publicDir;
  }

  /** Runs `fn` alone: after every earlier publish of this process, under the database-wide lock. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.store.dialect !== 'postgres') return fn();
      return this.store.db.connection().execute(async (conn) => {
        await sql`SELECT pg_advisory_lock(${LOCK_KEY})`.execute(conn);
        try {
          return await fn();
        } finally {
          await sql`SELECT pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
        }
      });
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private fresh(data = new BuildData(this.store.db)): { data: BuildData; renderer: GroupRenderer } {
    const models = new ModelBuilder(data, { publicUrl: this.publicUrl });
    return { data, renderer: new GroupRenderer(data, models, this.renderer, this.memo) };
  }

  /** After templates changed outside an event (e.g. theme files on disk): forget what pages were rendered from. */
  invalidate(siteId?: number): void {
    this.renderer.invalidate?.(siteId);
    if (siteId === undefined) this.memo.clear();
    else for (const [path, e] of this.memo) if (e.siteId === siteId) this.memo.delete(path);
  }

  /** Renders and writes these groups (`site:<id>:*` = every group of a site, `*` = a full build). */
  publishGroups(groups: readonly string[], opts: { force?: ReadonlySet<string>; onProgress?: Progress } = {}): Promise<PublishResult> {
    if (groups.includes(EVERYTHING)) return this.fullBuild(opts.onProgress);
    return this.withLock(() => this.publishHoldingLock(groups, opts));
  }

  /**
   * The groups an event changes, published (redirects a move leaves behind recorded first). With
   * `defer`, the deferrable groups (deep list pages, which only shift) are handed to it before the
   * rest is published — it queues them as a job of their own, so a crash in between loses nothing
   * — and what a visitor sees first is on disk sooner.
   */
  publishEvent(event: string, payload: Record<string, unknown>, opts: { onProgress?: Progress; defer?: (groups: string[]) => Promise<void> } = {}): Promise<PublishResult> {
    return this.withLock(async () => {
      const { data } = this.fresh();
      if (event === 'template.changed' || event === 'site.updated') this.invalidate(typeof payload.siteId === 'number' ? payload.siteId : undefined);
      let groups = await affectedGroups(data, event, payload, (rows) => recordRedirects(this.store.db, rows, this.clock()));
      if (opts.defer) {
        const later = groups.filter(isDeferrable);
        if (later.length > 0) {
          await opts.defer(later);
          groups = groups.filter((g) => !isDeferrable(g));
        }
      }
      // The same data the groups were worked out from (loaded after the lock was taken).
      const result = await this.publishHoldingLock(groups, { ...opts, data });
      if (event === 'site.updated' && Array.isArray(payload.changed) && payload.changed.includes('deleted') && typeof payload.fromCode === 'string') {
        // A deleted site's manifest rows went with it (ON DELETE CASCADE): its files are removed here.
        result.removed.push(...(await this.sweepUnlisted(payload.fromCode)));
      }
      return result;
    });
  }

  /** publishGroups for a caller that already holds the lock (withLock), e.g. the tamper repair. */
  async publishHoldingLock(names: readonly string[], opts: { force?: ReadonlySet<string>; onProgress?: Progress; data?: BuildData }): Promise<PublishResult> {
    const t0 = performance.now();
    const { data, renderer } = this.fresh(opts.data);
    const groups = new Set<string>();
    for (const n of names) {
      const siteId = wholeSiteOf(n);
      if (siteId !== null) for (const g of await this.siteGroups(data, siteId)) groups.add(g);
      else if (parseGroup(n)) groups.add(n);
      else this.log.warn({ group: n }, 'unknown page group ignored');
    }
    const list = [...groups].sort();
    const result: PublishResult = { groups: list.length, pages: 0, files: 0, written: [], removed: [], failures: [], ms: 0 };
    for (let i = 0; i < list.length; i += this.batch) {
      const { outputs, failures } = await renderer.renderMany(list.slice(i, i + this.batch));
      const w = await this.writer.write(outputs, { force: opts.force });
      result.pages += w.pages;
      result.files += w.files;
      result.written.push(...w.written);
      result.removed.push(...w.removed);
      result.failures.push(...failures);
      await opts.onProgress?.(Math.min(i + this.batch, list.length), list.length, result.pages);
    }
    for (const f of result.failures) this.log.error({ group: f.group, error: f.message }, 'page group not rendered: template error');
    result.ms = Math.round(performance.now() - t0);
    return result;
  }

  /** Every group a site has now, and every group the manifest still holds for it. */
  async siteGroups(data: BuildData, siteId: number): Promise<string[]> {
    const out = new Set<string>();
    const site = await data.site(siteId);
    if (site?.status === 'open') {
      for (const g of await this.openSiteGroups(data, siteId)) out.add(g);
    }
    for (const r of await this.manifest.ofSite(siteId)) out.add(r.group);
    // A theme change: the new theme's assets, and any theme nobody uses any more goes.
    for (const s of await data.cluster()) out.add(assetsGroup(s.theme));
    for (const g of await this.manifest.groupsWithPrefix('assets:')) out.add(g);
    return [...out];
  }

  /** The groups of an open site, in build order. */
  private async openSiteGroups(data: BuildData, siteId: number): Promise<string[]> {
    const out: string[] = [];
    for (const c of await data.siteColumns(siteId)) {
      if (c.kind === 'link') continue;
      out.push(columnGroup(c.id));
      if (LISTING_KINDS.includes(c.kind)) out.push(columnMoreGroup(c.id), rssGroup(c.id));
    }
    const ids = await data.siteItemIds(siteId);
    out.push(...ids.articles.map(articleGroup), ...ids.placements.map(placementGroup));
    out.push(homeGroup(siteId), sitemapGroup(siteId), notFoundGroup(siteId));
    out.push(...(await data.redirectPaths(siteId)).map(redirectGroup));
    return out;
  }

  /**
   * Rebuilds everything from the database: every group of every open site, redirects and theme
   * assets; then removes whatever the manifest or the disk holds that this build did not
   * produce (closed sites, leftovers of a crash, stray files), and temporary files.
   */
  fullBuild(onProgress?: Progress): Promise<PublishResult> {
    return this.withLock(async () => {
      const t0 = performance.now();
      await this.sweepTemporary();
      const { data, renderer } = this.fresh();
      const sites = await data.cluster();
      const perSite: { siteId: number | null; groups: string[] }[] = [];
      for (const s of sites) perSite.push({ siteId: s.id, groups: await this.openSiteGroups(data, s.id) });
      const orphanRedirects = (await data.redirectPaths()).map(redirectGroup);
      perSite.push({ siteId: null, groups: [...new Set([...orphanRedirects, ...sites.map((s) => assetsGroup(s.theme))])] });
      const total = perSite.reduce((n, s) => n + s.groups.length, 0);

      const result: PublishResult = { groups: total, pages: 0, files: 0, written: [], removed: [], failures: [], ms: 0 };
      const produced = new Set<string>();
      const failed = new Set<string>();
      let done = 0;
      // Pipelined: batch N is compressed and written (thread pool, disk) while batch N+1 renders.
      let inflight: Promise<void> | undefined;
      for (const s of perSite) {
        const groups = [...new Set(s.groups)];
        for (let i = 0; i < groups.length; i += this.batch) {
          const batch = groups.slice(i, i + this.batch);
          const { outputs, failures } = await renderer.renderMany(batch);
          for (const f of failures) failed.add(f.group);
          for (const o of outputs) for (const p of pathsOf(o)) produced.add(p);
          result.failures.push(...failures);
          await inflight;
          inflight = this.writer.write(outputs).then(async (w) => {
            result.pages += w.pages;
            result.files += w.files;
            result.written.push(...w.written);
            result.removed.push(...w.removed);
            done += batch.length;
            await onProgress?.(done, total, result.pages);
          });
          inflight.catch(() => undefined); // rethrown by the next await
        }
        if (s.siteId !== null) data.forgetSite(s.siteId);
      }
      await inflight;

      // What the manifest holds that this build did not produce: closed sites, deleted things.
      const rows = await this.manifest.all();
      const gone = rows.filter((r) => !produced.has(r.path) && !failed.has(r.group)).map((r) => r.path);
      await this.manifest.deletePaths(gone);
      // Files nobody produced (a crash between row and file, or files put there by hand).
      const keep = new Set([...produced, ...rows.filter((r) => failed.has(r.group)).map((r) => r.path)]);
      const stray = (await listFiles(this.publicDir)).filter((p) => !keep.has(p));
      await this.writer.unlinkAll([...new Set([...gone, ...stray])]);
      result.removed.push(...gone, ...stray);
      for (const f of result.failures) this.log.error({ group: f.group, error: f.message }, 'page group not rendered: template error');
      result.ms = Math.round(performance.now() - t0);
      return result;
    });
  }

  /** Deletes the files under a (deleted) site's folders that the manifest does not list (call under the lock). */
  async sweepUnlisted(siteCode: string): Promise<string[]> {
    if (siteCode === PORTAL_CODE || !/^[a-z][a-z0-9-]{1,30}$/.test(siteCode)) return [];
    const found: string[] = [];
    for (const dir of [`/${siteCode}`, `${TRADITIONAL_PREFIX}/${siteCode}`]) found.push(...(await listFiles(this.writer.absFound(dir))).map((p) => dir + p));
    const listed = await this.manifest.get(found);
    const gone = found.filter((p) => !listed.has(p));
    await this.writer.unlinkAll(gone);
    return gone;
  }

  /** Deletes temporary files a killed writer left behind (call under the lock). */
  async sweepTemporary(): Promise<string[]> {
    const tmp = (await listFiles(this.publicDir)).filter((p) => isTmpName(p.slice(p.lastIndexOf('/') + 1)));
    await this.writer.unlinkAll(tmp);
    return tmp;
  }
}

/** Every path a group output occupies (main files and their precompressed siblings). */
export function pathsOf(o: GroupOutput): string[] {
  return o.files.flatMap((f) => (isCompressible(f.path) ? [f.path, `${f.path}.gz`, `${f.path}.br`] : [f.path]));
}
