/**
 * The publisher's jobs. Every event that changes public pages is fanned out (after its
 * transaction committed) to a job of its own type, `publishing.on.<event>`, whose handler works
 * out the affected groups from the database as it is when the job runs and publishes them —
 * so a job that runs late, or twice, still writes the newest state.
 *
 *   publishing.on.<event>     one per event in PUBLISHING_EVENTS
 *   publishing.render         {groups: string[]}: publish these groups (`site:<id>:*`, `*` allowed)
 *   publishing.full_build     {signature?}: rebuild everything (and record the build signature, freshness.ts)
 *   publishing.tamper_check   every 300 s: compare public/ with the manifest and repair
 */
import path from 'node:path';
import type { DB } from '../../../db/index.js';
import { iso } from '../../../lib/time.js';
import type { JiyueApp } from '../../../app.js';
import { PUBLISHING_EVENTS } from './affected.js';
import { recordSignature } from './freshness.js';
import { type JobContext, enqueue } from '../../jobs/index.js';
import { type Progress, Publisher, type PublishResult } from './publisher.js';
import type { PageRenderer } from './render.js';
import { tamperCheck } from './tamper.js';

export const RENDER_JOB = 'publishing.render';
export const FULL_BUILD_JOB = 'publishing.full_build';
export const TAMPER_CHECK_JOB = 'publishing.tamper_check';
export const TAMPER_CHECK_SECONDS = 300;
export const eventJob = (event: string): string => `publishing.on.${event}`;
/** How often deep list pages let waiting publications go first. */
const MAX_YIELDS = 20;
/** Well inside the worker's 60 s lease. */
const LEASE_KEEPALIVE_MS = 20_000;

export interface PublishingDeps {
  renderer: PageRenderer;
  /** Default: `<dataDir>/public`. */
  publicDir?: string;
  /** fsync each written file (default true). */
  fsync?: boolean;
  /** Told the public paths written or removed (the static server's cache). */
  onChange?: (paths: string[]) => void | Promise<void>;
}

/**
 * Queues deep list pages (deferrable groups) to follow the event that shifted them, as a
 * `publishing.render` job marked `deferred`. Coalesced: a burst of publications in one column
 * queues them once. A job still *pending* with the same groups is enough, because this runs under
 * the publisher's lock after the event's change committed: that job takes the lock after us and
 * reads the database then. A *running* one is not (it may have read the database before the
 * change), which is why the queue's dedupe key (pending or running) is not used.
 */
export async function deferGroups(db: DB, groups: readonly string[], now: Date): Promise<void> {
  const key = JSON.stringify([...groups].sort());
  const pending = await db.selectFrom('jobs').select('payload').where('type', '=', RENDER_JOB).where('status', '=', 'pending').execute();
  if (pending.some((j) => JSON.stringify(parseGroups(j.payload)) === key)) return;
  await enqueue(db, RENDER_JOB, { groups: JSON.parse(key), deferred: true, yields: 0 }, now);
}

const parseGroups = (json: string): string[] => {
  try {
    const p = JSON.parse(json) as { groups?: unknown };
    return Array.isArray(p.groups) ? p.groups.filter((g): g is string => typeof g === 'string').sort() : [];
  } catch {
    return [];
  }
};

/** Is an event or an event's publishing job waiting? Deferred renders let those go first. */
async function eventsWaiting(db: DB, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'pending')
    .where('run_at', '<=', iso(now))
    .where((eb) => eb.or([eb('type', '=', 'event'), eb('type', 'like', 'publishing.on.%')]))
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/** The publisher of an app, with its jobs registered. */
export function registerPublishingJobs(app: JiyueApp, deps: PublishingDeps): Publisher {
  const { config, store, clock, log } = app.deps;
  const publisher = new Publisher({
    store,
    renderer: deps.renderer,
    publicDir: deps.publicDir ?? path.join(config.dataDir, 'public'),
    publicUrl: config.publicUrl,
    clock,
    log: log.child({ module: 'publishing' }),
    fsync: deps.fsync ?? true,
  });
  const changed = async (r: PublishResult) => {
    const paths = [...r.written, ...r.removed];
    if (paths.length > 0 && deps.onChange) await deps.onChange(paths);
  };
  /**
   * Runs a publishing job, keeping its lease alive while it waits for the publisher (publishes run
   * one at a time; a full build can take minutes) and while it runs.
   */
  const leased = async <T>(jc: JobContext, work: (progress: Progress) => Promise<T>): Promise<T> => {
    let last: [number, number] = [0, 0];
    const timer = setInterval(() => void jc.progress(last[0], last[1], 'publishing').catch(() => undefined), LEASE_KEEPALIVE_MS);
    try {
      return await work((done, total) => {
        last = [done, total];
        return jc.progress(done, total);
      });
    } finally {
      clearInterval(timer);
    }
  };
  const report = (r: PublishResult) => ({ groups: r.groups, pages: r.pages, written: r.written.length, removed: r.removed.length, failures: r.failures.length, ms: r.ms });

  for (const event of PUBLISHING_EVENTS) {
    const type = eventJob(event);
    app.jobs.handle(type, async (payload, jc) => {
      const data = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
      const defer = (groups: string[]) => deferGroups(store.db, groups, clock());
      const r = await leased(jc, (onProgress) => publisher.publishEvent(event, data, { onProgress, defer }));
      await changed(r);
      jc.log.info({ event, ...report(r) }, 'published');
    });
    app.jobs.subscribe(event, type);
  }
  app.jobs.handle(RENDER_JOB, async (payload, jc) => {
    const groups = Array.isArray(payload?.groups) ? (payload.groups as unknown[]).filter((g): g is string => typeof g === 'string') : [];
    // Deep list pages yield to the publications waiting behind them (a few times at most, so a
    // steady stream of publications cannot starve them): queued again after those.
    const yields = typeof payload?.yields === 'number' ? payload.yields : 0;
    if (payload?.deferred === true && yields < MAX_YIELDS && (await eventsWaiting(store.db, clock()))) {
      await enqueue(store.db, RENDER_JOB, { groups, deferred: true, yields: yields + 1 }, clock());
      return;
    }
    const r = await leased(jc, (onProgress) => publisher.publishGroups(groups, { onProgress }));
    await changed(r);
    jc.log.info(report(r), 'published');
  });
  app.jobs.handle(FULL_BUILD_JOB, async (payload, jc) => {
    const r = await leased(jc, (onProgress) => publisher.fullBuild(onProgress));
    await changed(r);
    // A rebuild asked for because the deployed theme changed: remember what it was built from.
    if (typeof payload?.signature === 'string' && r.failures.length === 0) await recordSignature(store.db, payload.signature, clock());
    jc.log.info(report(r), 'full build');
  });
  app.jobs.handle(TAMPER_CHECK_JOB, async (_payload, jc) => {
    const r = await leased(jc, () => tamperCheck(publisher));
    if (deps.onChange && r.changed.length + r.deleted.length + r.added.length > 0) await deps.onChange([...r.changed, ...r.deleted, ...r.added]);
    jc.log.info({ checked: r.checked, changed: r.changed.length, deleted: r.deleted.length, added: r.added.length, ms: r.ms }, 'tamper check');
  });
  app.jobs.every(TAMPER_CHECK_JOB, TAMPER_CHECK_SECONDS);
  return publisher;
}
