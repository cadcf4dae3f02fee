import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT, type TestApp, createTestApp, loginAs, makeUser } from '../../../test/helpers.js';
import { openStore } from '../../db/index.js';
import { FULL_BUILD_JOB } from '../publishing/build/index.js';
import { JobRegistry, Worker } from './worker.js';

let t: TestApp;
let worker: Worker;
beforeAll(async () => {
  t = await createTestApp();
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  // Polls once a minute: only a wake-up can make it run a job within the test.
  worker = new Worker(t.store, t.jiyue.jobs, pino({ level: 'silent' }), () => t.now.value, { pollMs: 60_000 });
  worker.start();
});
afterAll(async () => {
  await worker.stop();
  await t.close();
});

async function statusWithin(id: number, ms: number): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const j = await t.store.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    if (j.status === 'done' || Date.now() > end) return j.status;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('waking the worker', () => {
  it('runs a job queued by a write request at once, without waiting for the next poll', async () => {
    await new Promise((r) => setTimeout(r, 200)); // the first round (recurring jobs) is over
    const sys = await loginAs(t, 'sys');
    const r = await sys.post('/api/v1/publishing/rebuild', {});
    expect(r.status).toBe(202);
    expect(await statusWithin(r.body.jobId, 3000)).toBe('done');
  });

  it('is not woken by reads or refused writes', async () => {
    let woken = 0;
    const off = t.jiyue.jobs.onWake(() => woken++);
    const sys = await loginAs(t, 'sys'); // a write (login) that succeeds: one wake-up
    const afterLogin = woken;
    expect(afterLogin).toBe(1);
    await sys.get('/api/v1/jobs');
    await sys.post('/api/v1/publishing/rebuild', { bad: 1 });
    expect(woken).toBe(afterLogin);
    off();
  });
});

// PostgreSQL only: SQLite has no NOTIFY, and an embedded SQLite installation runs its one worker in the web process.
describe.skipIf(DIALECT !== 'postgres')('waking a worker in another process (PostgreSQL LISTEN/NOTIFY)', () => {
  it('runs a job queued by a write in the web process within a second, though it polls once a minute', async () => {
    // "Another process": its own connection pool and its own registry, so only a NOTIFY reaches it.
    const other = openStore({ databaseUrl: t.store.databaseUrl, dataDir: t.dataDir, poolSize: 2 });
    const registry = new JobRegistry();
    const ran: number[] = [];
    registry.handle(FULL_BUILD_JOB, async (_p, _jc, job) => void ran.push(job.id));
    const remote = new Worker(other, registry, pino({ level: 'silent' }), () => t.now.value, { pollMs: 60_000 });
    await worker.stop(); // the in-process worker of this file must not take the job
    remote.start();
    try {
      await new Promise((r) => setTimeout(r, 300)); // connected and listening, first round over
      const sys = await loginAs(t, 'sys');
      const r = await sys.post('/api/v1/publishing/rebuild', {});
      expect(r.status).toBe(202);
      const end = Date.now() + 1500;
      while (!ran.includes(r.body.jobId) && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
      expect(ran).toContain(r.body.jobId);
    } finally {
      await remote.stop();
      await other.close();
      worker.start();
    }
  });
});
