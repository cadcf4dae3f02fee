/**
 * The theme layer of publishing: the Liquid engine, the default theme's fixtures, and the
 * template-override API. The publisher renders with `themeEngineFor(app).render(...)`.
 */
export { DEFAULT_LIMITS, DEFAULT_THEMES_DIR, type EngineLimits, type RenderOptions, TemplateError, ThemeEngine, type ThemeEngineOptions, type ValidationResult } from './engine.js';
export { PAGE_KINDS, type FixturePatch, fixtureArticle, fixtureColumn, fixtureContext, fixtureHome, fixturePagination, fixtureSite, fixtureSummaries } from './fixtures.js';
export { dateCn, filesize, safeUrl, truncateCn } from './filters.js';
export { isTemplateName, isThemeName } from './names.js';
export { loadActiveOverrides } from './overrides.js';
export { TEMPLATE_CHANGED } from './commands/write.js';
export { registerThemeRoutes } from './routes.js';
export { type PreviewModelProvider, type ThemeServices, setPreviewModel, themeEngineFor, themeServices } from './services.js';
