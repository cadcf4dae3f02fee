/**
 * Starting a worker thread on this project's sources: on the TypeScript sources tsx is
 * registered inside the worker first (a worker does not inherit the main thread's loader, see
 * bin/jiyue.mjs); on compiled JavaScript the module is imported as it is.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The worker module beside `importMetaUrl` named `name` (no extension): .ts under tsx, .js when compiled. */
export const workerModule = (name: string, importMetaUrl: string): URL => new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);

export function startWorker(module: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const target = JSON.stringify(module.href);
  const boot = module.pathname.endsWith('.ts') ? `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); });` : `import(${target});`;
  return new Worker(boot, { ...options, eval: true });
}
