import type { JiyueApp } from '../../app.js';
import { type Publisher, registerPublishingJobs } from './build/index.js';
import { realPreviewModel } from './build/previewModel.js';
import { registerPublishingRoutes } from './build/routes.js';
import { invalidate } from './serve/index.js';
import { registerThemeRoutes, setPreviewModel, themeEngineFor } from './theme/index.js';

export const name = 'publishing';
export { ThemeEngine, themeEngineFor } from './theme/index.js';

const publishers = new WeakMap<JiyueApp, Publisher>();

/** The app's publisher (registered with its jobs by `register`). */
export function publisherOf(app: JiyueApp): Publisher {
  const p = publishers.get(app);
  if (!p) throw new Error('the publishing module is not registered on this app');
  return p;
}

/**
 * Themes and template overrides, the publisher (its event jobs, full builds and the tamper
 * check, rendering with the app's one theme engine so a template save is seen at once), previews
 * in the real theme, and the static server's cache told of every file written or removed.
 * Static serving itself is installed by src/app.ts in front of Fastify.
 */
export async function register(app: JiyueApp): Promise<void> {
  registerThemeRoutes(app);
  const engine = themeEngineFor(app);
  setPreviewModel(app, realPreviewModel);
  publishers.set(app, registerPublishingJobs(app, { renderer: engine, onChange: (paths) => invalidate(paths) }));
  registerPublishingRoutes(app, engine);
}
