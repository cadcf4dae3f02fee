import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import type { Store } from '../../db/index.js';
import pg from 'pg';
import { sql } from 'kysely';
import type { Clock } from '../../lib/time.js';
import { EVENT_JOB, type JobRow, claim, complete, enqueue, failJob, heartbeat } from './queue.js';

/** The PostgreSQL channel on which committed writes announce that jobs may be due. */
export const JOBS_CHANNEL = 'jiyue_jobs';

/**
 * After a committed write: wakes this process's workers, and on PostgreSQL every other
 * process's too (NOTIFY; a worker LISTENs). Never fails the request that called it.
 */
export async function notifyJobs(store: Store, registry: JobRegistry, log: Logger): Promise<void> {
  registry.wake();
  if (store.dialect !== 'postgres') return;
  try {
    await sql`SELECT pg_notify(${JOBS_CHANNEL}, '')`.execute(store.db);
  } catch (err) {
    log.warn({ err }, 'could not notify the job workers; they will poll');
  }
}

export interface JobContext {
  store: Store;
  log: Logger;
  now(): Date;
  /** Records progress and extends the lease; call it from long jobs. */
  progress(done: number, total: number, message?: string): Promise<void>;
}
export type JobHandler = (payload: any, ctx: JobContext, job: JobRow) => Promise<void>;

interface Recurring {
  type: string;
  everySeconds: number;
}

/**
 * What the worker can run: job handlers by type, event subscribers, and recurring jobs.
 * Built at start from the modules; passed explicitly, not a global.
 */
export class JobRegistry {
  readonly handlers = new Map<string, JobHandler>();
  readonly subscribers = new Map<string, string[]>();
  readonly recurring: Recurring[] = [];
  private readonly wakers = new Set<() => void>();

  /**
   * Tells this process's workers that jobs may be due now (the app calls it after every write
   * request, whose transaction has committed by then), so they need not wait for their next poll.
   */
  wake(): void {
    for (const w of this.wakers) w();
  }
  /** A worker's wake-up call; returns the function that removes it. */
  onWake(fn: () => void): () => void {
    this.wakers.add(fn);
    return () => this.wakers.delete(fn);
  }

  handle(type: string, handler: JobHandler): void {
    if (this.handlers.has(type)) throw new Error(`job handler ${type} registered twice`);
    this.handlers.set(type, handler);
  }
  /** After `event` commits, run job `handlerType` with the event's data. */
  subscribe(event: string, handlerType: string): void {
    this.subscribers.set(event, [...(this.subscribers.get(event) ?? []), handlerType]);
  }
  every(type: string, everySeconds: number): void {
    this.recurring.push({ type, everySeconds });
  }
}

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  leaseSeconds?: number;
}

export class Worker {
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly leaseSeconds: number;
  private woken = false;
  private unsubscribe: (() => void) | undefined;
  private listener: pg.Client | undefined;
  private wakeNow: (() => void) | undefined;

  constructor(
    private readonly store: Store,
    private readonly registry: JobRegistry,
    private readonly log: Logger,
    private readonly clock: Clock,
    opts: WorkerOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 4;
    this.pollMs = opts.pollMs ?? 500;
    this.leaseSeconds = opts.leaseSeconds ?? 60;
  }

  /** Ensures every recurring job has a pending run (one per type, by dedupe key). */
  async scheduleRecurring(): Promise<void> {
    for (const r of this.registry.recurring) await enqueue(this.store.db, r.type, {}, this.clock(), { dedupeKey: `recurring:${r.type}` });
  }

  start(): void {
    this.stopped = false;
    let waiting = false; // between rounds, on the timer
    const loop = async () => {
      waiting = false;
      if (this.stopped) return;
      try {
        this.woken = false;
        const n = await this.runOnce();
        // A wake-up during the round (more work committed meanwhile) starts the next one at once.
        this.timer = setTimeout(loop, n > 0 || this.woken ? 0 : this.pollMs);
      } catch (err) {
        this.log.error({ err }, 'job worker loop failed');
        this.timer = setTimeout(loop, this.pollMs * 4);
      }
      waiting = true;
    };
    this.wakeNow = () => {
      this.woken = true;
      if (!waiting || this.stopped) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(loop, 0);
    };
    this.unsubscribe = this.registry.onWake(this.wakeNow);
    if (this.store.dialect === 'postgres' && this.store.databaseUrl) void this.listen(this.store.databaseUrl);
    void this.scheduleRecurring().then(loop, (err) => this.log.error({ err }, 'could not schedule recurring jobs'));
  }

  /**
   * PostgreSQL: woken by `NOTIFY jiyue_jobs` from any process's committed writes (notifyJobs), so
   * a worker in another process than the web server starts at once too. Polling goes on beside
   * it; a lost connection is re-opened after a pause.
   */
  private async listen(url: string): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: url });
    client.on('notification', () => this.wakeNow?.());
    client.on('error', (err) => {
      this.log.warn({ err }, 'job worker: LISTEN connection lost; polling until it is back');
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen(url), 5000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${JOBS_CHANNEL}`);
      if (this.stopped) return void (await client.end());
      this.listener = client;
    } catch (err) {
      this.log.warn({ err }, 'job worker: could not LISTEN for new jobs; polling');
      void client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.listen(url), 5000).unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** Claims and runs the jobs due now; returns how many ran. Tests call it directly. */
  async runOnce(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const jobs = await claim(this.store.db, this.store.dialect, this.id, this.concurrency, this.clock(), this.leaseSeconds);
      await Promise.all(jobs.map((j) => this.run(j)));
      return jobs.length;
    } finally {
      this.running = false;
    }
  }

  /** Runs jobs until none is due (tests and `jiyue` commands that must finish the queue). */
  async drain(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runOnce();
      if (n === 0) break;
      total += n;
    }
    return total;
  }

  private async run(job: JobRow): Promise<void> {
    const db = this.store.db;
    const log = this.log.child({ job: job.id, type: job.type });
    try {
      const payload = JSON.parse(job.payload);
      if (job.type === EVENT_JOB) {
        // Fan out: one job per subscriber, committed together with this event's completion.
        const subs = this.registry.subscribers.get(payload.event) ?? [];
        await db.transaction().execute(async (tx) => {
          for (const s of subs) await enqueue(tx, s, payload.data, this.clock());
          await complete(tx, job, this.id, this.clock());
        });
        return;
      }
      const handler = this.registry.handlers.get(job.type);
      if (!handler) throw new Error(`no handler for job type ${job.type}`);
      const ctx: JobContext = {
        store: this.store,
        log,
        now: this.clock,
        progress: (done, total, message) => heartbeat(db, job.id, this.id, this.clock(), this.leaseSeconds, { done, total, message }),
      };
      await handler(payload, ctx, job);
      await db.transaction().execute(async (tx) => {
        await complete(tx, job, this.id, this.clock());
        const rec = this.registry.recurring.find((r) => r.type === job.type);
        if (rec) {
          const next = new Date(this.clock().getTime() + rec.everySeconds * 1000);
          await enqueue(tx, rec.type, {}, this.clock(), { runAt: next, dedupeKey: `recurring:${rec.type}` });
        }
      });
    } catch (err) {
      const message = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      const outcome = await failJob(db, job, this.id, this.clock(), message);
      log[outcome === 'failed' ? 'error' : 'warn']({ err, attempts: job.attempts }, `job ${outcome === 'failed' ? 'failed for good' : 'failed, will retry'}`);
    }
  }
}
