/** The interaction module's REST API (HTTP only): the FAQ knowledge base, the public Q&A, the staff queue. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { JiyueApp } from '../../app.js';
import { IdParams } from '../../http/pagination.js';
import type { Ctx } from '../../lib/ctx.js';
import { type Result, fail } from '../../lib/errors.js';
import { createFaq } from './faq/commands/createFaq.js';
import { deleteFaq } from './faq/commands/deleteFaq.js';
import { reviewFaq } from './faq/commands/reviewFaq.js';
import { getFaqSettings, setFaqSettings } from './faq/commands/setFaqSettings.js';
import { submitFaq } from './faq/commands/submitFaq.js';
import { updateFaq } from './faq/commands/updateFaq.js';
import { withdrawFaq } from './faq/commands/withdrawFaq.js';
import { getFaq } from './faq/queries/getFaq.js';
import { faqTopics, listFaq } from './faq/queries/listFaq.js';
import { CreateFaqInput, FaqListQuery, FaqReviewInput, FaqSettingsInput, FaqSettingsQuery, FaqWithdrawInput, UpdateFaqInput } from './faq/schema.js';
import { askQuestion } from './qa/commands/askQuestion.js';
import { giveFeedback } from './qa/commands/giveFeedback.js';
import { assignQuestion, handleQuestion } from './qa/commands/handleQuestion.js';
import { forgetKnowledge } from './qa/knowledge.js';
import { questionQueue } from './qa/queries/questionQueue.js';
import type { RateLimiter } from './qa/rateLimit.js';
import { AskInput, AssignInput, FeedbackInput, HandleInput, QuestionListQuery } from './qa/schema.js';
import { QueryId } from './schema.js';

const F = '/api/v1/faq';
const Q = '/api/v1/qa/questions';
/** A question is a few hundred bytes: anything much larger is refused before it is parsed. */
export const PUBLIC_BODY_LIMIT = 16 * 1024;

/** After a command that may have changed what is public, this process's matcher reloads at once (others within seconds). */
const fresh =
  <T>(run: (ctx: Ctx) => Promise<Result<T>>) =>
  async (ctx: Ctx): Promise<Result<T>> => {
    const r = await run(ctx);
    if (r.ok) forgetKnowledge(ctx.db);
    return r;
  };

export function rateLimited(limiter: RateLimiter, req: FastifyRequest, reply: FastifyReply) {
  const client = req.ip ?? 'unknown';
  if (limiter.take(client)) return null;
  reply.header('retry-after', String(limiter.retryAfter(client)));
  return fail('rate_limited', '提问过于频繁，请稍后再试');
}

