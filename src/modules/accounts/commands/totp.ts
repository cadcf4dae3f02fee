import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import type { UserActor } from '../actor.js';
import * as audit from '../audit.js';
import { getPolicy } from '../policy.js';
import { newTotpSecret, totpUri, verifyTotp } from '../totp.js';

const me = (ctx: Ctx): UserActor | null => (ctx.actor.kind === 'user' ? ctx.actor : null);

/** Starts enrolment: a new secret (not yet active) and its otpauth:// URI for the phone app. */
export async function setupTotp(ctx: Ctx): Promise<Result<{ secret: string; uri: string }>> {
  const a = me(ctx);
  if (!a) return fail('unauthenticated', '请先登录');
  const u = await ctx.db.selectFrom('users').select(['totp_enabled']).where('id', '=', a.id).executeTakeFirstOrThrow();
  if (u.totp_enabled) return fail('conflict', '已启用动态口令；如需更换请先停用');
  const secret = newTotpSecret();
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_secret: secret, updated_at: iso(ctx.now) }).where('id', '=', a.id).execute();
    await audit.record(tx, ctx, 'user.totp_setup', { type: 'user', id: a.id });
  });
  return ok({ secret, uri: totpUri(secret, a.username) });
}

/** Confirms enrolment with a first code; the session counts as second-factor verified. */
export async function enableTotp(ctx: Ctx, code: string): Promise<Result<{ enabled: true }>> {
  const a = me(ctx);
  if (!a) return fail('unauthenticated', '请先登录');
  const u = await ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', a.id).executeTakeFirstOrThrow();
  if (u.totp_enabled) return fail('conflict', '已启用动态口令');
  if (!u.totp_secret) return fail('invalid_transition', '请先获取动态口令密钥');
  if (!verifyTotp(u.totp_secret, code, ctx.now)) return fail('validation_failed', '动态口令不正确', { issues: [{ path: 'code', message: '动态口令不正确' }] });
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_enabled: 1, updated_at: iso(ctx.now) }).where('id', '=', a.id).execute();
    if (a.session) await tx.updateTable('sessions').set({ mfa_pending: 0 }).where('id', '=', a.session.id).execute();
    await audit.record(tx, ctx, 'user.totp_enable', { type: 'user', id: a.id });
  });
  return ok({ enabled: true });
}

/** Second step of login for users with TOTP. */
export async function verifyTotpLogin(ctx: Ctx, code: string): Promise<Result<{ verified: true }>> {
  const a = me(ctx);
  if (!a?.session) return fail('unauthenticated', '请先登录');
  const u = await ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', a.id).executeTakeFirstOrThrow();
  if (!u.totp_enabled || !u.totp_secret) return fail('invalid_transition', '未启用动态口令');
  if (!verifyTotp(u.totp_secret, code, ctx.now)) {
    await ctx.db.transaction().execute((tx) => audit.record(tx, ctx, 'auth.totp_failed', { type: 'user', id: a.id }));
    return fail('validation_failed', '动态口令不正确', { issues: [{ path: 'code', message: '动态口令不正确' }] });
  }
  await ctx.db.updateTable('sessions').set({ mfa_pending: 0 }).where('id', '=', a.session.id).execute();
  return ok({ verified: true });
}

/** Turns the second factor off, unless the security policy requires it for one of the user's roles. */
export async function disableTotp(ctx: Ctx, code: string): Promise<Result<{ enabled: false }>> {
  const a = me(ctx);
  if (!a) return fail('unauthenticated', '请先登录');
  const policy = await getPolicy(ctx.db);
  if (a.grants.some((g) => policy.mfaRequiredRoles.includes(g.role))) return fail('forbidden', '安全策略要求您的角色必须使用动态口令');
  const u = await ctx.db.selectFrom('users').select(['totp_secret', 'totp_enabled']).where('id', '=', a.id).executeTakeFirstOrThrow();
  if (!u.totp_enabled || !u.totp_secret) return fail('invalid_transition', '未启用动态口令');
  if (!verifyTotp(u.totp_secret, code, ctx.now)) return fail('validation_failed', '动态口令不正确');
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_enabled: 0, totp_secret: null, updated_at: iso(ctx.now) }).where('id', '=', a.id).execute();
    await audit.record(tx, ctx, 'user.totp_disable', { type: 'user', id: a.id });
  });
  return ok({ enabled: false });
}
