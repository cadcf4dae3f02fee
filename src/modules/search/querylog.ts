/**
 * The query log: every search is noted in memory and written in batches (like page views), so
 * a search costs no write of its own. A crash loses at most the last FLUSH_MS of log lines —
 * statistics, never a citizen's submission. Long digit runs (ID-card, phone and account numbers
 * people paste into search boxes) are masked before anything is stored.
 */
import type { DB } from '../../db/index.js';

const FLUSH_MS = 2000;
const FLUSH_AT = 200;
const MAX_BUFFER = 10_000;

/** Masks runs of 6 or more digits: personal numbers stay out of the log and the hot list. */
export function maskQuery(q: string): string {
  return q.replace(/\d{6,}/g, (m) => '*'.repeat(Math.min(m.length, 18))).slice(0, 100);
}

interface Entry {
  at: string;
  q: string;
  site_id: number | null;
  results: number;
}

export class QueryLog {
  private buffer: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: DB,
    private readonly onError: (err: unknown) => void,
  ) {}

  note(q: string, siteId: number | null, results: number, at: Date): void {
    const masked = maskQuery(q.trim());
    if (!masked) return;
    if (this.buffer.length >= MAX_BUFFER) return; // the database is down: drop rather than grow without bound
    this.buffer.push({ at: at.toISOString(), q: masked, site_id: siteId, results });
    if (this.buffer.length >= FLUSH_AT) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  /** Writes what is buffered (tests and shutdown call it). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) await this.flushing;
    const rows = this.buffer;
    if (rows.length === 0) return;
    this.buffer = [];
    this.flushing = (async () => {
      try {
        for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('search_query_log').values(rows.slice(i, i + 200)).execute();
      } catch (err) {
        this.onError(err);
      }
    })();
    await this.flushing;
    this.flushing = undefined;
  }
}
