import type { JiyueApp } from '../../app.js';
import { ok } from '../../lib/errors.js';
import { ROLE_NAMES } from './actor.js';
import * as audit from './audit.js';
import { changePassword } from './commands/changePassword.js';
import { login } from './commands/login.js';
import { disableTotp, enableTotp, setupTotp, verifyTotpLogin } from './commands/totp.js';
import { ChangePasswordInput, LoginInput, TotpCodeInput } from './schema.js';
import { SESSION_COOKIE } from './sessions.js';

const tag = 'auth';

export function authRoutes({ router }: JiyueApp): void {
  router.add({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: '登录：成功后设置会话 Cookie 并返回 CSRF 令牌',
    tag,
    auth: 'public',
    body: LoginInput,
    async handler(ctx, { body }, req, reply) {
      const r = await login(ctx, body, req.headers['user-agent'] ?? null);
      if (!r.ok) return r;
      const { session, ...rest } = r.value;
      reply.setCookie(SESSION_COOKIE, session.cookie, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.publicUrl.startsWith('https:'),
      });
      return ok({ ...rest, csrfToken: session.csrfToken });
    },
  });
  router.add({
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: '退出登录',
    tag,
    auth: 'pending',
    async handler(ctx, _input, _req, reply) {
      const a = ctx.actor;
      if (a.kind === 'user' && a.session) {
        const sessionId = a.session.id;
        await ctx.db.transaction().execute(async (tx) => {
          await tx.deleteFrom('sessions').where('id', '=', sessionId).execute();
          await audit.record(tx, ctx, 'auth.logout', { type: 'user', id: a.id });
        });
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return ok({ loggedOut: true });
    },
  });
  router.add({
    method: 'GET',
    url: '/api/v1/auth/me',
    summary: '当前用户、角色授权与会话状态',
    tag,
    auth: 'pending',
    async handler(ctx) {
      const a = ctx.actor;
      if (a.kind !== 'user') return ok(null);
      return ok({
        id: a.id,
        username: a.username,
        displayName: a.displayName,
        mustChangePassword: a.mustChangePassword,
        mfaPending: a.session?.mfaPending ?? false,
        csrfToken: a.session?.csrfToken ?? null,
        grants: a.grants.map((g) => ({ ...g, roleName: ROLE_NAMES[g.role] })),
      });
    },
  });
  router.add({
    method: 'POST',
    url: '/api/v1/auth/password',
    summary: '修改本人密码（首次登录须先修改）',
    tag,
    auth: 'pending',
    body: ChangePasswordInput,
    handler: (ctx, { body }) => changePassword(ctx, body),
  });
  router.add({ method: 'POST', url: '/api/v1/auth/totp/setup', summary: '开始绑定动态口令（TOTP）', tag, auth: 'pending', handler: (ctx) => setupTotp(ctx) });
  router.add({ method: 'POST', url: '/api/v1/auth/totp/enable', summary: '以首个动态口令确认绑定', tag, auth: 'pending', body: TotpCodeInput, handler: (ctx, { body }) => enableTotp(ctx, body.code) });
  router.add({ method: 'POST', url: '/api/v1/auth/totp/verify', summary: '登录第二步：验证动态口令', tag, auth: 'pending', body: TotpCodeInput, handler: (ctx, { body }) => verifyTotpLogin(ctx, body.code) });
  router.add({ method: 'POST', url: '/api/v1/auth/totp/disable', summary: '停用本人动态口令', tag, auth: 'user', body: TotpCodeInput, handler: (ctx, { body }) => disableTotp(ctx, body.code) });
}
