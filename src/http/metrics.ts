import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Store } from '../db/index.js';
import { iso } from '../lib/time.js';

/** Prometheus metrics; one registry per app so test apps do not share counters. */
export function installMetrics(app: FastifyInstance, store: Store, clock: () => Date): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'jiyue_' });
  const duration = new client.Histogram({
    name: 'jiyue_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new client.Gauge({
    name: 'jiyue_jobs_pending',
    help: 'Jobs waiting in the queue, by type (due now or later)',
    labelNames: ['type'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await store.db
        .selectFrom('jobs')
        .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['pending', 'running'])
        .groupBy('type')
        .execute();
      for (const r of rows) this.set({ type: r.type }, Number(r.n));
    },
  });
  new client.Gauge({
    name: 'jiyue_jobs_failed',
    help: 'Jobs that exhausted their retries',
    registers: [registry],
    async collect() {
      const r = await store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirst();
      this.set(Number(r?.n ?? 0));
    },
  });
  new client.Gauge({
    name: 'jiyue_scheduled_publications_overdue',
    help: 'Approved articles whose scheduled publication time passed more than a minute ago without being published',
    registers: [registry],
    async collect() {
      const cutoff = iso(new Date(clock().getTime() - 60_000));
      const r = await store.db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'approved')
        .where('publish_at', 'is not', null)
        .where('publish_at', '<=', cutoff)
        .executeTakeFirst();
      this.set(Number(r?.n ?? 0));
    },
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return registry;
}
