import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Store } from './db/index.js';
import { frameworkFailure, sendFailure } from './http/errors.js';
import { installMetrics } from './http/metrics.js';
import { openApiDocument } from './http/openapi.js';
import { type Auth, Router } from './http/route.js';
import type { Ctx, Lang } from './lib/ctx.js';
import { type Failure, AppError, fail } from './lib/errors.js';
import type { Clock } from './lib/time.js';
import { CSRF_HEADER, resolveActor } from './modules/accounts/sessions.js';
import { MODULES } from './modules/index.js';
import { createServing, installServing } from './modules/publishing/serve/index.js';
import { JobRegistry, notifyJobs } from './modules/jobs/worker.js';

export interface AppDeps {
  config: Config;
  store: Store;
  log: Logger;
  clock: Clock;
}

export interface JiyueApp {
  app: FastifyInstance;
  router: Router;
  deps: AppDeps;
  /** Job handlers, event subscriptions and recurring jobs the modules register. */
  jobs: JobRegistry;
}

export const VERSION = '0.1.0';
const JSON_BODY_LIMIT = 2 * 1024 * 1024;

export function langOf(req: FastifyRequest): Lang {
  const al = req.headers['accept-language'];
  return typeof al === 'string' && /^en\b/i.test(al.trim()) ? 'en' : 'zh-CN';
}

function gate(ctx: Ctx, auth: Auth, req: FastifyRequest): Failure | null {
  if (auth === 'public') return null;
  const a = ctx.actor;
  if (a.kind === 'system') return null;
  if (a.kind !== 'user') return fail('unauthenticated', '请先登录');
  // Cookie-authenticated writes must carry the session's CSRF token (API tokens need not).
  if (a.via === 'session' && req.method !== 'GET' && req.method !== 'HEAD') {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || sent !== a.session?.csrfToken) return fail('csrf_failed', 'CSRF 令牌缺失或不正确，请刷新页面后重试');
  }
  if (auth === 'pending') return null;
  if (a.session?.mfaPending) return fail('mfa_required', '请先完成第二因素（动态口令）验证');
  if (a.mustChangePassword) return fail('password_change_required', '首次登录或密码已重置，请先修改密码');
  return null;
}

export async function buildApp(deps: AppDeps): Promise<JiyueApp> {
  const { store, config, log, clock } = deps;
  // Published static pages are answered from memory in front of Fastify (publishing/serve).
  const serving = createServing({ dataDir: config.dataDir, store, log, clock });
  const app = Fastify({
    serverFactory: serving.serverFactory,
    loggerInstance: log as unknown as FastifyBaseLogger,
    bodyLimit: JSON_BODY_LIMIT,
    trustProxy: true,
    routerOptions: { maxParamLength: 200 },
    // Errors raised before routing (over-long path parameter, bad percent-encoding) in our error shape.
    frameworkErrors: (err, req, reply) => {
      sendFailure(reply, fail('bad_request', err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? '请求地址过长' : '请求地址有误'), langOf(req));
    },
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: JSON_BODY_LIMIT });
  await app.register(multipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1, fields: 20, parts: 25 } });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });

  const makeCtx = async (req: FastifyRequest): Promise<Ctx> => {
    const now = clock();
    return {
      store,
      db: store.db,
      dialect: store.dialect,
      config,
      actor: await resolveActor(store.db, req, now),
      ip: req.ip ?? null,
      now,
      log: req.log as unknown as Logger,
      lang: langOf(req),
    };
  };

  app.setErrorHandler((err: any, req, reply) => {
    const lang = langOf(req);
    if (err instanceof AppError) return sendFailure(reply, fail(err.code, err.message, err.details), lang);
    const f = frameworkFailure(err);
    if (f) return sendFailure(reply, f, lang);
    req.log.error({ err }, 'unhandled error');
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: lang === 'en' ? 'Internal error.' : '服务器内部错误，请稍后再试', details: { requestId: req.id } } });
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return sendFailure(reply, fail('not_found', '接口不存在'), langOf(req));
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage());
  });

  const router = new Router(app, { makeCtx, gate, sendFailure });
  const jiyue: JiyueApp = { app, router, deps, jobs: new JobRegistry() };
  // A write has committed by the time its response is sent: the jobs it queued may run now.
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 400) await notifyJobs(store, jiyue.jobs, log);
  });
  await installServing(jiyue, serving);

  app.get('/healthz', async (_req, reply) => {
    try {
      await store.db.selectFrom('settings').select('key').limit(1).execute();
      return { status: 'ok', db: store.dialect };
    } catch (err) {
      log.error({ err }, 'health check failed');
      return reply.code(503).send({ status: 'error', db: store.dialect });
    }
  });
  installMetrics(app, store, clock);
  await serveConsole(app);

  for (const m of MODULES) await m.register(jiyue);

  app.get('/api/v1/openapi.json', async () => openApiDocument(router.routes, VERSION));
  return jiyue;
}

function notFoundPage(): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>页面不存在</title></head><body><main><h1>页面不存在</h1><p>您访问的页面不存在或已被删除。<a href="/">返回首页</a></p></main></body></html>`;
}

const ADMIN_DIST = fileURLToPath(new URL('../admin/dist/', import.meta.url));

/** The console: hashed assets cached for a year (pre-compressed .br/.gz); every other /admin/ path is the SPA's index.html, revalidated. */
async function serveConsole(app: FastifyInstance): Promise<void> {
  if (fs.existsSync(path.join(ADMIN_DIST, 'assets')))
    await app.register(fastifyStatic, { root: path.join(ADMIN_DIST, 'assets'), prefix: '/admin/assets/', decorateReply: false, index: false, immutable: true, maxAge: '365d', preCompressed: true });
  const spa = async (_req: FastifyRequest, reply: FastifyReply) => {
    let html: string;
    try {
      html = await fs.promises.readFile(path.join(ADMIN_DIST, 'index.html'), 'utf8');
    } catch {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>管理后台尚未构建</title></head><body><main><h1>管理后台尚未构建</h1><p>请运行 <code>npm run build:admin</code> 后刷新。</p></main></body></html>');
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };
  app.get('/admin', (_req, reply) => reply.redirect('/admin/', 301));
  app.get('/admin/', spa);
  app.get('/admin/*', spa);
}
