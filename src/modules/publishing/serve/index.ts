/**
 * Serving the published static output (issue 3 §6): the in-memory fast path in front of
 * Fastify, own host names, redirects, per-site 404 pages, visitor modes without JavaScript,
 * the mourning switch, and the view counter.
 */
import type { FastifyInstance } from 'fastify';
import type { JiyueApp } from '../../../app.js';
import { servingRoutes } from './routes.js';
import type { Serving } from './serving.js';

const byApp = new WeakMap<FastifyInstance, Serving>();

/** The serving instance of an app (its cache, view counter, mourning state), if installed. */
export const servingOf = (app: FastifyInstance): Serving | undefined => byApp.get(app);

export { type CacheEntry, DEFAULT_CACHE_BYTES, StaticCache } from './cache.js';
export { type MourningView, setMourning } from './commands/setMourning.js';
export { CLUSTER_MOURNING_KEY } from './mourning.js';
export { type TopPage, topPages } from './queries/topPages.js';
export { type ServingOptions, Serving, createServing, invalidate } from './serving.js';
export { PIXEL } from './views.js';

/**
 * Wires a Serving into the app (src/app.ts calls this right after creating it, before the
 * modules register): learns every route Fastify gets so that no file shadows it, adds the live
 * routes, loads hosts and redirects when the app is ready, flushes view counts on close.
 */
export async function installServing(jiyue: JiyueApp, serving: Serving): Promise<void> {
  const { app } = jiyue;
  byApp.set(app, serving);
  app.addHook('onRoute', (r) => serving.learnRoute(r.url));
  servingRoutes(jiyue, serving);
  app.addHook('onReady', async () => {
    await serving.directory.reload();
  });
  app.addHook('onClose', async () => {
    await serving.close();
  });
}
