/**
 * Starting a worker thread on this project's sources: on the TypeScript sources tsx is
 * registered inside the worker first (a worker does not inherit the main thread's loader, see
 * bin/jiyue.mjs); on compiled JavaScript the module is imported as it is. WorkerChannel is the
 * request and reply over one such thread that the render pool and the segmentation thread share.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The worker module beside `importMetaUrl` named `name` (no extension): .ts under tsx, .js when compiled. */
export const workerModule = (name: string, importMetaUrl: string): URL => new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);

export function startWorker(module: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const target = JSON.stringify(module.href);
  const boot = module.pathname.endsWith('.ts') ? `import('tsx/esm/api').then((m) => { m.register(); return import(${target}); });` : `import(${target});`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * One worker thread answering requests: each message posted with an `id`, the reply carrying it
 * back; `settle` turns a reply into the answer or an Error. When the thread dies (an error, an
 * exit not asked for) every request in flight fails with the reason, later ones too, and
 * `onDeath` is told (a pool replaces the thread); `close()` ends it, failing what is in flight.
 */
export class WorkerChannel<Answer, Reply extends { id: number } = { id: number }> {
  private readonly worker: Worker;
  private readonly name: string;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private dead: Error | undefined;
  private closing = false;

  constructor(
    module: URL,
    options: Omit<WorkerOptions, 'eval'> & {
      /** What the thread is, for the errors: "the {name} stopped", "the {name} was closed". */
      name: string;
      /** The thread does not keep the process alive. */
      unref?: boolean;
    },
    private readonly settle: (reply: Reply) => Answer | Error,
    private readonly onDeath?: (e: Error) => void,
  ) {
    const { name, unref, ...workerOptions } = options;
    this.name = name;
    this.worker = startWorker(module, workerOptions);
    if (unref) this.worker.unref();
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      const answer = this.settle(m);
      if (answer instanceof Error) p.reject(answer);
      else p.resolve(answer);
    });
    this.worker.on('error', (e) => this.die(e));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.die(new Error(`the ${this.name} stopped (exit code ${code})`));
    });
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  request(message: object): Promise<Answer> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
    this.fail(new Error(`the ${this.name} was closed`));
  }

  private die(e: Error): void {
    if (this.closing || this.dead) return;
    this.fail(e);
    this.closing = true;
    void this.worker.terminate();
    this.onDeath?.(e);
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
