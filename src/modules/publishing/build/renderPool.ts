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
import type { DB } from '../../../db/index.js';
import { WorkerChannel, workerModule } from '../../../lib/worker.js';
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

const WORKER_URL = workerModule('renderWorker', import.meta.url);

export class RenderPool implements PageRenderer {
  private readonly workers: WorkerChannel<string, RenderReply>[] = [];
  private readonly overrides = new Map<number, Promise<{ overrides: Record<string, string>; key: string }>>();
  private readonly assets: ThemeEngine;
  private closed = false;

  constructor(private readonly opts: RenderPoolOptions) {
    this.assets = new ThemeEngine({ themesDir: opts.themesDir, loadOverrides: async () => ({}) });
    const size = Math.max(1, opts.size ?? os.availableParallelism());
    for (let i = 0; i < size; i++) this.spawn(i);
  }

  /** A worker for slot i; one that dies fails its requests (the publish retries them) and a new one takes its place. */
  private spawn(i: number): void {
    this.workers[i] = new WorkerChannel<string, RenderReply>(
      WORKER_URL,
      { name: 'render worker', unref: true, workerData: { themesDir: this.opts.themesDir } },
      (m) => ('html' in m ? m.html : Object.assign(new Error(m.error.message), m.error)),
      () => {
        if (!this.closed) this.spawn(i);
      },
    );
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
    let w = this.workers[0]!;
    for (const x of this.workers) if (x.inFlight < w.inFlight) w = x;
    return w.request({ siteId, theme, template, ctx, convert, overrides, overridesKey: key } satisfies Omit<RenderRequest, 'id'>);
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
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

export const renderWorkerFile = fileURLToPath(WORKER_URL);
