import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { addMinutes, iso } from '../../../lib/time.js';
import { systemActor } from '../actor.js';
import * as audit from '../audit.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { getPolicy } from '../policy.js';
import type { LoginInput } from '../schema.js';
import { type NewSession, createSession, loadGrants } from '../sessions.js';
import { verifyTotp } from '../totp.js';
import type { z } from 'zod';

export interface LoginResult {
  session: NewSession;
  user: { id: number; username: string; displayName: string };
  mustChangePassword: boolean;
  /** 'verify': enter the TOTP code; 'enrol': policy requires a second factor not yet set up. */
  mfa: 'none' | 'verify' | 'enrol';
}

let dummyHash: Promise<string> | undefined;
const WRONG = '用户名或密码错误';

/**
 * Password login with lockout: after `lockoutThreshold` failures in a row the account is locked
 * for `lockoutMinutes` (policy defaults 5 and 15). Unknown users cost the same time as known ones.
 */
export async function login(ctx: Ctx, input: z.infer<typeof LoginInput>, userAgent: string | null): Promise<Result<LoginResult>> {
  const { db } = ctx;
  const policy = await getPolicy(db);
  const user = await db.selectFrom('users').selectAll().where('username', '=', input.username.toLowerCase()).executeTakeFirst();
  const auditCtx = { ...ctx, actor: systemActor('auth') };
  if (!user) {
    dummyHash ??= hashPassword('not-a-real-password-Aa1!');
    await verifyPassword(await dummyHash, input.password);
    await db.transaction().execute((tx) => audit.record(tx, auditCtx, 'auth.login_failed', { type: 'user', id: null }, null, { username: input.username.slice(0, 64) }));
    return fail('unauthenticated', WRONG);
  }
  if (user.locked_until && user.locked_until > iso(ctx.now)) {
    const minutes = Math.ceil((new Date(user.locked_until).getTime() - ctx.now.getTime()) / 60_000);
    return fail('locked', `连续登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`, { lockedUntil: user.locked_until });
  }
  if (user.status !== 'active') return fail('forbidden', '账号已停用');

  if (!(await verifyPassword(user.password_hash, input.password))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= policy.lockoutThreshold;
    await db.transaction().execute(async (tx) => {
      await tx
        .updateTable('users')
        .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? iso(addMinutes(ctx.now, policy.lockoutMinutes)) : user.locked_until, updated_at: iso(ctx.now) })
        .where('id', '=', user.id)
        .execute();
      await audit.record(tx, auditCtx, lock ? 'auth.locked' : 'auth.login_failed', { type: 'user', id: user.id }, null, { failures });
    });
    if (lock) return fail('locked', `连续 ${policy.lockoutThreshold} 次登录失败，账号已锁定 ${policy.lockoutMinutes} 分钟`);
    return fail('unauthenticated', WRONG, { remainingAttempts: policy.lockoutThreshold - failures });
  }

  const grants = await loadGrants(db, user.id);
  const mfaRequired = grants.some((g) => policy.mfaRequiredRoles.includes(g.role));
  let mfa: LoginResult['mfa'] = user.totp_enabled ? 'verify' : mfaRequired ? 'enrol' : 'none';
  if (mfa === 'verify' && input.totp) {
    if (!verifyTotp(user.totp_secret ?? '', input.totp, ctx.now)) return fail('mfa_required', '动态口令不正确');
    mfa = 'none';
  }
  const session = await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: iso(ctx.now) }).where('id', '=', user.id).execute();
    const s = await createSession(tx, user.id, { now: ctx.now, ip: ctx.ip, userAgent, mfaPending: mfa !== 'none' });
    await audit.record(tx, { ...ctx, actor: { kind: 'user', id: user.id, username: user.username, displayName: user.display_name, grants, via: 'session', mustChangePassword: false } }, 'auth.login', { type: 'user', id: user.id }, null, { mfa });
    return s;
  });
  return ok({
    session,
    user: { id: user.id, username: user.username, displayName: user.display_name },
    mustChangePassword: user.must_change_password === 1,
    mfa,
  });
}
