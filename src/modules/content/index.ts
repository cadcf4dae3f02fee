import type { JiyueApp } from '../../app.js';
import { registerJobs } from './jobs.js';
import { consoleRoutes } from './consoleRoutes.js';
import { contentRoutes } from './routes.js';

export const name = 'content';
export { articleUrl, PORTAL_SITE_CODE } from './url.js';
export { sanitizeBody, bodyText } from './sanitize.js';
export { type ArticleFields } from './schema.js';
export type { ArticleDto, ArticleSummaryDto, SyndicationDto } from './dto.js';
export type { ArticleStatus, SyndicationStatus } from './tables.js';
export { getArticle } from './queries/getArticle.js';
export { readVersion as readArticleVersion } from './store.js';
export { createArticle } from './commands/createArticle.js';
export { submitArticle } from './commands/submitArticle.js';
export { reviewArticle } from './commands/reviewArticle.js';
export { syndicateArticle } from './commands/syndicateArticle.js';
export { reviewSyndication } from './commands/reviewSyndication.js';
export { importPublishedArticle, type ImportArticleInput } from './commands/importArticle.js';

/** Events this module emits (outbox), with their payloads. */
export const CONTENT_EVENTS = {
  'article.published': '{ id, siteId, columnId }',
  'article.withdrawn': '{ id, siteId, columnId }',
  'article.expired': '{ id, siteId, columnId }',
  'article.moved': '{ id, siteId, fromColumnId, toColumnId }',
  'syndication.published': '{ id, articleId, siteId, columnId }',
  'syndication.withdrawn': '{ id, articleId, siteId, columnId }',
} as const;

export async function register(app: JiyueApp): Promise<void> {
  contentRoutes(app);
  consoleRoutes(app);
  registerJobs(app.jobs);
}
