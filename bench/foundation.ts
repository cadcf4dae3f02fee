import pino from 'pino';
import { createTestApp, loginAs, makeColumn, makeSite, makeUser } from '../test/helpers.js';
import { enqueue } from '../src/modules/jobs/queue.js';
import { JobRegistry, Worker } from '../src/modules/jobs/worker.js';
import { line, percentile, throughput, timeEach } from './lib.js';

/** Foundation hot paths: the job queue, an authenticated API read, and login (argon2id cost). */
export async function benchFoundation(): Promise<void> {
  const t = await createTestApp();
  const db = t.store.dialect;
  try {
    // Job queue: enqueue N jobs, then drain them with one worker (claim + run + complete).
    const N = 2000;
    const reg = new JobRegistry();
    reg.handle('noop', async () => {});
    const t0 = performance.now();
    await t.store.db.transaction().execute(async (tx) => {
      for (let i = 0; i < N; i++) await enqueue(tx, 'noop', { i }, t.now.value);
    });
    const enq = N / ((performance.now() - t0) / 1000);
    const w = new Worker(t.store, reg, pino({ level: 'silent' }), () => t.now.value, { concurrency: 50 });
    const t1 = performance.now();
    await w.drain(10_000);
    const ran = N / ((performance.now() - t1) / 1000);
    line(`jobs.enqueue[${db}]`, enq, 'jobs/s');
    line(`jobs.claim_run_complete[${db}]`, ran, 'jobs/s');

    // Authenticated API read through the full stack (session lookup, grants, route, JSON).
    const site = await makeSite(t.store, 'bench');
    await makeColumn(t.store, site, 'news');
    await makeUser(t.store, 'bencher', [{ role: 'editor', siteId: site }]);
    const c = await loginAs(t, 'bencher');
    const lat = await timeEach(500, () => c.get('/api/v1/auth/me'));
    line(`api.auth_me.p50[${db}]`, percentile(lat, 50), 'ms');
    line(`api.auth_me.p95[${db}]`, percentile(lat, 95), 'ms');
    line(`api.auth_me[${db}]`, await throughput(2000, 8, () => c.get('/api/v1/auth/me')), 'req/s');

    const logins = await timeEach(10, () => loginAs(t, 'bencher'));
    line(`auth.login.p50[${db}]`, percentile(logins, 50), 'ms');
  } finally {
    await t.close();
  }
}
