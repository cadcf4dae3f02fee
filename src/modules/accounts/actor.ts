/** Who is acting. Resolved once per request (STYLE.md §5) and passed explicitly in `ctx`. */
export const GLOBAL_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const;
export const SITE_ROLES = ['site_admin', 'editor', 'reviewer', 'handler'] as const;
export const ROLES = [...GLOBAL_ROLES, ...SITE_ROLES] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];
export type SiteRole = (typeof SITE_ROLES)[number];
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditor: '安全审计员',
  site_admin: '站点管理员',
  editor: '编辑',
  reviewer: '审核员',
  handler: '办理人',
};

export interface Grant {
  id: number;
  role: Role;
  siteId: number | null;
  columnId: number | null;
  /** id_path of the column when the grant is on a subtree ("/3/17/"). */
  columnIdPath: string | null;
  reviewLevel: number | null;
}

export interface UserActor {
  kind: 'user';
  id: number;
  username: string;
  displayName: string;
  grants: Grant[];
  via: 'session' | 'token';
  /** Session state, when authenticated by cookie. */
  session?: { id: string; csrfToken: string; mfaPending: boolean };
  mustChangePassword: boolean;
}

export type Actor = { kind: 'anonymous' } | { kind: 'system'; name: string } | UserActor;

export const anonymous: Actor = { kind: 'anonymous' };
export const systemActor = (name = 'system'): Actor => ({ kind: 'system', name });

export const actorName = (a: Actor): string =>
  a.kind === 'user' ? a.username : a.kind === 'system' ? `system:${a.name}` : 'anonymous';
export const actorId = (a: Actor): number | null => (a.kind === 'user' ? a.id : null);
