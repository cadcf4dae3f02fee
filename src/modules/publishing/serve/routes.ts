import type { JiyueApp } from '../../../app.js';
import { ok } from '../../../lib/errors.js';
import { setMourning } from './commands/setMourning.js';
import { ELDER_COOKIE, MODE_COOKIE_MAX_AGE, ModeQuery, SIZE_COOKIE } from './mode.js';
import { localPath } from './paths.js';
import { MourningInput } from './schema.js';
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
