/**
 * Loading an FAQ entry together with the scope its permissions are checked against: the whole
 * site (a knowledge base is a site's, not a column's, so a grant on a column subtree does not
 * reach it). The permissions are the content ones (accounts/access.ts): editors write
 * (article.edit), reviewers decide (article.review, by level), publishers take offline
 * (article.publish), every site role reads (content.read).
 */
import type { Ctx } from '../../../lib/ctx.js';
import { type Failure, type Result, fail, ok } from '../../../lib/errors.js';
import { type Permission, type Scope, can } from '../../accounts/index.js';
import { type FaqRow, findFaq } from './store.js';

export const siteScope = (siteId: number): Scope => ({ siteId });
export const faqNotFound = (): Failure => fail('not_found', '问答条目不存在');

/** The entry if the actor holds `permission` on its site (403 outside the scope, 404 when there is none). */
export async function loadFaq(ctx: Ctx, id: number, permission: Permission): Promise<Result<FaqRow>> {
  const row = await findFaq(ctx.db, id);
  if (!row) return faqNotFound();
  const denied = can(ctx.actor, permission, siteScope(row.site_id));
  if (denied) return denied;
  return ok(row);
}
