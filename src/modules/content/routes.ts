import type { JiyueApp } from '../../app.js';
import { IdParams, PageQuery } from '../../http/pagination.js';
import { createArticle } from './commands/createArticle.js';
import { deleteArticle } from './commands/deleteArticle.js';
import { moveArticle } from './commands/moveArticle.js';
import { publishArticle } from './commands/publishArticle.js';
import { reviewArticle } from './commands/reviewArticle.js';
import { reviewSyndication } from './commands/reviewSyndication.js';
import { submitArticle } from './commands/submitArticle.js';
import { syndicateArticle } from './commands/syndicateArticle.js';
import { updateArticle } from './commands/updateArticle.js';
import { withdrawArticle } from './commands/withdrawArticle.js';
import { withdrawSyndication } from './commands/withdrawSyndication.js';
import { getArticle } from './queries/getArticle.js';
import { listArticles } from './queries/listArticles.js';
import { listSyndications } from './queries/listSyndications.js';
import { myReturned } from './queries/myReturned.js';
import { reviewQueue } from './queries/reviewQueue.js';
import { diffVersions, getVersion, listVersions } from './queries/versions.js';
import {
  ArticleListQuery,
  CreateArticleInput,
  DiffQuery,
  MoveInput,
  PublishInput,
  ReviewInput,
  SyndicateInput,
  SyndicationListQuery,
  UpdateArticleInput,
  VersionParams,
  WithdrawInput,
} from './schema.js';

const tag = 'content';
const A = '/api/v1/articles';

export function contentRoutes({ router }: JiyueApp): void {
  router.add({
    method: 'GET',
    url: A,
    summary: '稿件列表（仅限有权查看的站点与栏目；可按站点、栏目、状态、标题、日期、本人筛选）',
    tag,
    auth: 'user',
    query: ArticleListQuery,
    handler: (ctx, { query }) => listArticles(ctx, query),
  });
  router.add({ method: 'POST', url: A, summary: '新建稿件（草稿，第 1 版）', tag, auth: 'user', body: CreateArticleInput, status: 201, handler: (ctx, { body }) => createArticle(ctx, body) });
  router.add({
    method: 'GET',
    url: `${A}/returned`,
    summary: '本人被退回的稿件',
    tag,
    auth: 'user',
    query: PageQuery,
    handler: (ctx, { query }) => myReturned(ctx, query),
  });
  router.add({ method: 'GET', url: `${A}/:id`, summary: '稿件详情（含附件、推送与审核记录）', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => getArticle(ctx, params.id) });
  router.add({
    method: 'PATCH',
    url: `${A}/:id`,
    summary: '修改稿件（须带 baseVersion；他人已保存新版本时返回 409）',
    tag,
    auth: 'user',
    params: IdParams,
    body: UpdateArticleInput,
    handler: (ctx, { params, body }) => updateArticle(ctx, params.id, body),
  });
  router.add({ method: 'DELETE', url: `${A}/:id`, summary: '删除从未发布过的稿件', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => deleteArticle(ctx, params.id) });
  router.add({ method: 'POST', url: `${A}/:id/submit`, summary: '送审', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => submitArticle(ctx, params.id) });
  router.add({
    method: 'POST',
    url: `${A}/:id/review`,
    summary: '审核：通过（进入下一级或发布）或退回（须填写意见）',
    tag,
    auth: 'user',
    params: IdParams,
    body: ReviewInput,
    handler: (ctx, { params, body }) => reviewArticle(ctx, params.id, body),
  });
  router.add({
    method: 'POST',
    url: `${A}/:id/publish`,
    summary: '发布已审核的稿件：立即发布，或指定将来的时间定时发布',
    tag,
    auth: 'user',
    params: IdParams,
    body: PublishInput,
    handler: (ctx, { params, body }) => publishArticle(ctx, params.id, body),
  });
  router.add({
    method: 'POST',
    url: `${A}/:id/withdraw`,
    summary: '撤稿（已发布的稿件下线）或撤回（审核中的稿件退为草稿），须填写原因',
    tag,
    auth: 'user',
    params: IdParams,
    body: WithdrawInput,
    handler: (ctx, { params, body }) => withdrawArticle(ctx, params.id, body),
  });
  router.add({
    method: 'POST',
    url: `${A}/:id/move`,
    summary: '移动到本站其他栏目',
    tag,
    auth: 'user',
    params: IdParams,
    body: MoveInput,
    handler: (ctx, { params, body }) => moveArticle(ctx, params.id, body),
  });
  router.add({
    method: 'GET',
    url: `${A}/:id/versions`,
    summary: '稿件的历史版本',
    tag,
    auth: 'user',
    params: IdParams,
    query: PageQuery,
    handler: (ctx, { params, query }) => listVersions(ctx, params.id, query),
  });
  router.add({
    method: 'GET',
    url: `${A}/:id/versions/:version`,
    summary: '某一历史版本的内容',
    tag,
    auth: 'user',
    params: VersionParams,
    handler: (ctx, { params }) => getVersion(ctx, params.id, params.version),
  });
  router.add({
    method: 'GET',
    url: `${A}/:id/diff`,
    summary: '比较两个版本（逐字段列出改动）',
    tag,
    auth: 'user',
    params: IdParams,
    query: DiffQuery,
    handler: (ctx, { params, query }) => diffVersions(ctx, params.id, query.from, query.to),
  });
  router.add({
    method: 'POST',
    url: `${A}/:id/syndications`,
    summary: '推送到其他网站的栏目（等待目标栏目审核）',
    tag,
    auth: 'user',
    params: IdParams,
    body: SyndicateInput,
    status: 201,
    handler: (ctx, { params, body }) => syndicateArticle(ctx, params.id, body),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/syndications',
    summary: '推送到本人栏目的稿件（默认待审核）',
    tag,
    auth: 'user',
    query: SyndicationListQuery,
    handler: (ctx, { query }) => listSyndications(ctx, query),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/syndications/:id/review',
    summary: '审核推送：通过或退回（须填写意见）',
    tag,
    auth: 'user',
    params: IdParams,
    body: ReviewInput,
    handler: (ctx, { params, body }) => reviewSyndication(ctx, params.id, body),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/syndications/:id/withdraw',
    summary: '撤下推送（目标站点的管理员、审核员，或源稿件的编辑）',
    tag,
    auth: 'user',
    params: IdParams,
    body: WithdrawInput,
    handler: (ctx, { params, body }) => withdrawSyndication(ctx, params.id, body),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/review-queue',
    summary: '待我审核：稿件与推送',
    tag,
    auth: 'user',
    query: PageQuery,
    handler: (ctx, { query }) => reviewQueue(ctx, query),
  });
}
