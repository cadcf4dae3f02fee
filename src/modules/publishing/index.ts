import type { JiyueApp } from '../../app.js';
import { registerThemeRoutes } from './theme/index.js';

export const name = 'publishing';
export { ThemeEngine, themeEngineFor } from './theme/index.js';

/** Themes and template overrides; the publisher and static serving register beside them. */
export async function register(app: JiyueApp): Promise<void> {
  registerThemeRoutes(app);
}
