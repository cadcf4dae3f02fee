/**
 * The publisher (issue 3 §4, §5, §7): incremental static publishing driven by events, full
 * builds, atomic output with precompressed siblings, the manifest and tamper protection, and
 * previews. What the rest of the app uses of it.
 */
export { PUBLISHING_EVENTS, type PublishingEvent, affectedGroups, groupsOfItem, neighbourGroups, touchesOf } from './affected.js';
export { FULL_BUILD_JOB, RENDER_JOB, TAMPER_CHECK_JOB, type PublishingDeps, eventJob, registerPublishingJobs } from './jobs.js';
export { DbManifest, type Manifest, type ManifestRow, MemoryManifest } from './manifest.js';
export { EVERYTHING, assetsGroup, articleGroup, columnGroup, homeGroup, placementGroup, rssGroup, sitemapGroup, notFoundGroup, redirectGroup, wholeSite } from './pages.js';
export { type Preview, renderArticlePreview, renderColumnPreview } from './preview.js';
export { type Progress, type PublishResult, Publisher, type PublisherOptions } from './publisher.js';
export type { PageRenderer, RenderFailure } from './render.js';
export { type TamperReport, tamperCheck } from './tamper.js';
export { toTraditional } from './traditional.js';
export { type DynamicPage, type DynamicPageOptions, dynamicPage } from './dynamicPage.js';