export function interactionRoutes({ router }: JiyueApp, limiter: RateLimiter): void {
  const tag = 'interaction';
  router.add({ method: 'GET', url: F, summary: '问答知识库条目列表（有权查看的站点；可按站点、状态、主题、关键词筛选，awaitingMe=1 为待我审核）', tag, auth: 'user', query: FaqListQuery, handler: (ctx, { query }) => listFaq(ctx, query) });
  router.add({
    method: 'POST',
    url: F,
    summary: '新建问答条目（草稿）；带 sourceQuestionId 时该智能问答问题同时标记为已处理',
    tag,
    auth: 'user',
    body: CreateFaqInput,
    status: 201,
    handler: (ctx, { body }) => createFaq(ctx, body),
  });
  router.add({
    method: 'GET',
    url: `${F}/topics`,
    summary: '问答条目的主题及条目数',
    tag,
    auth: 'user',
    query: z.object({ siteId: QueryId.optional() }),
    handler: (ctx, { query }) => faqTopics(ctx, query.siteId),
  });
  router.add({ method: 'GET', url: `${F}/settings`, summary: '站点的问答条目审核级数', tag, auth: 'user', query: FaqSettingsQuery, handler: (ctx, { query }) => getFaqSettings(ctx, query.siteId) });
  router.add({ method: 'PUT', url: `${F}/settings`, summary: '设置站点的问答条目审核级数（0-3，站点管理员）', tag, auth: 'user', body: FaqSettingsInput, handler: (ctx, { body }) => setFaqSettings(ctx, body) });
  router.add({ method: 'GET', url: `${F}/:id`, summary: '问答条目详情（含答案与审核记录）', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => getFaq(ctx, params.id) });
  router.add({
    method: 'PATCH',
    url: `${F}/:id`,
    summary: '修改问答条目（须带 baseVersion；他人已保存新版本时返回 409）',
    tag,
    auth: 'user',
    params: IdParams,
    body: UpdateFaqInput,
    handler: (ctx, { params, body }) => updateFaq(ctx, params.id, body),
  });
  router.add({ method: 'DELETE', url: `${F}/:id`, summary: '删除从未发布过的问答条目', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => deleteFaq(ctx, params.id) });
  router.add({ method: 'POST', url: `${F}/:id/submit`, summary: '问答条目送审（不需审核的站点直接发布）', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => fresh((c) => submitFaq(c, params.id))(ctx) });
  router.add({
    method: 'POST',
    url: `${F}/:id/review`,
    summary: '审核问答条目：通过（进入下一级或发布）或退回（须填写意见）',
    tag,
    auth: 'user',
    params: IdParams,
    body: FaqReviewInput,
    handler: (ctx, { params, body }) => fresh((c) => reviewFaq(c, params.id, body))(ctx),
  });
  router.add({
    method: 'POST',
    url: `${F}/:id/withdraw`,
    summary: '撤下已发布的问答条目，或撤回审核中的条目（须填写原因）',
    tag,
    auth: 'user',
    params: IdParams,
    body: FaqWithdrawInput,
    handler: (ctx, { params, body }) => fresh((c) => withdrawFaq(c, params.id, body))(ctx),
  });

  // ---- the public Q&A ----
  router.add({
    method: 'POST',
    url: '/api/v1/public/qa',
    summary: '智能问答：提问，返回 {answer, related, passages, questionId}（问题先记录后答复；每个地址每分钟最多 30 问）',
    tag,
    auth: 'public',
    body: AskInput,
    bodyLimit: PUBLIC_BODY_LIMIT,
    handler: async (ctx, { body }, req, reply) => {
      const limited = rateLimited(limiter, req, reply);
      if (limited) return limited;
      return askQuestion({ db: ctx.db, dialect: ctx.dialect, now: ctx.now }, body);
    },
  });
  router.add({
    method: 'POST',
    url: '/api/v1/public/qa/:id/feedback',
    summary: '智能问答：对答案的评价（有帮助 / 没帮助），须带提问时的会话标识',
    tag,
    auth: 'public',
    params: IdParams,
    body: FeedbackInput,
    bodyLimit: PUBLIC_BODY_LIMIT,
    handler: (ctx, { params, body }) => giveFeedback({ db: ctx.db, now: ctx.now }, params.id, body),
  });

  // ---- the staff's queue ----
  router.add({
    method: 'GET',
    url: Q,
    summary: '智能问答问题：待处理（未能回答或答案没帮助）、已处理或全部（有权查看的站点）',
    tag,
    auth: 'user',
    query: QuestionListQuery,
    handler: (ctx, { query }) => questionQueue(ctx, query),
  });
  router.add({
    method: 'POST',
    url: `${Q}/:id/handle`,
    summary: '将问题标记为已处理（须填写说明；转为知识库条目请用 POST /api/v1/faq 并带 sourceQuestionId）',
    tag,
    auth: 'user',
    params: IdParams,
    body: HandleInput,
    handler: (ctx, { params, body }) => handleQuestion(ctx, params.id, body),
  });
  router.add({ method: 'POST', url: `${Q}/:id/assign`, summary: '将问题转交其他站点处理', tag, auth: 'user', params: IdParams, body: AssignInput, handler: (ctx, { params, body }) => assignQuestion(ctx, params.id, body) });
}
