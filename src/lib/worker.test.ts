/**
 * WorkerChannel, the request and reply over one worker thread (render pool, segmentation thread):
 * answers reach their callers, a refusal reaches only its caller, and a thread that dies or is
 * closed fails what is in flight and everything after, saying why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerChannel } from './worker.js';

const ECHO = new URL('../../test/fixtures/echoWorker.ts', import.meta.url);
type Reply = { id: number; value?: string; error?: string };
const open: WorkerChannel<string, Reply>[] = [];

function channel(onDeath?: (e: Error) => void): WorkerChannel<string, Reply> {
  const c = new WorkerChannel<string, Reply>(ECHO, { name: 'echo thread', unref: true }, (m) => (m.error ? new Error(m.error) : (m.value ?? '')), onDeath);
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe('WorkerChannel', () => {
  it('answers each request with its own reply, many at once', async () => {
    const c = channel();
    const words = ['社保', '公积金', "'; DROP TABLE x; --", '😀', ''];
    const asked = words.map((value) => c.request({ op: 'echo', value }));
    expect(c.inFlight).toBe(words.length);
    expect(await Promise.all(asked)).toEqual(words);
    expect(c.inFlight).toBe(0);
  });

  it('gives a refused request its error and goes on with the next', async () => {
    const c = channel();
    await expect(c.request({ op: 'refuse', value: '无效' })).rejects.toThrow('refused: 无效');
    expect(await c.request({ op: 'echo', value: '下一个' })).toBe('下一个');
  });

  it('fails what is in flight and what comes after when the thread exits, and says so once', async () => {
    const deaths: Error[] = [];
    const c = channel((e) => deaths.push(e));
    const hanging = c.request({ op: 'hang' });
    const exiting = c.request({ op: 'exit' });
    await expect(hanging).rejects.toThrow('the echo thread stopped (exit code 3)');
    await expect(exiting).rejects.toThrow('the echo thread stopped (exit code 3)');
    await expect(c.request({ op: 'echo', value: 'x' })).rejects.toThrow('stopped');
    expect(deaths.map((e) => e.message)).toEqual(['the echo thread stopped (exit code 3)']);
  });

  it('fails what is in flight with the error thrown in the thread', async () => {
    const deaths: Error[] = [];
    const c = channel((e) => deaths.push(e));
    const hanging = c.request({ op: 'hang' });
    await expect(c.request({ op: 'throw' })).rejects.toThrow('thrown in the worker');
    await expect(hanging).rejects.toThrow('thrown in the worker');
    expect(deaths).toHaveLength(1);
  });

  it('fails what is in flight when closed, and refuses work afterwards, without calling it a death', async () => {
    const deaths: Error[] = [];
    const c = channel((e) => deaths.push(e));
    const hanging = c.request({ op: 'hang' });
    await c.close();
    await expect(hanging).rejects.toThrow('the echo thread was closed');
    await expect(c.request({ op: 'echo', value: 'x' })).rejects.toThrow('was closed');
    expect(deaths).toEqual([]);
  });
});
