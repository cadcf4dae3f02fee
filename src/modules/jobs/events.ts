/**
 * Live job progress for the console (issue 4 §8): `GET /api/v1/jobs/events`, server-sent events.
 * Each connection polls the job table once a second for rows changed since its last look (the
 * worker's heartbeat writes progress into the row, so a full rebuild's pages show up as they are
 * written) and sends each as an `event: job`. A stream ends after a few minutes; the browser's
 * EventSource reconnects by itself, and the reconnection passes the session check again, so a
 * session that ended does not keep a stream open.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { JiyueApp } from '../../app.js';
import type { DB } from '../../db/index.js';
import { IsoDate } from '../../http/pagination.js';
import { can } from '../accounts/access.js';
import { jobDto } from './dto.js';
import type { JobRow } from './queue.js';

export const JOB_EVENTS_POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;
const STREAM_LIFETIME_MS = 5 * 60_000;
/** The browser waits this long before reconnecting. */
const RETRY_MS = 2000;
const MAX_PER_TICK = 200;

export const JobEventsQuery = z.strictObject({
  /** Changes after this instant; default: the jobs pending or running now, then what changes. */
  since: IsoDate.optional(),
  /** Only these jobs ("12,13"). */
  ids: z
    .string()
    .regex(/^\d{1,10}(,\d{1,10}){0,49}$/, 'ids 应为逗号分隔的任务编号（最多 50 个）')
    .optional(),
});

export interface JobEventsOptions {
  pollMs?: number;
  lifetimeMs?: number;
}

const frame = (event: string, data: unknown, id?: string): string => `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export function registerJobEvents({ router, app }: JiyueApp, opts: JobEventsOptions = {}): void {
  /** Open streams, ended when the server shuts down (else closing would wait for them). */
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });
  router.add({
    method: 'GET',
    url: '/api/v1/jobs/events',
    summary: '后台任务实时进度（text/event-stream：每个变化的任务一条 job 事件；系统管理员）',
    tag: 'jobs',
    auth: 'user',
    query: JobEventsQuery,
    async handler(ctx, { query }, req, reply) {
      const denied = can(ctx.actor, 'system.manage', 'global');
      if (denied) return denied;
      const ids = query.ids ? query.ids.split(',').map(Number) : null;
      // A reconnecting EventSource says where it was (the updatedAt of the last job it saw).
      const lastEventId = typeof req.headers['last-event-id'] === 'string' && IsoDate.safeParse(req.headers['last-event-id']).success ? req.headers['last-event-id'] : undefined;
      const stream = new PassThrough();
      const feed = new JobFeed(ctx.db, ids, lastEventId ?? query.since ?? null, ctx.now.toISOString());
      let closed = false;
      const timers: NodeJS.Timeout[] = [];
      const close = () => {
        if (closed) return;
        closed = true;
        open.delete(close);
        for (const t of timers) clearTimeout(t);
        stream.end();
      };
      const tick = async () => {
        if (closed) return;
        try {
          for (const j of await feed.next()) stream.write(frame('job', jobDto(j), j.updated_at));
        } catch (err) {
          ctx.log.warn({ err }, 'job events: poll failed');
        }
        if (!closed) timers[0] = setTimeout(() => void tick(), opts.pollMs ?? JOB_EVENTS_POLL_MS);
      };
      open.add(close);
      req.raw.on('close', close);
      reply.raw.on('close', close);
      stream.write(`retry: ${RETRY_MS}\n: 后台任务进度\n\n`);
      timers[1] = setInterval(() => stream.write(': keep-alive\n\n'), KEEPALIVE_MS);
      timers[2] = setTimeout(() => {
        stream.write(frame('end', { reason: 'lifetime' }));
        close();
      }, opts.lifetimeMs ?? STREAM_LIFETIME_MS);
      void tick();
      await reply
        .code(200)
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-accel-buffering', 'no')
        // The socket is not reused after the stream: a server shutting down need not wait for it.
        .header('connection', 'close')
        .send(stream);
    },
  });
}

/**
 * The jobs changed since the last call. The first call without `since` gives the jobs pending or
 * running now. `updated_at` has millisecond resolution, so the rows of the last millisecond seen
 * are asked for again and the ones already sent (same id and time) skipped.
 */
export class JobFeed {
  private seen = new Set<string>();
  private started = false;
  constructor(
    private readonly db: DB,
    private readonly ids: number[] | null,
    private since: string | null,
    private readonly startedAt: string,
  ) {}

  async next(): Promise<JobRow[]> {
    let q = this.db.selectFrom('jobs').selectAll();
    if (this.ids) q = q.where('id', 'in', this.ids);
    if (!this.started && this.since === null) {
      this.started = true;
      this.since = this.startedAt;
      const now = await q.where('status', 'in', ['pending', 'running']).orderBy('updated_at').orderBy('id').limit(MAX_PER_TICK).execute();
      for (const r of now) this.seen.add(`${r.id}@${r.updated_at}`);
      return now;
    }
    this.started = true;
    const since = this.since ?? this.startedAt;
    const rows = (await q.where('updated_at', '>=', since).orderBy('updated_at').orderBy('id').limit(MAX_PER_TICK + this.seen.size).execute())
      .filter((r) => !this.seen.has(`${r.id}@${r.updated_at}`))
      .slice(0, MAX_PER_TICK);
    if (rows.length === 0) return [];
    const last = rows[rows.length - 1]!.updated_at;
    if (last > since) {
      this.since = last;
      this.seen = new Set();
    }
    for (const r of rows) if (r.updated_at === last) this.seen.add(`${r.id}@${r.updated_at}`);
    return rows;
  }
}
