import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import * as audit from '../audit.js';
import { TOKEN_COLUMNS, type TokenDto, tokenDto } from '../dto.js';

/** Revokes a token at once (its next call is unauthenticated). Own tokens, or anyone's for the security administrator. */
export async function revokeApiToken(ctx: Ctx, id: number): Promise<Result<TokenDto>> {
  const a = ctx.actor;
  if (a.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  const find = () => ctx.db.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(TOKEN_COLUMNS).where('api_tokens.id', '=', id).executeTakeFirst();
  const before = await find();
  if (!before) return fail('not_found', '令牌不存在');
  if (a.kind === 'user' && a.id !== before.user_id && can(a, 'security.manage', 'global')) return fail('forbidden', '只能撤销自己的令牌');
  if (before.revoked_at) return fail('invalid_transition', '令牌已撤销');
  const after = await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('api_tokens').set({ revoked_at: iso(ctx.now) }).where('id', '=', id).where('revoked_at', 'is', null).execute();
    const row = (await tx.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(TOKEN_COLUMNS).where('api_tokens.id', '=', id).executeTakeFirst())!;
    await audit.record(tx, ctx, 'token.revoke', { type: 'api_token', id }, tokenDto(before, ctx.now), tokenDto(row, ctx.now));
    return row;
  });
  return ok(tokenDto(after, ctx.now));
}
