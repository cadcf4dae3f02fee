import { sql } from 'kysely';
import type { DB, Dialect } from '../../db/index.js';
import { addSeconds, iso } from '../../lib/time.js';
import type { JobTable } from './tables.js';
import type { Selectable } from 'kysely';

export type JobRow = Selectable<JobTable>;

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one live job per key: enqueueing again while one is pending is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/**
 * Adds a job. Call with the transaction of the change that needs it, so the job exists if and
 * only if the change committed (the outbox pattern; DESIGN.md "Cross-cutting reactions").
 */
export async function enqueue(db: DB, type: string, payload: unknown, now: Date, opts: EnqueueOptions = {}): Promise<void> {
  const t = iso(now);
  await db
    .insertInto('jobs')
    .values({
      type,
      payload: JSON.stringify(payload ?? {}),
      status: 'pending',
      run_at: iso(opts.runAt ?? now),
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 8,
      dedupe_key: opts.dedupeKey ?? null,
      locked_by: null,
      lease_until: null,
      last_error: null,
      progress: null,
      created_at: t,
      updated_at: t,
      finished_at: null,
    })
    .onConflict((oc) =>
      // The predicate must match the partial unique index literally (SQLite compares the text).
      oc.column('dedupe_key').where(sql<boolean>`status IN ('pending', 'running') AND dedupe_key IS NOT NULL`).doNothing(),
    )
    .execute();
}

/** Cancels the pending job with this key (e.g. a rescheduled publication), if any. */
export async function cancelPending(db: DB, dedupeKey: string): Promise<void> {
  await db.deleteFrom('jobs').where('dedupe_key', '=', dedupeKey).where('status', '=', 'pending').execute();
}

/** The event a change announces; handled after commit by every subscriber, each as its own job. */
export const EVENT_JOB = 'event';
export async function emit(db: DB, event: string, data: unknown, now: Date): Promise<void> {
  await enqueue(db, EVENT_JOB, { event, data }, now);
}

/**
 * Claims up to `limit` due jobs for `workerId`: pending jobs whose time has come, and running
 * jobs whose lease ran out (their worker died). On PostgreSQL rows are locked with
 * FOR UPDATE SKIP LOCKED so concurrent workers never claim the same job; SQLite serialises writers.
 */
export async function claim(db: DB, dialect: Dialect, workerId: string, limit: number, now: Date, leaseSeconds: number): Promise<JobRow[]> {
  const t = iso(now);
  return db.transaction().execute(async (tx) => {
    let due = tx
      .selectFrom('jobs')
      .select('id')
      .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', t)]), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', t)])]))
      .orderBy('run_at')
      .orderBy('id')
      .limit(limit);
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return tx
      .updateTable('jobs')
      .set({ status: 'running', locked_by: workerId, lease_until: iso(addSeconds(now, leaseSeconds)), attempts: sql`attempts + 1`, updated_at: t })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/** Exponential backoff with jitter: 10 s, 20 s, 40 s … capped at one hour. */
export function backoffSeconds(attempts: number, random = Math.random): number {
  const base = Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

export async function complete(db: DB, job: JobRow, workerId: string, now: Date): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', finished_at: iso(now), updated_at: iso(now), lease_until: null, last_error: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
}

export async function failJob(db: DB, job: JobRow, workerId: string, now: Date, error: string): Promise<'retry' | 'failed'> {
  const final = job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set({
      status: final ? 'failed' : 'pending',
      run_at: final ? job.run_at : iso(addSeconds(now, backoffSeconds(job.attempts))),
      last_error: error.slice(0, 4000),
      lease_until: null,
      locked_by: null,
      updated_at: iso(now),
      finished_at: final ? iso(now) : null,
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', workerId)
    .execute();
  return final ? 'failed' : 'retry';
}

/** Extends the lease of a long job and records its progress (shown live in the console). */
export async function heartbeat(db: DB, jobId: number, workerId: string, now: Date, leaseSeconds: number, progress?: unknown): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ lease_until: iso(addSeconds(now, leaseSeconds)), updated_at: iso(now), ...(progress === undefined ? {} : { progress: JSON.stringify(progress) }) })
    .where('id', '=', jobId)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Puts a failed job back in the queue (the console's retry button). */
export async function retry(db: DB, jobId: number, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ status: 'pending', attempts: 0, run_at: iso(now), last_error: null, finished_at: null, updated_at: iso(now) })
    .where('id', '=', jobId)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
