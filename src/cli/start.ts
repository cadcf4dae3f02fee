import type { Logger } from 'pino';
import { type JiyueApp, VERSION, buildApp } from '../app.js';
import { systemClock } from '../lib/time.js';
import { bootstrapAdmins } from '../modules/accounts/bootstrap.js';
import { enqueue } from '../modules/jobs/index.js';
import { Worker } from '../modules/jobs/worker.js';
import { FULL_BUILD_JOB } from '../modules/publishing/build/index.js';
import { buildSignature, hasOutput, recordSignature, recordedSignature } from '../modules/publishing/build/freshness.js';
import { publisherOf } from '../modules/publishing/index.js';
import { DEFAULT_THEMES_DIR } from '../modules/publishing/theme/index.js';
import { seedIfEmpty } from '../seed/seed.js';
import { progressReporter } from './build.js';
import { openRuntime } from './runtime.js';

/** `jiyue start`: migrate, seed the demo on an empty database, serve, run the worker loop. */
export async function start(): Promise<void> {
  const t0 = performance.now();
  const { config, store, log } = await openRuntime();
  const accounts = await bootstrapAdmins(store, systemClock(), config.adminPassword);
  if (config.demo) await seedIfEmpty(store, config, log, systemClock());
  const jiyue = await buildApp({ config, store, log, clock: systemClock });
  const worker = new Worker(store, jiyue.jobs, log, systemClock);
  const built = config.role === 'web' ? null : await ensureBuilt(jiyue, log);
  if (config.role !== 'worker') await jiyue.app.listen({ port: config.port, host: config.host });
  else await jiyue.app.ready();
  if (config.role !== 'web') worker.start();

  const base = config.publicUrl;
  const lines = [
    '',
    `集约 Jiyue is running (${store.dialect}, role ${config.role}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    `  portal   ${base}/`,
    `  console  ${base}/admin/`,
    `  API      ${base}/api/v1/openapi.json`,
  ];
  if (built) lines.push(`  pages    ${built}`);
  for (const a of accounts) lines.push(`  login    ${a.username} / ${a.password ?? '(JIYUE_ADMIN_PASSWORD)'}   [${a.role}; change at first login]`);
  if (accounts.length) lines.push('  (one-time passwords are shown only now)');
  process.stdout.write(lines.join('\n') + '\n\n');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await jiyue.app.close();
    await worker.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * The static pages follow the database: on a first start (no output yet) they are built here,
 * before the server listens, so the first page asked for exists; after a deployment that changed
 * the theme files, a rebuild is queued and the old pages are served until it has run.
 */
async function ensureBuilt(jiyue: JiyueApp, log: Logger): Promise<string | null> {
  const { store, clock } = jiyue.deps;
  const signature = buildSignature(DEFAULT_THEMES_DIR, VERSION);
  if (!(await hasOutput(store.db))) {
    const bar = progressReporter();
    const r = await publisherOf(jiyue).fullBuild((done, total, pages) => bar.update(done, total, pages));
    bar.end();
    if (r.failures.length === 0) await recordSignature(store.db, signature, clock());
    else log.error({ failures: r.failures.length }, 'some pages were not built: template errors');
    return `${r.pages} pages built in ${(r.ms / 1000).toFixed(1)} s`;
  }
  if ((await recordedSignature(store.db)) !== signature) {
    await enqueue(store.db, FULL_BUILD_JOB, { signature }, clock(), { dedupeKey: FULL_BUILD_JOB, maxAttempts: 3 });
    return 'the theme changed since the last build: a full rebuild is queued (后台任务)';
  }
  return null;
}
