/**
 * 互动交流 (issue 5 §4, §5): the FAQ knowledge base (常见问题) — entries per site with variant
 * phrasings, reviewed like articles, shown on FAQ pages and in the unified search index — and the
 * smart Q&A (智能问答): a public page and API answering from the knowledge base and the rest of
 * the index, logging every question with its answer and the visitor's feedback, and the staff's
 * queue of unanswered and unhelpful questions. Letters, surveys and interviews join this module later.
 */
import type { JiyueApp } from '../../app.js';
import { registerInteractionJobs } from './jobs.js';
import { registerInteractionPages } from './pages.js';
import { QUESTION_LIMIT, RateLimiter } from './qa/rateLimit.js';
import { interactionRoutes } from './routes.js';

export const name = 'interaction';
export { type PublicFaq, type PublicScope, publicFaqs } from './faq/queries/publicFaqs.js';
export { faqEntryUrl, faqListUrl, qaUrl } from './urls.js';
export { answerFor, askQuestion, type QaAnswerDto } from './qa/commands/askQuestion.js';
export { createFaq } from './faq/commands/createFaq.js';
export { submitFaq } from './faq/commands/submitFaq.js';
export { reviewFaq } from './faq/commands/reviewFaq.js';
export { forgetKnowledge } from './qa/knowledge.js';

/** Events this module emits (outbox), with their payloads. */
export const INTERACTION_EVENTS = {
  'faq.published': '{ id, siteId }',
  'faq.withdrawn': '{ id, siteId }',
  'faq.expired': '{ id, siteId }',
} as const;

export async function register(app: JiyueApp): Promise<void> {
  const limiter = new RateLimiter(QUESTION_LIMIT);
  interactionRoutes(app, limiter);
  registerInteractionPages(app, limiter);
  registerInteractionJobs(app);
}
