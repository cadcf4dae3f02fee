/**
 * The platform under test for the console's browser tests (console.test.ts,
 * console-interaction.test.ts): `jiyue start` on a fresh data directory and database of the
 * dialect under test, with the demo city seeded and the console built when stale.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import pino from 'pino';
import { type JiyueApp, buildApp } from '../../src/app.js';
import { systemClock } from '../../src/lib/time.js';
import { type BootstrapAccount, bootstrapAdmins } from '../../src/modules/accounts/bootstrap.js';
import { Worker } from '../../src/modules/jobs/worker.js';
import { seedIfEmpty } from '../../src/seed/seed.js';
import { type TestEnv, createTestStore } from '../helpers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ADMIN_DIST = path.join(ROOT, 'admin/dist');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
/** Screenshots for docs/ are written only on request (JIYUE_SCREENSHOTS=1), so a run leaves the tree clean. */
export const SCREENSHOTS_WANTED = process.env.JIYUE_SCREENSHOTS === '1';
export const DEMO_PASSWORD = 'Shifan-Demo-2026';

/** Builds the console when its sources are newer than admin/dist (a few seconds). */
export function ensureConsoleBuilt(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-admin.mjs'), '--if-stale'], { encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(path.join(ADMIN_DIST, 'index.html'))) throw new Error(`console build failed:\n${r.stdout}\n${r.stderr}`);
}

/**
 * Serves admin/dist at /admin/ (hashed assets cached for a year, every other path the SPA's
 * index.html), unless the app already does — the same code is proposed for src/app.ts.
 */
export async function serveConsoleIfMissing(app: FastifyInstance): Promise<void> {
  if (app.hasRoute({ method: 'GET', url: '/admin/*' })) return;
  const fastifyStatic = (await import('@fastify/static')).default;
  await app.register(fastifyStatic, { root: path.join(ADMIN_DIST, 'assets'), prefix: '/admin/assets/', decorateReply: false, index: false, immutable: true, maxAge: '365d', preCompressed: true });
  const spa = async (_req: unknown, reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await fs.promises.readFile(path.join(ADMIN_DIST, 'index.html'), 'utf8'));
  app.get('/admin', (_req, reply) => reply.redirect('/admin/', 301));
  app.get('/admin/', spa);
  app.get('/admin/*', spa);
}

export interface ConsoleApp {
  jiyue: JiyueApp;
  env: TestEnv;
  base: string;
  accounts: BootstrapAccount[];
  drainJobs(): Promise<number>;
  close(): Promise<void>;
}

/** `jiyue start` on a fresh data directory and database of the dialect under test. */
export async function startConsoleApp(): Promise<ConsoleApp> {
  const env = await createTestStore();
  const log = pino({ level: 'silent' });
  const accounts = await bootstrapAdmins(env.store, new Date());
  await seedIfEmpty(env.store, env.config, log, new Date());
  const jiyue = await buildApp({ config: env.config, store: env.store, log, clock: systemClock });
  await serveConsoleIfMissing(jiyue.app);
  await jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  const address = jiyue.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const worker = new Worker(env.store, jiyue.jobs, log, systemClock);
  return {
    jiyue,
    env,
    base: `http://127.0.0.1:${port}`,
    accounts,
    drainJobs: () => worker.drain(),
    async close() {
      await jiyue.app.close();
      await env.close();
    },
  };
}
