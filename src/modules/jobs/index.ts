import { z } from 'zod';
import type { JiyueApp } from '../../app.js';
import { IdParams, PageQuery, offsetOf } from '../../http/pagination.js';
import { fail, ok } from '../../lib/errors.js';
import { can } from '../accounts/access.js';
import * as audit from '../accounts/audit.js';
import { jobDto } from './dto.js';
import { registerJobEvents } from './events.js';
import { retry } from './queue.js';

export const name = 'jobs';
export { enqueue, emit, cancelPending } from './queue.js';
export { JobRegistry, Worker, type JobContext, type JobHandler } from './worker.js';

const JobsQuery = PageQuery.extend({
  status: z.enum(['pending', 'running', 'done', 'failed']).optional(),
  type: z.string().trim().max(100).optional(),
});

export async function register(app: JiyueApp): Promise<void> {
  const { router } = app;
  router.add({
    method: 'GET',
    url: '/api/v1/jobs',
    summary: '后台任务列表（系统管理员）',
    tag: 'jobs',
    auth: 'user',
    query: JobsQuery,
    async handler(ctx, { query }) {
      const denied = can(ctx.actor, 'system.manage', 'global');
      if (denied) return denied;
      let q = ctx.db.selectFrom('jobs');
      if (query.status) q = q.where('status', '=', query.status);
      if (query.type) q = q.where('type', '=', query.type);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('id', 'desc').limit(query.pageSize).offset(offsetOf(query)).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return ok({ total: Number(total.n), page: query.page, pageSize: query.pageSize, items: rows.map(jobDto) });
    },
  });
  router.add({
    method: 'POST',
    url: '/api/v1/jobs/:id/retry',
    summary: '重试失败的后台任务',
    tag: 'jobs',
    auth: 'user',
    params: IdParams,
    async handler(ctx, { params }) {
      const denied = can(ctx.actor, 'system.manage', 'global');
      if (denied) return denied;
      const job = await ctx.db.selectFrom('jobs').selectAll().where('id', '=', params.id).executeTakeFirst();
      if (!job) return fail('not_found', '任务不存在');
      if (job.status !== 'failed') return fail('invalid_transition', '只有失败的任务可以重试');
      await ctx.db.transaction().execute(async (tx) => {
        await retry(tx, job.id, ctx.now);
        await audit.record(tx, ctx, 'job.retry', { type: 'job', id: job.id }, { status: job.status }, { status: 'pending' });
      });
      return ok({ retried: true });
    },
  });
  registerJobEvents(app);
}
