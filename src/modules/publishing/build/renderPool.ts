/**
 * The theme engine on worker threads: a PageRenderer whose render calls run on a pool of workers
 * (renderWorker.ts), each with its own ThemeEngine, so rendering and Traditional conversion —
 * most of a page's cost — use every core. Same output as ThemeEngine (same templates, same
 * overrides), so it can replace it anywhere; tests use the in-process engine.
 *
 * The workers load the TypeScript sources through tsx (lib/worker.ts), like the CLI; they are
 * unref'd (they never keep the process alive) and `close()` ends them.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { DB } from '../../../db/index.js';
import { startWorker, workerModule } from '../../../lib/worker.js';
import type { RenderContext } from '../model.js';
import { ThemeEngine, loadActiveOverrides } from '../theme/index.js';
import type { PageRenderer } from './render.js';
import type { RenderReply, RenderRequest } from './renderWorker.js';

export interface RenderPoolOptions {
  themesDir: string;
  db: DB;
  /** Worker threads (default: one per core). */
  size?: number;
}

type Pending = { resolve: (html: string) => void; reject: (e: Error) => void };

const WORKER_URL = workerModule('renderWorker', import.meta.url);

export class RenderPool implements PageRenderer {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending & { worker: number }>();
  private readonly overrides = new Map<number, Promise<{ overrides: Record<string, string>; key: string }>>();
  private readonly assets: ThemeEngine;
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: RenderPoolOptions) {
    this.assets = new ThemeEngine({ themesDir: opts.themesDir, loadOverrides: async () => ({}) });
    const size = Math.max(1, opts.size ?? os.availableParallelism());
    for (let i = 0; i < size; i++) this.spawn(i);
  }

  private spawn(i: number): void {
    const w = startWorker(WORKER_URL, { workerData: { themesDir: this.opts.themesDir } });
    w.unref();
    w.on('message', (m: RenderReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.load[i]!--;
      if ('html' in m) p.resolve(m.html);
      else p.reject(Object.assign(new Error(m.error.message), m.error));
    });
    w.on('error', (err) => this.fail(i, err));
    w.on('exit', (code) => {
      if (!this.closed) this.fail(i, new Error(`render worker exited (${code})`));
    });
    this.workers[i] = w;
    this.load[i] = 0;
  }

  /** A dead worker's requests fail (the publish retries them) and a new worker takes its place. */
  private fail(i: number, err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== i) continue;
      this.pending.delete(id);
      p.reject(err);
    }
    if (!this.closed) {
      void this.workers[i]?.terminate();
      this.spawn(i);
    }
  }

  private siteOverrides(siteId: number): Promise<{ overrides: Record<string, string>; key: string }> {
    let p = this.overrides.get(siteId);
    if (!p) {
      p = loadActiveOverrides(this.opts.db, siteId).then((overrides) => ({ overrides, key: crypto.createHash('sha256').update(JSON.stringify(overrides)).digest('hex') }));
      this.overrides.set(siteId, p);
      p.catch(() => this.overrides.delete(siteId));
    }
    return p;
  }

  render(siteId: number, theme: string, template: string, ctx: RenderContext): Promise<string> {
    return this.renderPage(siteId, theme, template, ctx, false);
  }

  async renderPage(siteId: number, theme: string, template: string, ctx: RenderContext, convert: boolean): Promise<string> {
    if (this.closed) throw new Error('render pool closed');
    const { overrides, key } = await this.siteOverrides(siteId);
    // The least busy worker.
    let i = 0;
    for (let j = 1; j < this.workers.length; j++) if (this.load[j]! < this.load[i]!) i = j;
    const id = ++this.seq;
    return new Promise<string>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: i });
      this.load[i]!++;
      const req: RenderRequest = { id, siteId, theme, template, ctx, convert, overrides, overridesKey: key };
      this.workers[i]!.postMessage(req);
    });
  }

  themeAssets(theme: string): Map<string, Buffer> {
    return this.assets.themeAssets(theme);
  }

  invalidate(siteId?: number): void {
    if (siteId === undefined) this.overrides.clear();
    else this.overrides.delete(siteId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const p of this.pending.values()) p.reject(new Error('render pool closed'));
    this.pending.clear();
  }
}

export const renderWorkerFile = fileURLToPath(WORKER_URL);
