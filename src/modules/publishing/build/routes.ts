/**
 * The publisher's HTTP surface: previews of unpublished articles and columns in the real theme
 * (issue 3 §5), a full rebuild on demand, and the state of the static output.
 */
import { z } from 'zod';
import type { JiyueApp } from '../../../app.js';
import { IdParams } from '../../../http/pagination.js';
import { ok } from '../../../lib/errors.js';
import { can } from '../../accounts/index.js';
import * as audit from '../../accounts/audit.js';
import { enqueue } from '../../jobs/index.js';
import { FULL_BUILD_JOB } from './jobs.js';
import { type Preview, renderArticlePreview, renderColumnPreview } from './preview.js';
import type { PageRenderer } from './render.js';

const ArticlePreviewQuery = z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000).optional() });
const ColumnPreviewQuery = z.strictObject({ page: z.coerce.number().int().min(1).max(100_000).optional() });

/**
 * A preview is a whole page: sent as HTML, never cached, and sandboxed by its CSP so that it
 * cannot run script or submit forms even if a template misbehaves.
 */
const PREVIEW_CSP = "sandbox allow-same-origin; default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; form-action 'none'; frame-ancestors 'self'";

export function registerPublishingRoutes(app: JiyueApp, renderer: PageRenderer): void {
  const { router } = app;
  const send = (reply: import('fastify').FastifyReply, p: Preview) =>
    reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', PREVIEW_CSP)
      .header('x-robots-tag', 'noindex')
      .header('x-jiyue-preview-url', encodeURI(p.url))
      .type('text/html; charset=utf-8')
      .send(p.html);

  router.add({
    method: 'GET',
    url: '/api/v1/articles/:id/preview',
    summary: '预览稿件（当前内容或指定版本，按真实模板渲染，不发布）',
    tag: 'publishing',
    auth: 'user',
    params: IdParams,
    query: ArticlePreviewQuery,
    async handler(ctx, { params, query }, _req, reply) {
      const r = await renderArticlePreview(ctx, params.id, query.version, renderer);
      if (!r.ok) return r;
      send(reply, r.value);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/v1/columns/:id/preview',
    summary: '预览栏目列表页（按真实模板渲染，不发布）',
    tag: 'publishing',
    auth: 'user',
    params: IdParams,
    query: ColumnPreviewQuery,
    async handler(ctx, { params, query }, _req, reply) {
      const r = await renderColumnPreview(ctx, params.id, query.page ?? 1, renderer);
      if (!r.ok) return r;
      send(reply, r.value);
    },
  });

  router.add({
    method: 'POST',
    url: '/api/v1/publishing/rebuild',
    summary: '全站重新生成静态页面（后台任务，系统管理员）',
    tag: 'publishing',
    auth: 'user',
    body: z.strictObject({}),
    status: 202,
    async handler(ctx) {
      const denied = can(ctx.actor, 'system.manage', 'global');
      if (denied) return denied;
      await ctx.db.transaction().execute(async (tx) => {
        // One waiting rebuild is enough: asking again while one waits changes nothing.
        await enqueue(tx, FULL_BUILD_JOB, {}, ctx.now, { dedupeKey: FULL_BUILD_JOB, maxAttempts: 3 });
        await audit.record(tx, ctx, 'publishing.rebuild', { type: 'publishing' }, null, { job: FULL_BUILD_JOB });
      });
      const job = await ctx.db.selectFrom('jobs').select(['id', 'status']).where('type', '=', FULL_BUILD_JOB).where('status', 'in', ['pending', 'running']).orderBy('id', 'desc').executeTakeFirst();
      return ok({ queued: true, jobId: job?.id ?? null });
    },
  });

  router.add({
    method: 'GET',
    url: '/api/v1/publishing/status',
    summary: '静态页面输出概况：文件数、体积、最近写入时间、进行中的生成任务',
    tag: 'publishing',
    auth: 'user',
    async handler(ctx) {
      const denied = can(ctx.actor, 'system.manage', 'global');
      if (denied) return denied;
      const files = await ctx.db
        .selectFrom('published_files')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size').as('bytes'), eb.fn.max('written_at').as('last')])
        .executeTakeFirstOrThrow();
      const pending = await ctx.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('type', 'like', 'publishing.%')
        .where('status', 'in', ['pending', 'running'])
        .executeTakeFirstOrThrow();
      return ok({ files: Number(files.n), bytes: Number(files.bytes ?? 0), lastWrittenAt: files.last ?? null, jobsWaiting: Number(pending.n) });
    },
  });
}
