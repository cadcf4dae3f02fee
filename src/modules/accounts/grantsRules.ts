import { type Failure, fail } from '../../lib/errors.js';
import { GLOBAL_ROLES, type GlobalRole, ROLE_NAMES, type Role } from './actor.js';

/**
 * Which grants a user may hold. Pure: the caller loads the user's grants and looks up the site
 * and column; these functions only decide.
 *
 * 三员分立 (separation of the three administrators, GB/T 22239-2019 等级保护 8.1.4.3 / 8.1.4.4
 * 「应对系统管理员、安全管理员、审计管理员分别授权……实现管理用户的权限分离」): the system
 * administrator, the security administrator and the security auditor are three different people.
 * A holder of one of these roles holds nothing else — neither another of the three nor any site role.
 */

export interface GrantShape {
  role: Role;
  siteId: number | null;
  columnId: number | null;
  reviewLevel: number | null;
}

export interface GrantCheck {
  proposed: GrantShape;
  /** The user's current grants. */
  existing: GrantShape[];
  /** Does `proposed.siteId` name an existing site? (ignored when siteId is null) */
  siteExists: boolean;
  /** The site of `proposed.columnId`; null when no such column (ignored when columnId is null). */
  columnSiteId: number | null;
}

export const isAdminRole = (r: string): r is GlobalRole => (GLOBAL_ROLES as readonly string[]).includes(r);

const invalid = (path: string, message: string): Failure => fail('validation_failed', message, { issues: [{ path, message }] });

/** Global roles have no site or column; site roles need a site; only reviewers carry a review level. */
export function shapeProblem(g: GrantShape): Failure | null {
  const name = ROLE_NAMES[g.role];
  if (isAdminRole(g.role)) {
    if (g.siteId !== null) return invalid('siteId', `${name}是平台级角色，不能限定站点`);
    if (g.columnId !== null) return invalid('columnId', `${name}是平台级角色，不能限定栏目`);
  } else if (g.siteId === null) {
    return invalid('siteId', `${name}须指定站点`);
  }
  if (g.role === 'site_admin' && g.columnId !== null) return invalid('columnId', '站点管理员的授权范围是整个站点，不能限定栏目');
  if (g.reviewLevel !== null) {
    if (g.role !== 'reviewer') return invalid('reviewLevel', '只有审核员可以指定审核级别');
    if (!Number.isInteger(g.reviewLevel) || g.reviewLevel < 1 || g.reviewLevel > 3) return invalid('reviewLevel', '审核级别为 1 至 3');
  }
  return null;
}

/** The site must exist and the column, if any, must belong to it. */
export function referenceProblem(c: GrantCheck): Failure | null {
  const g = c.proposed;
  if (g.siteId !== null && !c.siteExists) return invalid('siteId', '站点不存在');
  if (g.columnId !== null) {
    if (c.columnSiteId === null) return invalid('columnId', '栏目不存在');
    if (c.columnSiteId !== g.siteId) return invalid('columnId', '栏目不属于所选站点');
  }
  return null;
}

const sameGrant = (a: GrantShape, b: GrantShape): boolean =>
  a.role === b.role && a.siteId === b.siteId && a.columnId === b.columnId && a.reviewLevel === b.reviewLevel;

export function duplicateProblem(existing: GrantShape[], g: GrantShape): Failure | null {
  return existing.some((e) => sameGrant(e, g)) ? fail('conflict', '该用户已有相同的授权') : null;
}

/** 三员分立: see the file comment. */
export function separationProblem(existing: GrantShape[], g: GrantShape): Failure | null {
  const heldAdmin = existing.find((e) => isAdminRole(e.role) && e.role !== g.role);
  if (heldAdmin && isAdminRole(g.role)) {
    return fail('conflict', `三员分立：该用户已是${ROLE_NAMES[heldAdmin.role]}，不能再兼任${ROLE_NAMES[g.role]}`, { heldRole: heldAdmin.role });
  }
  if (heldAdmin) {
    return fail('conflict', `三员分立：该用户已是${ROLE_NAMES[heldAdmin.role]}，不能再担任其他角色（${ROLE_NAMES[g.role]}）`, { heldRole: heldAdmin.role });
  }
  const other = existing.find((e) => e.role !== g.role);
  if (isAdminRole(g.role) && other) {
    return fail('conflict', `三员分立：${ROLE_NAMES[g.role]}须由专人担任，该用户已有其他角色（${ROLE_NAMES[other.role]}），请先撤销`, { heldRole: other.role });
  }
  return null;
}

/** Every rule in order: shape (400), references (400), duplicate (409), separation (409). */
export function grantProblem(c: GrantCheck): Failure | null {
  return shapeProblem(c.proposed) ?? referenceProblem(c) ?? duplicateProblem(c.existing, c.proposed) ?? separationProblem(c.existing, c.proposed);
}
