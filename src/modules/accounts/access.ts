import { type Failure, fail } from '../../lib/errors.js';
import type { Actor, GlobalRole, Grant, Role } from './actor.js';

/**
 * What each role may do. The three administrators (三员分立) each hold one global power and
 * nothing else; a user holding one of them can hold no other role (enforced when granting).
 */
export type Permission =
  | 'system.manage' // organisations, sites, configuration, jobs (系统管理员)
  | 'security.manage' // users, grants, security policy (安全管理员)
  | 'audit.read' // the audit log (安全审计员)
  | 'site.manage' // a site's settings and its columns
  | 'content.read' // see articles, media and queues in scope
  | 'article.edit' // write, submit, withdraw articles; syndicate them
  | 'article.review' // decide a review level
  | 'article.publish' // publish or withdraw approved articles
  | 'media.upload'
  | 'letter.handle';

const GLOBAL: Record<GlobalRole, Permission[]> = {
  sysadmin: ['system.manage', 'site.manage', 'content.read'],
  secadmin: ['security.manage'],
  auditor: ['audit.read'],
};

const SCOPED: Record<Exclude<Role, GlobalRole>, Permission[]> = {
  site_admin: ['site.manage', 'content.read', 'article.edit', 'article.review', 'article.publish', 'media.upload', 'letter.handle'],
  editor: ['content.read', 'article.edit', 'media.upload'],
  reviewer: ['content.read', 'article.review', 'article.publish'],
  handler: ['content.read', 'letter.handle'],
};

export const isGlobalRole = (r: string): r is GlobalRole => Object.hasOwn(GLOBAL, r);

/** Where an action happens: a whole site, or a column (given by its id_path "/3/17/"). */
export interface Scope {
  siteId: number;
  columnIdPath?: string | null;
}

/** A role this version does not know (a stray row in `grants`) grants nothing. */
function permissionsOf(role: Role): Permission[] {
  if (isGlobalRole(role)) return GLOBAL[role];
  return Object.hasOwn(SCOPED, role) ? SCOPED[role] : [];
}

/** Does this grant reach the scope? Global roles reach everything; site grants their site; column grants their subtree. */
export function covers(g: Grant, scope: Scope | 'global'): boolean {
  if (isGlobalRole(g.role)) return true;
  if (scope === 'global') return false;
  if (g.siteId !== scope.siteId) return false;
  if (g.columnIdPath === null) return true;
  return !!scope.columnIdPath && scope.columnIdPath.startsWith(g.columnIdPath);
}

export function grantsFor(actor: Actor, permission: Permission, scope: Scope | 'global'): Grant[] {
  if (actor.kind !== 'user') return [];
  return actor.grants.filter((g) => permissionsOf(g.role).includes(permission) && covers(g, scope));
}

/** null when allowed, otherwise the failure to return (401 for nobody, 403 for someone). */
export function can(actor: Actor, permission: Permission, scope: Scope | 'global'): Failure | null {
  if (actor.kind === 'system') return null;
  if (actor.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  return grantsFor(actor, permission, scope).length > 0 ? null : fail('forbidden', '没有权限执行此操作');
}

/** May the actor decide review level `level` in this scope? */
export function canReviewLevel(actor: Actor, scope: Scope, level: number): Failure | null {
  if (actor.kind === 'system') return null;
  const gs = grantsFor(actor, 'article.review', scope);
  if (gs.some((g) => g.role === 'site_admin' || g.reviewLevel === null || g.reviewLevel === level)) return null;
  return actor.kind === 'anonymous' ? fail('unauthenticated', '请先登录') : fail('forbidden', `没有第 ${level} 级审核权限`);
}

/** Sites on which the actor holds any permission at all; 'all' for global roles. */
export function visibleSiteIds(actor: Actor, permission: Permission): number[] | 'all' {
  if (actor.kind === 'system') return 'all';
  if (actor.kind !== 'user') return [];
  if (actor.grants.some((g) => isGlobalRole(g.role) && permissionsOf(g.role).includes(permission))) return 'all';
  return [...new Set(actor.grants.filter((g) => !isGlobalRole(g.role) && permissionsOf(g.role).includes(permission)).map((g) => g.siteId!))];
}

/**
 * The column subtrees the actor may act on within a site for a permission: 'site' when a
 * site-wide grant exists, else the list of id_path prefixes (possibly empty).
 */
export function columnScopes(actor: Actor, permission: Permission, siteId: number): 'site' | string[] {
  if (actor.kind === 'system') return 'site';
  const gs = grantsFor(actor, permission, { siteId, columnIdPath: '/' }).concat(
    actor.kind === 'user' ? actor.grants.filter((g) => g.siteId === siteId && g.columnIdPath !== null && permissionsOf(g.role).includes(permission)) : [],
  );
  if (gs.some((g) => isGlobalRole(g.role) || g.columnIdPath === null)) return 'site';
  return [...new Set(gs.map((g) => g.columnIdPath!).filter(Boolean))];
}
