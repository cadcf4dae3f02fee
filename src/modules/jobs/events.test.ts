import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type TestApp, PASSWORD, anonymousClient, createTestApp, loginAs, makeSite, makeUser } from '../../../test/helpers.js';
import { enqueue } from './queue.js';
import { Worker } from './worker.js';

let t: TestApp;
let base: string;

async function cookieOf(username: string): Promise<string> {
  const res = await t.jiyue.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  return String(res.headers['set-cookie']).split(';')[0]!;
}

interface Sse {
  status: number;
  contentType: string | null;
  events: { event: string; id?: string; data: any }[];
  /** Resolves with the first event (from the start) that matches. */
  waitFor(pred: (e: { event: string; data: any }) => boolean, ms?: number): Promise<{ event: string; data: any }>;
  close(): void;
}

/** Opens the stream over real HTTP, as the browser's EventSource would. */
async function open(url: string, cookie: string, headers: Record<string, string> = {}): Promise<Sse> {
  const ac = new AbortController();
  const res = await fetch(`${base}${url}`, { headers: { cookie, accept: 'text/event-stream', ...headers }, signal: ac.signal });
  const events: Sse['events'] = [];
  const waiters: (() => void)[] = [];
  if (!res.ok) await res.text();
  else if (res.body) {
    void (async () => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let cut: number;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const f: Record<string, string> = {};
            for (const line of block.split('\n')) {
              const m = /^(\w+): ?(.*)$/.exec(line);
              if (m) f[m[1]!] = m[2]!;
            }
            if (f.event) events.push({ event: f.event, id: f.id, data: JSON.parse(f.data ?? 'null') });
            for (const w of waiters.splice(0)) w();
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    async waitFor(pred, ms = 5000) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = events.find(pred);
        if (hit) return hit;
        if (Date.now() > until) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => ac.abort(),
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const site = await makeSite(t.store, 'ev');
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'ed', [{ role: 'site_admin', siteId: site }]);
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.jiyue.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => t.close());

describe('live job progress (GET /api/v1/jobs/events)', () => {
  it('streams a long job from waiting through its progress to failure, and back to waiting after a retry', async () => {
    const at = (s: string) => (t.now.value = new Date(`2026-11-20T02:00:${s}.000Z`));
    at('00');
    await enqueue(t.store.db, 'test.long', { pages: 3 }, t.now.value, { maxAttempts: 1 });
    const job = await t.store.db.selectFrom('jobs').select('id').where('type', '=', 'test.long').executeTakeFirstOrThrow();

    const sse = await open('/api/v1/jobs/events', await cookieOf('sys'));
    onTestFinished(() => sse.close());
    expect(sse.status).toBe(200);
    expect(sse.contentType).toMatch(/^text\/event-stream/);
    // What is waiting now comes first.
    expect((await sse.waitFor((e) => e.event === 'job' && e.data.id === job.id)).data).toMatchObject({ type: 'test.long', status: 'pending', progress: null });

    // The stream samples the job's row once a second: each step waits until the test has seen it.
    const gates = [0, 1].map(() => {
      let open!: () => void;
      return { wait: new Promise<void>((r) => (open = r)), open: () => open() };
    });
    t.jiyue.jobs.handle('test.long', async (_payload, jc) => {
      at('01');
      await jc.progress(1, 3, '第 1 页');
      await gates[0]!.wait;
      at('02');
      await jc.progress(2, 3, '第 2 页');
      await gates[1]!.wait;
      at('03');
      throw new Error('磁盘已满');
    });
    const worker = new Worker(t.store, t.jiyue.jobs, pino({ level: 'silent' }), () => t.now.value);
    const run = worker.runOnce();
    const first = await sse.waitFor((e) => e.data?.id === job.id && e.data.progress?.done === 1);
    expect(first.data).toMatchObject({ status: 'running', progress: { done: 1, total: 3, message: '第 1 页' } });
    gates[0]!.open();
    expect((await sse.waitFor((e) => e.data?.id === job.id && e.data.progress?.done === 2)).data.status).toBe('running');
    gates[1]!.open();
    await run;
    const failed = await sse.waitFor((e) => e.data?.id === job.id && e.data.status === 'failed');
    expect(failed.data.lastError).toMatch(/^磁盘已满/);

    at('04');
    const sys = await loginAs(t, 'sys');
    expect((await sys.post(`/api/v1/jobs/${job.id}/retry`)).status).toBe(200);
    const failedAt = sse.events.indexOf(failed as Sse['events'][number]);
    const again = await sse.waitFor((e) => sse.events.indexOf(e as Sse['events'][number]) > failedAt && e.data?.id === job.id && e.data.status === 'pending');
    expect(again.data.attempts).toBe(0);
    expect(again.data.lastError).toBeNull();
    // In order, each change once.
    const seen = sse.events.filter((e) => e.data?.id === job.id).map((e) => `${e.data.status}:${e.data.progress?.done ?? '-'}`);
    expect(seen).toEqual(['pending:-', 'running:1', 'running:2', 'failed:2', 'pending:2']);
    sse.close();
  });

  it('resumes after the last event a reconnecting browser saw, and can follow chosen jobs only', async () => {
    t.now.value = new Date('2026-11-20T03:00:00.000Z');
    await enqueue(t.store.db, 'test.a', {}, t.now.value);
    t.now.value = new Date('2026-11-20T03:00:01.000Z');
    await enqueue(t.store.db, 'test.b', {}, t.now.value);
    const [a, b] = await t.store.db.selectFrom('jobs').select(['id', 'updated_at']).where('type', 'in', ['test.a', 'test.b']).orderBy('id').execute();
    const cookie = await cookieOf('sys');

    const resumed = await open('/api/v1/jobs/events', cookie, { 'last-event-id': a!.updated_at });
    onTestFinished(() => resumed.close());
    await resumed.waitFor((e) => e.data?.id === b!.id);
    expect(resumed.events.some((e) => e.data?.id === a!.id)).toBe(true); // same millisecond as the id: sent again, harmlessly
    resumed.close();

    const only = await open(`/api/v1/jobs/events?ids=${b!.id}`, cookie);
    onTestFinished(() => only.close());
    await only.waitFor((e) => e.data?.id === b!.id);
    await new Promise((r) => setTimeout(r, 1200));
    expect(only.events.filter((e) => e.event === 'job').map((e) => e.data.id)).toEqual([b!.id]);
    only.close();
  });

  it('is for the system administrator only, and refuses bad input in Chinese', async () => {
    const ed = await open('/api/v1/jobs/events', await cookieOf('ed'));
    expect(ed.status).toBe(403);
    const anon = await anonymousClient(t).get('/api/v1/jobs/events');
    expect(anon.status).toBe(401);
    const bad = await (await loginAs(t, 'sys')).get('/api/v1/jobs/events?ids=1;DROP');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/任务编号/);
  });
});
