import type { JiyueApp } from '../../app.js';
import { IdParams } from '../../http/pagination.js';
import { fail } from '../../lib/errors.js';
import {
  AuditQuery,
  CreateTokenInput,
  CreateUserInput,
  GrantRoleInput,
  PolicyInput,
  TokenListQuery,
  UpdateUserInput,
  UserListQuery,
} from './adminSchema.js';
import { createApiToken } from './commands/createApiToken.js';
import { createUser } from './commands/createUser.js';
import { grantRole } from './commands/grantRole.js';
import { resetPassword } from './commands/resetPassword.js';
import { revokeApiToken } from './commands/revokeApiToken.js';
import { revokeGrant } from './commands/revokeGrant.js';
import { unlockUser } from './commands/unlockUser.js';
import { updateSecurityPolicy } from './commands/updateSecurityPolicy.js';
import { updateUser } from './commands/updateUser.js';
import { getSecurityPolicy } from './queries/getSecurityPolicy.js';
import { getUser } from './queries/getUser.js';
import { listApiTokens } from './queries/listApiTokens.js';
import { listAuditLog } from './queries/listAuditLog.js';
import { listUsers } from './queries/listUsers.js';
import { verifyAuditLog } from './queries/verifyAuditLog.js';

/**
 * Administration: users, grants and the security policy (安全管理员, `security.manage`), API
 * tokens (own; anyone's for the security administrator), and the audit log (安全审计员,
 * `audit.read`, read-only). HTTP only: every rule lives in the commands and queries.
 */
export function adminRoutes({ router }: JiyueApp): void {
  router.add({ method: 'GET', url: '/api/v1/users', summary: '用户列表（可按关键字、状态、角色、站点筛选）', tag: 'users', auth: 'user', query: UserListQuery, handler: (ctx, { query }) => listUsers(ctx, query) });
  router.add({
    method: 'POST',
    url: '/api/v1/users',
    summary: '新建用户：返回仅显示一次的初始密码，首次登录须修改',
    tag: 'users',
    auth: 'user',
    body: CreateUserInput,
    status: 201,
    handler: (ctx, { body }) => createUser(ctx, body),
  });
  router.add({ method: 'GET', url: '/api/v1/users/:id', summary: '用户详情（含角色授权）', tag: 'users', auth: 'user', params: IdParams, handler: (ctx, { params }) => getUser(ctx, params.id) });
  router.add({
    method: 'PATCH',
    url: '/api/v1/users/:id',
    summary: '修改用户资料或状态（停用即结束其会话；用户不可删除）',
    tag: 'users',
    auth: 'user',
    params: IdParams,
    body: UpdateUserInput,
    handler: (ctx, { params, body }) => updateUser(ctx, params.id, body),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/users/:id/reset-password',
    summary: '重置密码：生成仅显示一次的新密码，下次登录须修改，并结束其全部会话',
    tag: 'users',
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => resetPassword(ctx, params.id),
  });
  router.add({ method: 'POST', url: '/api/v1/users/:id/unlock', summary: '解除登录锁定', tag: 'users', auth: 'user', params: IdParams, handler: (ctx, { params }) => unlockUser(ctx, params.id) });

  router.add({ method: 'POST', url: '/api/v1/grants', summary: '授予角色（三员分立：三类管理员角色不得兼任）', tag: 'grants', auth: 'user', body: GrantRoleInput, status: 201, handler: (ctx, { body }) => grantRole(ctx, body) });
  router.add({ method: 'DELETE', url: '/api/v1/grants/:id', summary: '撤销角色授权', tag: 'grants', auth: 'user', params: IdParams, handler: (ctx, { params }) => revokeGrant(ctx, params.id) });

  router.add({ method: 'GET', url: '/api/v1/tokens', summary: 'API 令牌列表（本人；安全管理员可指定 userId）', tag: 'tokens', auth: 'user', query: TokenListQuery, handler: (ctx, { query }) => listApiTokens(ctx, query) });
  router.add({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: '创建 API 令牌：令牌仅显示一次（安全管理员可为其他用户创建）',
    tag: 'tokens',
    auth: 'user',
    body: CreateTokenInput,
    status: 201,
    handler: async (ctx, { body }) => {
      if (ctx.actor.kind !== 'user') return fail('unauthenticated', '请先登录');
      return createApiToken(ctx, { userId: body.userId ?? ctx.actor.id, name: body.name, expiresAt: body.expiresAt ?? null });
    },
  });
  router.add({ method: 'DELETE', url: '/api/v1/tokens/:id', summary: '撤销 API 令牌', tag: 'tokens', auth: 'user', params: IdParams, handler: (ctx, { params }) => revokeApiToken(ctx, params.id) });

  router.add({ method: 'GET', url: '/api/v1/security/policy', summary: '查看安全策略', tag: 'security', auth: 'user', handler: (ctx) => getSecurityPolicy(ctx) });
  router.add({ method: 'PUT', url: '/api/v1/security/policy', summary: '修改安全策略（整体替换，未给出的项取默认值）', tag: 'security', auth: 'user', body: PolicyInput, handler: (ctx, { body }) => updateSecurityPolicy(ctx, body) });

  router.add({ method: 'GET', url: '/api/v1/audit', summary: '审计日志（仅安全审计员，按时间倒序）', tag: 'audit', auth: 'user', query: AuditQuery, handler: (ctx, { query }) => listAuditLog(ctx, query) });
  router.add({ method: 'GET', url: '/api/v1/audit/verify', summary: '校验审计日志哈希链是否完整', tag: 'audit', auth: 'user', handler: (ctx) => verifyAuditLog(ctx) });
}
