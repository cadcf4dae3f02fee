import { buildApp } from '../app.js';
import { systemClock } from '../lib/time.js';
import { bootstrapAdmins } from '../modules/accounts/bootstrap.js';
import { Worker } from '../modules/jobs/worker.js';
import { openRuntime } from './runtime.js';
import { seedIfEmpty } from '../seed/seed.js';

/** `jiyue start`: migrate, seed the demo on an empty database, serve, run the worker loop. */
export async function start(): Promise<void> {
  const t0 = performance.now();
  const { config, store, log } = await openRuntime();
  const accounts = await bootstrapAdmins(store, systemClock(), config.adminPassword);
  if (config.demo) await seedIfEmpty(store, config, log, systemClock());
  const jiyue = await buildApp({ config, store, log, clock: systemClock });
  const worker = new Worker(store, jiyue.jobs, log, systemClock);
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
