/**
 * Page views: `/_v?p=<path>` (a pixel on every page) counts in memory; every 10 seconds (and on
 * close, or early when the map grows past its bound) the counts are added to `page_views` — one
 * row per Beijing day and path — in one transaction. A failed flush keeps its counts for the next.
 */
import type { Logger } from 'pino';
import type { DB } from '../../../db/index.js';
import { beijingParts, type Clock } from '../../../lib/time.js';
import { articleIdOfPath, isCountablePath, siteCodeOfPath } from './paths.js';

export const FLUSH_MS = 10_000;
export const MAX_DISTINCT_PATHS = 100_000;
const ROWS_PER_INSERT = 500;

/** The 1×1 transparent GIF answered to every `/_v` request. */
export const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export const beijingDay = (d: Date): string => {
  const p = beijingParts(d);
  return `${p.y}-${p.m}-${p.d}`;
};

export interface SiteLookup {
  isSiteCode(code: string): boolean;
  siteId(code: string): number | undefined;
}

export interface ViewCounterOptions {
  flushMs?: number;
  maxPaths?: number;
}

export class ViewCounter {
  /** "day path" → views since the last flush. */
  private counts = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;
  private readonly flushMs: number;
  private readonly maxPaths: number;
  private dropped = 0;

  constructor(
    private readonly db: DB,
    private readonly sites: SiteLookup,
    private readonly log: Logger,
    private readonly clock: Clock,
    opts: ViewCounterOptions = {},
  ) {
    this.flushMs = opts.flushMs ?? FLUSH_MS;
    this.maxPaths = opts.maxPaths ?? MAX_DISTINCT_PATHS;
  }

  /** Counts one view of a page path; false (and nothing counted) for junk. */
  count(p: string | null | undefined): boolean {
    if (!p || !isCountablePath(p)) return false;
    const key = `${beijingDay(this.clock())} ${p}`;
    const n = this.counts.get(key);
    if (n !== undefined) this.counts.set(key, n + 1);
    else {
      if (this.counts.size >= this.maxPaths) {
        void this.flush();
        if (this.counts.size >= this.maxPaths * 2) {
          if (this.dropped++ === 0) this.log.warn('page views: too many distinct paths while a flush is running; dropping');
          return false;
        }
      }
      this.counts.set(key, 1);
    }
    this.timer ??= setInterval(() => void this.flush(), this.flushMs).unref();
    return true;
  }

  /** Distinct paths waiting to be written. */
  get pending(): number {
    return this.counts.size;
  }

  /** Writes the counts so far; resolves to the number of rows upserted. One flush at a time. */
  flush(): Promise<number> {
    if (this.flushing) return this.flushing;
    if (this.counts.size === 0) return Promise.resolve(0);
    const batch = this.counts;
    this.counts = new Map();
    this.dropped = 0;
    this.flushing = this.write(batch)
      .catch((err) => {
        this.log.error({ err, paths: batch.size }, 'page views: flush failed; keeping the counts for the next one');
        for (const [k, n] of batch) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
        return 0;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.flushing) await this.flushing;
    await this.flush();
  }

  private async write(batch: Map<string, number>): Promise<number> {
    const rows = [...batch].map(([key, views]) => {
      const space = key.indexOf(' ');
      const path = key.slice(space + 1);
      return { day: key.slice(0, space), path, site_id: this.sites.siteId(siteCodeOfPath(path, this.sites.isSiteCode)) ?? null, article_id: articleIdOfPath(path), views };
    });
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx
          .insertInto('page_views')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) => oc.columns(['day', 'path']).doUpdateSet((eb) => ({ views: eb('page_views.views', '+', eb.ref('excluded.views')) })))
          .execute();
      }
    });
    return rows.length;
  }
}
