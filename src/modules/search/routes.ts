/** The search API (HTTP only): search, suggestions, hot searches, and the dictionary, synonyms and blocklist for system administrators. */
import type { JiyueApp } from '../../app.js';
import { IdParams } from '../../http/pagination.js';
import type { Ctx } from '../../lib/ctx.js';
import { ok } from '../../lib/errors.js';
import { can } from '../accounts/index.js';
import { blockWord, requestReindex, unblockWord } from './commands/blocklist.js';
import { createSynonym, deleteSynonym, synonymView, updateSynonym } from './commands/synonyms.js';
import { createTerm, deleteTerm, termView, updateTerm } from './commands/terms.js';
import { hotQueries } from './queries/hot.js';
import { search } from './queries/search.js';
import { suggest } from './queries/suggest.js';
import type { QueryLog } from './querylog.js';
import { BlockInput, CreateTermInput, HotQuery, ListQuery, SearchQuery, SuggestQuery, SynonymInput, UpdateTermInput } from './schema.js';

const tag = 'search';
const env = (ctx: Ctx, log?: QueryLog) => ({ db: ctx.db, dialect: ctx.dialect, now: ctx.now, log });

export function searchRoutes({ router }: JiyueApp, log: QueryLog): void {
  router.add({
    method: 'GET',
    url: '/api/v1/search',
    summary: '统一检索：全站群（或 site= 指定站点）公开信息，按相关度或时间排序，结果带高亮摘要',
    tag,
    auth: 'public',
    query: SearchQuery,
    handler: (ctx, { query }) => search(env(ctx, log), query),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/search/suggest',
    summary: '输入提示：热门检索词与标题',
    tag,
    auth: 'public',
    query: SuggestQuery,
    handler: (ctx, { query }) => suggest(env(ctx), query),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/search/hot',
    summary: '热门搜索（近 30 天，已排除屏蔽词）',
    tag,
    auth: 'public',
    query: HotQuery,
    handler: async (ctx, { query }) => ok({ items: (await hotQueries(ctx.db, ctx.now)).slice(0, query.limit) }),
  });

  // ---------- dictionary (system administrators) ----------
  const admin = (ctx: Ctx) => can(ctx.actor, 'system.manage', 'global');
  router.add({
    method: 'GET',
    url: '/api/v1/search/terms',
    summary: '检索词典：政府专有词语（系统管理员）',
    tag,
    auth: 'user',
    query: ListQuery,
    handler: async (ctx, { query }) => {
      const denied = admin(ctx);
      if (denied) return denied;
      let q = ctx.db.selectFrom('search_terms');
      if (query.q) q = q.where('word', 'like', `%${query.q.replace(/[%_\\]/g, '')}%`);
      const [rows, n] = await Promise.all([
        q.selectAll().orderBy('kind').orderBy('word').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return ok({ total: Number(n.n), page: query.page, pageSize: query.pageSize, items: rows.map(termView) });
    },
  });
  router.add({ method: 'POST', url: '/api/v1/search/terms', summary: '添加词典词语（分词随之更新，索引在后台重建）', tag, auth: 'user', body: CreateTermInput, status: 201, handler: (ctx, { body }) => createTerm(ctx, body) });
  router.add({ method: 'PATCH', url: '/api/v1/search/terms/:id', summary: '修改词典词语', tag, auth: 'user', params: IdParams, body: UpdateTermInput, handler: (ctx, { params, body }) => updateTerm(ctx, params.id, body) });
  router.add({ method: 'DELETE', url: '/api/v1/search/terms/:id', summary: '删除词典词语', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => deleteTerm(ctx, params.id) });

  router.add({
    method: 'GET',
    url: '/api/v1/search/synonyms',
    summary: '同义词组（系统管理员）',
    tag,
    auth: 'user',
    query: ListQuery,
    handler: async (ctx, { query }) => {
      const denied = admin(ctx);
      if (denied) return denied;
      let q = ctx.db.selectFrom('search_synonyms');
      if (query.q) q = q.where('words', 'like', `%${query.q.replace(/[%_\\"]/g, '')}%`);
      const [rows, n] = await Promise.all([
        q.selectAll().orderBy('id').limit(query.pageSize).offset((query.page - 1) * query.pageSize).execute(),
        q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return ok({ total: Number(n.n), page: query.page, pageSize: query.pageSize, items: rows.map(synonymView) });
    },
  });
  router.add({ method: 'POST', url: '/api/v1/search/synonyms', summary: '添加同义词组', tag, auth: 'user', body: SynonymInput, status: 201, handler: (ctx, { body }) => createSynonym(ctx, body) });
  router.add({ method: 'PUT', url: '/api/v1/search/synonyms/:id', summary: '修改同义词组', tag, auth: 'user', params: IdParams, body: SynonymInput, handler: (ctx, { params, body }) => updateSynonym(ctx, params.id, body) });
  router.add({ method: 'DELETE', url: '/api/v1/search/synonyms/:id', summary: '删除同义词组', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => deleteSynonym(ctx, params.id) });

  router.add({
    method: 'GET',
    url: '/api/v1/search/blocklist',
    summary: '热门搜索屏蔽词（系统管理员）',
    tag,
    auth: 'user',
    handler: async (ctx) => {
      const denied = admin(ctx);
      if (denied) return denied;
      const rows = await ctx.db.selectFrom('search_blocked_words').selectAll().orderBy('word').execute();
      return ok({ items: rows.map((r) => ({ id: r.id, word: r.word, createdAt: r.created_at })) });
    },
  });
  router.add({ method: 'POST', url: '/api/v1/search/blocklist', summary: '添加屏蔽词（含该词的检索不进入热门搜索）', tag, auth: 'user', body: BlockInput, status: 201, handler: (ctx, { body }) => blockWord(ctx, body) });
  router.add({ method: 'DELETE', url: '/api/v1/search/blocklist/:id', summary: '删除屏蔽词', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => unblockWord(ctx, params.id) });

  router.add({
    method: 'GET',
    url: '/api/v1/search/queries',
    summary: '检索日志统计：近 30 天最常检索与无结果的检索词（系统管理员）',
    tag,
    auth: 'user',
    handler: async (ctx) => {
      const denied = admin(ctx);
      if (denied) return denied;
      const since = new Date(ctx.now.getTime() - 30 * 86_400_000).toISOString();
      const top = (zero: boolean) =>
        ctx.db
          .selectFrom('search_query_log')
          .select(['q', (eb) => eb.fn.countAll<number>().as('n')])
          .where('at', '>=', since)
          .where('results', zero ? '=' : '>', 0)
          .groupBy('q')
          .orderBy('n', 'desc')
          .orderBy('q')
          .limit(50)
          .execute();
      const [found, none] = await Promise.all([top(false), top(true)]);
      const view = (rows: { q: string; n: number }[]) => rows.map((r) => ({ q: r.q, count: Number(r.n) }));
      return ok({ top: view(found), noResults: view(none) });
    },
  });
  router.add({ method: 'POST', url: '/api/v1/search/reindex', summary: '重建检索索引（后台任务）', tag, auth: 'user', status: 202, handler: (ctx) => requestReindex(ctx) });
}
