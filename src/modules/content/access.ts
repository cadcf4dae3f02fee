/** Loading an article together with the scope its permissions are checked against. */
import type { Ctx } from '../../lib/ctx.js';
import { type Failure, type Result, fail, ok } from '../../lib/errors.js';
import { type Permission, can } from '../accounts/index.js';
import { type ColumnRef, columnRef, scopeOf } from './refs.js';
import { type ArticleRow, findArticle } from './store.js';

export interface Loaded {
  article: ArticleRow;
  column: ColumnRef;
}

export const articleNotFound = (): Failure => fail('not_found', '稿件不存在');

/**
 * The article and its column, if the actor holds `permission` on the column (403 when the
 * article exists outside the actor's scope, 404 when there is no such article).
 */
export async function loadArticle(ctx: Ctx, id: number, permission: Permission): Promise<Result<Loaded>> {
  const article = await findArticle(ctx.db, id);
  if (!article) return articleNotFound();
  const column = await columnRef(ctx.db, article.column_id);
  if (!column) return articleNotFound();
  const denied = can(ctx.actor, permission, scopeOf(column));
  if (denied) return denied;
  return ok({ article, column });
}

/**
 * Reading: the source's readers, and the readers of a column the article is pushed to (its
 * reviewers must see what they decide on).
 */
export async function loadArticleForRead(ctx: Ctx, id: number): Promise<Result<Loaded>> {
  const article = await findArticle(ctx.db, id);
  if (!article) return articleNotFound();
  const column = await columnRef(ctx.db, article.column_id);
  if (!column) return articleNotFound();
  const denied = can(ctx.actor, 'content.read', scopeOf(column));
  if (!denied) return ok({ article, column });
  if (ctx.actor.kind !== 'user') return denied;
  const targets = await ctx.db.selectFrom('syndications').select('column_id').where('article_id', '=', id).where('status', '!=', 'withdrawn').execute();
  for (const t of targets) {
    const target = await columnRef(ctx.db, t.column_id);
    if (target && !can(ctx.actor, 'content.read', scopeOf(target))) return ok({ article, column });
  }
  return denied;
}
