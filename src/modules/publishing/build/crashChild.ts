/**
 * Run by crash.test.ts in a child process: a full build (with the test renderer at template
 * version CRASH_VERSION, so every file changes) that the test kills with SIGKILL at a random moment.
 * Prints "started" as the build begins, "progress <done> <total>" after each batch and "done" at the end. Test-only.
 */
import pino from 'pino';
import { openStore } from '../../../db/index.js';
import { Publisher } from './publisher.js';
import { ModelRenderer } from './testing.js';

const env = (k: string): string => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`${k} missing`);
  return v;
};
const store = openStore({ databaseUrl: process.env.CRASH_DATABASE_URL || undefined, dataDir: env('CRASH_DATA_DIR'), poolSize: 2 });
const publisher = new Publisher({
  store,
  renderer: new ModelRenderer(Number(env('CRASH_VERSION'))),
  publicDir: env('CRASH_PUBLIC_DIR'),
  publicUrl: 'http://127.0.0.1:3000',
  clock: () => new Date('2026-11-20T02:00:00.000Z'),
  log: pino({ level: 'silent' }),
  fsync: true,
  // Small batches: writing starts at once and goes on through the whole build.
  batchSize: 10,
});
const t0 = performance.now();
process.stdout.write('started\n');
await publisher.fullBuild((done, total) => {
  process.stdout.write(`progress ${done} ${total}\n`);
  if (process.env.CRASH_DEBUG) process.stderr.write(`${Math.round(performance.now() - t0)} ms ${done}/${total}\n`);
});
if (process.env.CRASH_DEBUG) process.stderr.write(`${Math.round(performance.now() - t0)} ms built\n`);
process.stdout.write('done\n');
await store.close();
