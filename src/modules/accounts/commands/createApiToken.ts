import type { Store } from '../../../db/index.js';
import { parseInput } from '../../../http/validate.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../access.js';
import { systemActor } from '../actor.js';
import { TokenName } from '../adminSchema.js';
import * as audit from '../audit.js';
import { TOKEN_COLUMNS, type TokenDto, tokenDto } from '../dto.js';
import { randomToken, sha256 } from '../passwords.js';
import { TOKEN_PREFIX } from '../sessions.js';

/** What creating a token needs: a full request `Ctx` fits, and so does the CLI's. */
export type TokenCtx = Pick<Ctx, 'db' | 'dialect' | 'actor' | 'ip' | 'now'>;

export interface CreatedToken extends TokenDto {
  /** The token itself (`jy_…`), shown this once; only its SHA-256 is stored. */
  token: string;
}

export interface NewToken {
  userId: number;
  name: string;
  /** ISO UTC; null or absent: never expires. */
  expiresAt?: string | null;
}

const PREFIX_LENGTH = 10;

/**
 * Creates an API token for `Authorization: Bearer` calls. Users create their own; the security
 * administrator (and the system, e.g. the CLI) creates them for anyone, typically integration
 * accounts. A token cannot mint tokens: creating one needs a logged-in session.
 */
export async function createApiToken(ctx: TokenCtx, input: NewToken): Promise<Result<CreatedToken>> {
  const a = ctx.actor;
  if (a.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  if (a.kind === 'user') {
    if (a.via === 'token') return fail('forbidden', '不能用 API 令牌创建新令牌，请登录控制台后操作');
    if (a.id !== input.userId) {
      const denied = can(a, 'security.manage', 'global');
      if (denied) return fail('forbidden', '只能为自己创建令牌；为其他用户创建须由安全管理员操作');
    }
  }
  if (input.expiresAt && input.expiresAt <= iso(ctx.now)) {
    return fail('validation_failed', '过期时间必须晚于当前时间', { issues: [{ path: 'expiresAt', message: '过期时间必须晚于当前时间' }] });
  }
  const user = await ctx.db.selectFrom('users').select(['id', 'username', 'status']).where('id', '=', input.userId).executeTakeFirst();
  if (!user) return fail('not_found', '用户不存在');
  if (user.status !== 'active') return fail('invalid_transition', '用户已停用，不能创建令牌');

  const token = TOKEN_PREFIX + randomToken(32);
  const created = await ctx.db.transaction().execute(async (tx) => {
    const { id } = await tx
      .insertInto('api_tokens')
      .values({
        user_id: user.id,
        name: input.name,
        token_hash: sha256(token),
        prefix: token.slice(0, PREFIX_LENGTH),
        created_at: iso(ctx.now),
        last_used_at: null,
        expires_at: input.expiresAt ?? null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await tx.selectFrom('api_tokens').innerJoin('users', 'users.id', 'api_tokens.user_id').select(TOKEN_COLUMNS).where('api_tokens.id', '=', id).executeTakeFirstOrThrow();
    const dto = tokenDto(row, ctx.now);
    await audit.record(tx, ctx, 'token.create', { type: 'api_token', id }, null, dto);
    return dto;
  });
  return ok({ ...created, token });
}

/**
 * For the CLI (`jiyue token create --user NAME`): creates a token for a user by username, acting
 * as the system (audited as `token.create` by `system:cli`), without HTTP.
 */
export async function createTokenForUser(store: Store, username: string, name: string, now: Date): Promise<Result<CreatedToken>> {
  const parsed = parseInput(TokenName, name);
  if (!parsed.ok) return parsed;
  const user = await store.db.selectFrom('users').select('id').where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  if (!user) return fail('not_found', `用户 ${username.slice(0, 64)} 不存在`);
  return createApiToken({ db: store.db, dialect: store.dialect, actor: systemActor('cli'), ip: null, now }, { userId: user.id, name: parsed.value });
}
