/**
 * Compile-time only (`npm run check`, which CI runs): the console's copies of the API's objects
 * (admin/src/types.ts, free of server imports so the console builds on its own) are what the
 * server's DTOs give: every field the console reads is sent, with a type the console expects. A
 * field the console declares and the server dropped or retyped fails tsc here (fields the console
 * does not read may be left out of its copy).
 */
import type * as Console from '../admin/src/types.js';
import type { SiteGrants } from '../src/modules/accounts/queries/siteGrants.js';
import type { ArticleDto, ArticleSummaryDto, ReviewDto, SyndicationDto } from '../src/modules/content/dto.js';
import type { VersionSummary } from '../src/modules/content/queries/versions.js';
import type { FaqDto, FaqReviewDto, FaqSummaryDto } from '../src/modules/interaction/faq/dto.js';
import type { FaqSettingsDto } from '../src/modules/interaction/faq/commands/setFaqSettings.js';
import type { HandledDto } from '../src/modules/interaction/qa/commands/handleQuestion.js';
import type { QuestionDto } from '../src/modules/interaction/qa/queries/questionQueue.js';
import type { JobDto } from '../src/modules/jobs/dto.js';
import type { MediaDto } from '../src/modules/media/dto.js';

/** The server's object serves where the console's copy is expected. */
type Serves<Dto, Copy> = [Dto] extends [Copy] ? true : false;

export const sameShapes: {
  articleSummary: Serves<ArticleSummaryDto, Console.ArticleSummary>;
  article: Serves<ArticleDto, Console.Article>;
  review: Serves<ReviewDto, Console.Review>;
  syndication: Serves<SyndicationDto, Console.Syndication>;
  version: Serves<VersionSummary, Console.VersionSummary>;
  faqSummary: Serves<FaqSummaryDto, Console.FaqSummary>;
  faqReview: Serves<FaqReviewDto, Console.FaqReview>;
  faq: Serves<FaqDto, Console.Faq>;
  faqSettings: Serves<FaqSettingsDto, Console.FaqSettings>;
  question: Serves<QuestionDto, Console.QaQuestion>;
  handled: Serves<HandledDto, Console.QaHandled>;
  media: Serves<MediaDto, Console.Media>;
  job: Serves<JobDto, Console.Job>;
  siteGrants: Serves<SiteGrants, Console.SiteGrants>;
} = {
  articleSummary: true,
  article: true,
  review: true,
  syndication: true,
  version: true,
  faqSummary: true,
  faqReview: true,
  faq: true,
  faqSettings: true,
  question: true,
  handled: true,
  media: true,
  job: true,
  siteGrants: true,
};
