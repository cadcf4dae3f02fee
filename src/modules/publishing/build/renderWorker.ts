/**
 * A render worker (worker thread) of RenderPool: renders pages with its own ThemeEngine and
 * converts Traditional pages, so Liquid and OpenCC run on every core. Site overrides come with
 * each request (the pool loads them once per site); an engine is rebuilt when they change.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ThemeEngine } from '../theme/engine.js';
import type { RenderContext } from '../model.js';
import { toTraditional } from './traditional.js';

export interface RenderRequest {
  id: number;
  siteId: number;
  theme: string;
  template: string;
  ctx: RenderContext;
  convert: boolean;
  overrides: Record<string, string>;
  /** Changes whenever the site's overrides do. */
  overridesKey: string;
}

export type RenderReply = { id: number; html: string } | { id: number; error: { name: string; message: string; kind?: string; template?: string; line?: number | null; column?: number | null } };

const themesDir = (workerData as { themesDir: string }).themesDir;
const engines = new Map<number, { key: string; engine: ThemeEngine }>();

function engineFor(req: RenderRequest): ThemeEngine {
  const have = engines.get(req.siteId);
  if (have && have.key === req.overridesKey) return have.engine;
  const overrides = req.overrides;
  const engine = new ThemeEngine({ themesDir, loadOverrides: async () => overrides });
  engines.set(req.siteId, { key: req.overridesKey, engine });
  return engine;
}

parentPort!.on('message', (req: RenderRequest) => {
  engineFor(req)
    .render(req.siteId, req.theme, req.template, req.ctx)
    .then(
      (html) => parentPort!.postMessage({ id: req.id, html: req.convert ? toTraditional(html) : html } satisfies RenderReply),
      (e: unknown) => {
        const err = e as { name?: string; message?: string; kind?: string; template?: string; line?: number | null; column?: number | null };
        parentPort!.postMessage({
          id: req.id,
          error: { name: String(err?.name ?? 'Error'), message: String(err?.message ?? e), kind: err?.kind, template: err?.template, line: err?.line, column: err?.column },
        } satisfies RenderReply);
      },
    );
});
