/**
 * What the signed-in user may see, derived from their grants (GET /api/v1/auth/me). The server
 * decides every request; this only keeps the console from offering what would be refused.
 */
import type { Grant, Me, Role } from '../types';

const GLOBAL: Role[] = ['sysadmin', 'secadmin', 'auditor'];

export interface Abilities {
  /** Write and submit articles (编辑, 站点管理员). */
  edit: boolean;
  /** Decide reviews (审核员, 站点管理员). */
  review: boolean;
  /** A site's columns and settings (站点管理员). */
  manageSite: boolean;
  /** Any site-scoped role: has a workbench. */
  siteWork: boolean;
  /** 问答知识库: a site-wide editor, reviewer or site administrator grant (a knowledge base is a site's, not a column's). */
  faq: boolean;
  /** Write FAQ entries and work the citizens' question queue (site-wide 编辑, 站点管理员). */
  faqEdit: boolean;
  /** Decide FAQ reviews (site-wide 审核员, 站点管理员). */
  faqReview: boolean;
  sysadmin: boolean;
  secadmin: boolean;
  auditor: boolean;
}

const has = (grants: Grant[], roles: Role[]) => grants.some((g) => roles.includes(g.role));
const siteWide = (grants: Grant[]) => grants.filter((g) => g.siteId !== null && g.columnId === null);

export function abilitiesOf(me: Pick<Me, 'grants'>): Abilities {
  const g = me.grants;
  return {
    edit: has(g, ['editor', 'site_admin']),
    review: has(g, ['reviewer', 'site_admin']),
    manageSite: has(g, ['site_admin']),
    siteWork: has(g, ['editor', 'reviewer', 'site_admin', 'handler']),
    faq: has(siteWide(g), ['editor', 'reviewer', 'site_admin']),
    faqEdit: has(siteWide(g), ['editor', 'site_admin']),
    faqReview: has(siteWide(g), ['reviewer', 'site_admin']),
    sysadmin: has(g, ['sysadmin']),
    secadmin: has(g, ['secadmin']),
    auditor: has(g, ['auditor']),
  };
}

export type Ability = keyof Abilities;

/** Site ids the user works on ('all' for the system administrator, who sees every site). */
export function siteIdsOf(me: Pick<Me, 'grants'>, roles?: Role[]): number[] | 'all' {
  if (has(me.grants, ['sysadmin'])) return 'all';
  const ids = me.grants.filter((g) => !GLOBAL.includes(g.role) && g.siteId !== null && (!roles || roles.includes(g.role))).map((g) => g.siteId!);
  return [...new Set(ids)];
}

/**
 * What the user may do with one site's FAQ knowledge base (the server's rules in
 * interaction/faq/access.ts: site-wide grants only; editors write, reviewers decide their level
 * and take live entries offline, site administrators do everything and set the review levels).
 */
export interface FaqAccess {
  read: boolean;
  edit: boolean;
  review: boolean;
  publish: boolean;
  manage: boolean;
  /** Review levels the user may decide on this site ('all': any level). */
  levels: number[] | 'all';
}

export function faqAccessOn(me: Pick<Me, 'grants'>, siteId: number | null | undefined): FaqAccess {
  const gs = siteId ? siteWide(me.grants).filter((g) => g.siteId === siteId) : [];
  const any = (roles: Role[]) => gs.some((g) => roles.includes(g.role));
  const reviewers = gs.filter((g) => g.role === 'site_admin' || g.role === 'reviewer');
  const levels = reviewers.some((g) => g.role === 'site_admin' || g.reviewLevel === null) ? 'all' : [...new Set(reviewers.map((g) => g.reviewLevel!))];
  return {
    read: any(['editor', 'reviewer', 'site_admin', 'handler']),
    edit: any(['editor', 'site_admin']),
    review: reviewers.length > 0,
    publish: any(['reviewer', 'site_admin']),
    manage: any(['site_admin']),
    levels,
  };
}

/** May the user decide review level `level` of an entry on this site? */
export const mayReviewLevel = (a: FaqAccess, level: number): boolean => a.review && (a.levels === 'all' || a.levels.includes(level));

export interface MenuEntry {
  key: string;
  label: string;
  path?: string;
  ability: Ability;
  children?: MenuEntry[];
}

/** The whole menu; `menuFor` keeps what the user's grants allow. */
export const MENU: MenuEntry[] = [
  { key: 'workbench', label: '工作台', path: '/', ability: 'siteWork' },
  { key: 'articles', label: '稿件管理', path: '/articles', ability: 'edit' },
  { key: 'review', label: '审核', path: '/review', ability: 'review' },
  { key: 'faq', label: '问答知识库', path: '/faq', ability: 'faq' },
  { key: 'qa-questions', label: '群众提问', path: '/qa-questions', ability: 'faqEdit' },
  { key: 'columns', label: '栏目管理', path: '/columns', ability: 'manageSite' },
  { key: 'site-settings', label: '站点设置', path: '/site-settings', ability: 'manageSite' },
  { key: 'templates', label: '模板管理', path: '/templates', ability: 'manageSite' },
  {
    key: 'cluster',
    label: '站点群',
    ability: 'sysadmin',
    children: [
      { key: 'organisations', label: '单位', path: '/cluster/organisations', ability: 'sysadmin' },
      { key: 'sites', label: '站点', path: '/cluster/sites', ability: 'sysadmin' },
    ],
  },
  { key: 'jobs', label: '后台任务', path: '/jobs', ability: 'sysadmin' },
  { key: 'users', label: '用户与授权', path: '/users', ability: 'secadmin' },
  { key: 'column-grants', label: '栏目授权', path: '/column-grants', ability: 'secadmin' },
  { key: 'security', label: '安全策略', path: '/security-policy', ability: 'secadmin' },
  { key: 'audit', label: '审计日志', path: '/audit', ability: 'auditor' },
];

export function menuFor(a: Abilities, entries: MenuEntry[] = MENU): MenuEntry[] {
  return entries
    .filter((e) => a[e.ability])
    .map((e) => (e.children ? { ...e, children: menuFor(a, e.children) } : e))
    .filter((e) => !e.children || e.children.length > 0);
}

/** Where a user lands: the first screen of their menu. */
export function homePath(a: Abilities): string {
  const first = menuFor(a)[0];
  return first?.path ?? first?.children?.[0]?.path ?? '/';
}
