import type { JiyueApp } from '../../../app.js';
import type { Ctx } from '../../../lib/ctx.js';
import type { RenderContext } from '../model.js';
import type { ThemeSite } from './access.js';
import { DEFAULT_THEMES_DIR, ThemeEngine } from './engine.js';
import { loadActiveOverrides } from './overrides.js';
import type { SampleKind } from './schema.js';

/**
 * Supplies the model a template preview renders with (e.g. the site's real home page model).
 * Returning null falls back to the fixture model (theme/fixtures.ts).
 */
export type PreviewModelProvider = (ctx: Ctx, site: ThemeSite, kind: SampleKind) => Promise<RenderContext | null>;

export interface ThemeServices {
  /** One engine per app: the API's saves invalidate the same cache the publisher renders from. */
  engine: ThemeEngine;
  previewModel: PreviewModelProvider | null;
}

const byApp = new WeakMap<JiyueApp, ThemeServices>();

/** The app's theme engine and preview hook, created on first use. */
export function themeServices(app: JiyueApp): ThemeServices {
  let s = byApp.get(app);
  if (!s) {
    const db = app.deps.store.db;
    s = { engine: new ThemeEngine({ themesDir: DEFAULT_THEMES_DIR, loadOverrides: (siteId) => loadActiveOverrides(db, siteId) }), previewModel: null };
    byApp.set(app, s);
  }
  return s;
}

export const themeEngineFor = (app: JiyueApp): ThemeEngine => themeServices(app).engine;

/** Lets the publisher give previews a real model instead of the fixture. */
export function setPreviewModel(app: JiyueApp, provider: PreviewModelProvider | null): void {
  themeServices(app).previewModel = provider;
}
