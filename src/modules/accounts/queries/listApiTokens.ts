import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Page, offsetOf } from '../../../http/pagination.js';
import { can } from '../access.js';
import type { TokenListQuery } from '../adminSchema.js';
import { TOKEN_COLUMNS, type TokenDto, tokenDto } from '../dto.js';

/** A user's tokens, newest first: the caller's own, or (security administrator) any user's by `userId`. */
export async function listApiTokens(ctx: Ctx, q: TokenListQuery): Promise<Result<Page<TokenDto>>> {
  const a = ctx.actor;
  if (a.kind !== 'user') return fail('unauthenticated', '请先登录');
  const userId = q.userId ?? a.id;
  if (userId !== a.id && can(a, 'security.manage', 'global')) return fail('forbidden', '只能查看自己的令牌');
  const base = ctx.db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').where('api_tokens.user_id', '=', userId);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.select(TOKEN_COLUMNS).orderBy('api_tokens.id', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({ total: Number(n), page: q.page, pageSize: q.pageSize, items: rows.map((r) => tokenDto(r, ctx.now)) });
}
