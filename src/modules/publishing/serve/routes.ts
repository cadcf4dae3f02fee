import type { JiyueApp } from '../../../app.js';
import { z } from 'zod';
import { fail, ok } from '../../../lib/errors.js';
import { can } from '../../accounts/index.js';
import { setBanner } from './commands/setBanner.js';
import { readClusterBanner, readClusterMourning, siteBanner, siteMourning } from './mourning.js';
import { setMourning } from './commands/setMourning.js';
import { ELDER_COOKIE, MODE_COOKIE_MAX_AGE, ModeQuery, SIZE_COOKIE } from './mode.js';
import { localPath } from './paths.js';
import { MourningInput, SetBannerInput } from './schema.js';

const LiveQuery = z.strictObject({ siteId: z.coerce.number().int().positive().max(2_147_483_647).optional() });
import type { Serving } from './serving.js';

/**
 * The live bits of the public sites, and the static fallback for requests that reach Fastify
 * (light-my-request `inject` in tests, or a server not made by Serving.serverFactory).
 */
export function servingRoutes({ app, router }: JiyueApp, serving: Serving): void {
  router.add({
    method: 'GET',
    url: '/_mode',
    summary: '切换访客显示模式（长者模式、字号），无需 JavaScript',
    tag: 'publishing',
    auth: 'public',
    query: ModeQuery,
    handler: async (_ctx, { query }, req, reply) => {
      const cookie = { path: '/', sameSite: 'lax' as const, secure: req.protocol === 'https', httpOnly: false };
      if (query.elder === '1') reply.setCookie(ELDER_COOKIE, '1', { ...cookie, maxAge: MODE_COOKIE_MAX_AGE });
      if (query.elder === '0') reply.setCookie(ELDER_COOKIE, '', { ...cookie, maxAge: 0 });
      if (query.size === 'large' || query.size === 'larger') reply.setCookie(SIZE_COOKIE, query.size, { ...cookie, maxAge: MODE_COOKIE_MAX_AGE });
      if (query.size === 'normal') reply.setCookie(SIZE_COOKIE, '', { ...cookie, maxAge: 0 });
      reply.header('cache-control', 'no-store').code(303).redirect(localPath(query.back), 303);
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/v1/publishing/mourning',
    summary: '开关哀悼模式（全站群或单个站点页面变灰），数秒内生效',
    tag: 'publishing',
    auth: 'user',
    body: MourningInput,
    handler: async (ctx, { body }) => {
      const r = await setMourning(ctx, body);
      if (!r.ok) return r;
      serving.mourning.invalidate();
      return ok(r.value);
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/v1/publishing/banner',
    summary: '发布或撤下紧急通告横幅（全站群或单个站点的每个页面），数秒内生效',
    tag: 'publishing',
    auth: 'user',
    body: SetBannerInput,
    handler: async (ctx, { body }) => {
      const r = await setBanner(ctx, body);
      if (!r.ok) return r;
      serving.mourning.invalidate();
      return ok(r.value);
    },
  });

  router.add({
    method: 'GET',
    url: '/api/v1/publishing/live',
    summary: '当前的哀悼模式与紧急通告（全站群，及指定站点）',
    tag: 'publishing',
    auth: 'user',
    query: LiveQuery,
    handler: async (ctx, { query }) => {
      const denied = query.siteId === undefined ? can(ctx.actor, 'system.manage', 'global') : can(ctx.actor, 'site.manage', { siteId: query.siteId });
      if (denied) return denied;
      const cluster = { mourning: await readClusterMourning(ctx.db), banner: await readClusterBanner(ctx.db) };
      if (query.siteId === undefined) return ok({ cluster, site: null });
      const site = await ctx.db.selectFrom('sites').select(['id', 'settings']).where('id', '=', query.siteId).executeTakeFirst();
      if (!site) return fail('not_found', '站点不存在');
      return ok({ cluster, site: { id: site.id, mourning: siteMourning(site.settings), banner: siteBanner(site.settings) } });
    },
  });

  // Answered by the fast path on a real server; here for requests that come through Fastify.
  const fast = (req: { raw: Parameters<Serving['handle']>[0] }, reply: { raw: Parameters<Serving['handle']>[1]; hijack(): void; callNotFound(): void }) => {
    if (!serving.wants(req.raw)) return reply.callNotFound();
    reply.hijack();
    serving.handle(req.raw, reply.raw);
  };
  app.get('/_v', (req, reply) => fast(req, reply));
  app.get('/_mode.css', (req, reply) => fast(req, reply));
  app.get('/*', (req, reply) => fast(req, reply));
}
