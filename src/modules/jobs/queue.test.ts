import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIALECT, type TestEnv, createTestStore } from '../../../test/helpers.js';
import { backoffSeconds, claim, emit, enqueue } from './queue.js';
import { JobRegistry, Worker } from './worker.js';

let env: TestEnv;
const log = pino({ level: 'silent' });
const clock = { value: new Date('2026-11-20T00:00:00.000Z') };
const now = () => clock.value;
const later = (s: number) => (clock.value = new Date(clock.value.getTime() + s * 1000));

beforeAll(async () => {
  env = await createTestStore();
});
afterAll(() => env.close());
beforeEach(async () => {
  await env.store.db.deleteFrom('jobs').execute();
});

const statusOf = async (type: string) => env.store.db.selectFrom('jobs').selectAll().where('type', '=', type).execute();

describe('job queue', () => {
  it('runs a due job once and marks it done', async () => {
    const reg = new JobRegistry();
    const seen: unknown[] = [];
    reg.handle('greet', async (p) => void seen.push(p));
    const w = new Worker(env.store, reg, log, now);
    await enqueue(env.store.db, 'greet', { who: '示范市' }, now());
    expect(await w.drain()).toBe(1);
    expect(seen).toEqual([{ who: '示范市' }]);
    expect((await statusOf('greet'))[0]!.status).toBe('done');
    expect(await w.drain()).toBe(0);
  });

  it('waits until run_at', async () => {
    const reg = new JobRegistry();
    let runs = 0;
    reg.handle('later', async () => void runs++);
    const w = new Worker(env.store, reg, log, now);
    await enqueue(env.store.db, 'later', {}, now(), { runAt: new Date(now().getTime() + 60_000) });
    await w.drain();
    expect(runs).toBe(0);
    later(61);
    await w.drain();
    expect(runs).toBe(1);
  });

  it('keeps one live job per dedupe key, and allows it again once done', async () => {
    await enqueue(env.store.db, 'x', { n: 1 }, now(), { dedupeKey: 'k' });
    await enqueue(env.store.db, 'x', { n: 2 }, now(), { dedupeKey: 'k' });
    expect(await statusOf('x')).toHaveLength(1);
    const reg = new JobRegistry();
    reg.handle('x', async () => {});
    await new Worker(env.store, reg, log, now).drain();
    await enqueue(env.store.db, 'x', { n: 3 }, now(), { dedupeKey: 'k' });
    expect(await statusOf('x')).toHaveLength(2);
  });

  it('retries a failing job with backoff and gives up after max attempts', async () => {
    const reg = new JobRegistry();
    let calls = 0;
    reg.handle('flaky', async () => {
      calls++;
      throw new Error('下游服务不可用');
    });
    const w = new Worker(env.store, reg, log, now);
    await enqueue(env.store.db, 'flaky', {}, now(), { maxAttempts: 3 });
    await w.drain();
    let [j] = await statusOf('flaky');
    expect(j!.status).toBe('pending');
    expect(j!.last_error).toMatch(/下游服务不可用/);
    expect(j!.run_at > now().toISOString()).toBe(true);
    await w.drain();
    expect(calls).toBe(1); // not due yet
    later(3600);
    await w.drain();
    later(3600);
    await w.drain();
    [j] = await statusOf('flaky');
    expect(calls).toBe(3);
    expect(j!.status).toBe('failed');
  });

  it('re-claims a job whose worker died (lease expired)', async () => {
    await enqueue(env.store.db, 'orphan', {}, now());
    const claimed = await claim(env.store.db, env.store.dialect, 'dead-worker', 10, now(), 60);
    expect(claimed).toHaveLength(1);
    expect(await claim(env.store.db, env.store.dialect, 'w2', 10, now(), 60)).toHaveLength(0);
    later(61);
    const again = await claim(env.store.db, env.store.dialect, 'w2', 10, now(), 60);
    expect(again.map((j) => j.id)).toEqual(claimed.map((j) => j.id));
    expect(again[0]!.attempts).toBe(2);
  });

  it('never gives one job to two concurrent workers', async () => {
    for (let i = 0; i < 60; i++) await enqueue(env.store.db, 'work', { i }, now());
    const batches = await Promise.all([0, 1, 2, 3].map((w) => claim(env.store.db, env.store.dialect, `w${w}`, 20, now(), 60)));
    const ids = batches.flat().map((j) => j.id);
    expect(ids.length).toBe(60);
    expect(new Set(ids).size).toBe(60);
    if (DIALECT === 'postgres') expect(batches.filter((b) => b.length > 0).length).toBeGreaterThan(1);
  });

  it('fans an event out to every subscriber after commit, and not at all on rollback', async () => {
    const reg = new JobRegistry();
    const got: string[] = [];
    reg.handle('search.index', async (d) => void got.push(`index:${d.id}`));
    reg.handle('pages.render', async (d) => void got.push(`render:${d.id}`));
    reg.subscribe('article.published', 'search.index');
    reg.subscribe('article.published', 'pages.render');
    await env.store.db.transaction().execute((tx) => emit(tx, 'article.published', { id: 7 }, now()));
    await expect(
      env.store.db.transaction().execute(async (tx) => {
        await emit(tx, 'article.published', { id: 8 }, now());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    await new Worker(env.store, reg, log, now).drain();
    expect(got.sort()).toEqual(['index:7', 'render:7']);
  });

  it('schedules recurring jobs again after each run', async () => {
    const reg = new JobRegistry();
    let runs = 0;
    reg.handle('tamper.check', async () => void runs++);
    reg.every('tamper.check', 300);
    const w = new Worker(env.store, reg, log, now);
    await w.scheduleRecurring();
    await w.scheduleRecurring(); // idempotent
    await w.drain();
    expect(runs).toBe(1);
    later(299);
    await w.drain();
    expect(runs).toBe(1);
    later(2);
    await w.drain();
    expect(runs).toBe(2);
  });

  it('backs off exponentially up to an hour', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((a) => backoffSeconds(a, mid))).toEqual([10, 20, 40, 80]);
    expect(backoffSeconds(30, mid)).toBe(3600);
  });
});
