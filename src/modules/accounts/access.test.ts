/**
 * Pure, table-driven tests of the permission model (no database): the role → permission map,
 * the three-way separation of the administrators (三员分立), site and column-subtree scoping,
 * review levels, and the helpers list queries use to narrow what an actor can see.
 */
import { describe, expect, it } from 'vitest';
import { type Permission, type Scope, can, canReviewLevel, columnScopes, covers, grantsFor, isGlobalRole, visibleSiteIds } from './access.js';
import { type Actor, type Grant, type Role, GLOBAL_ROLES, ROLES, SITE_ROLES, anonymous, systemActor } from './actor.js';

const PERMISSIONS = [
  'system.manage',
  'security.manage',
  'audit.read',
  'site.manage',
  'content.read',
  'article.edit',
  'article.review',
  'article.publish',
  'media.upload',
  'letter.handle',
] as const satisfies readonly Permission[];
// Compile-time: a permission added to access.ts but not to this list fails `tsc`.
type Unlisted = Exclude<Permission, (typeof PERMISSIONS)[number]>;
const _everyPermissionListed: [Unlisted] extends [never] ? true : false = true;
void _everyPermissionListed;

/** The whole role map, cell by cell. Any change to access.ts's GLOBAL/SCOPED must be mirrored here. */
const MATRIX: Record<Role, readonly Permission[]> = {
  sysadmin: ['system.manage', 'site.manage', 'content.read'],
  secadmin: ['security.manage'],
  auditor: ['audit.read'],
  site_admin: ['site.manage', 'content.read', 'article.edit', 'article.review', 'article.publish', 'media.upload', 'letter.handle'],
  editor: ['content.read', 'article.edit', 'media.upload'],
  reviewer: ['content.read', 'article.review', 'article.publish'],
  handler: ['content.read', 'letter.handle'],
};

// ---------- hand-built actors ----------

let nextGrantId = 1;
type GrantSpec = { role: Role; siteId?: number | null; columnIdPath?: string | null; reviewLevel?: number | null };

function grant(g: GrantSpec): Grant {
  const global = isGlobalRole(g.role);
  const columnIdPath = g.columnIdPath ?? null;
  return {
    id: nextGrantId++,
    role: g.role,
    siteId: global ? null : (g.siteId ?? 1),
    columnId: columnIdPath ? Number(columnIdPath.split('/').filter(Boolean).at(-1)) : null,
    columnIdPath,
    reviewLevel: g.reviewLevel ?? null,
  };
}

function user(...grants: GrantSpec[]): Actor {
  return { kind: 'user', id: 42, username: 'u', displayName: '用户', grants: grants.map(grant), via: 'session', mustChangePassword: false };
}

const SITE1: Scope = { siteId: 1 };
const SITE2: Scope = { siteId: 2 };
const code = (f: ReturnType<typeof can>) => (f === null ? 'allowed' : f.code);

/** What a role holding a grant (site-wide on site 1 for site roles) may do on site 1. */
const allowedOnSite1 = (role: Role): Permission[] => PERMISSIONS.filter((p) => can(user({ role }), p, SITE1) === null);

describe('role → permission matrix', () => {
  const cells = ROLES.flatMap((role) => PERMISSIONS.map((permission) => ({ role, permission, holds: MATRIX[role].includes(permission) })));

  it('has one row per role and lists only known permissions', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...ROLES].sort());
    expect(cells).toHaveLength(ROLES.length * PERMISSIONS.length);
  });

  it.each(cells)('$role holds $permission: $holds', ({ role, permission, holds }) => {
    expect(can(user({ role }), permission, SITE1) === null).toBe(holds);
    expect(grantsFor(user({ role }), permission, SITE1)).toHaveLength(holds ? 1 : 0);
  });

  it.each(ROLES)('%s holds exactly its row of the matrix', (role) => {
    expect(allowedOnSite1(role)).toEqual(PERMISSIONS.filter((p) => MATRIX[role].includes(p)));
  });

  it.each(GLOBAL_ROLES)('global role %s holds the same permissions at global scope as on a site', (role) => {
    expect(PERMISSIONS.filter((p) => can(user({ role }), p, 'global') === null)).toEqual(allowedOnSite1(role));
  });
});

describe('three-way separation of the administrators (三员分立)', () => {
  it.each([
    { role: 'sysadmin', refused: ['security.manage', 'audit.read'] },
    { role: 'secadmin', refused: ['system.manage', 'site.manage', 'audit.read', 'content.read'] },
    { role: 'auditor', refused: ['system.manage', 'security.manage', 'site.manage', 'content.read'] },
  ] as const)('$role is refused $refused', ({ role, refused }) => {
    for (const p of refused) {
      expect(code(can(user({ role }), p, 'global')), p).toBe('forbidden');
      expect(code(can(user({ role }), p, SITE1)), p).toBe('forbidden');
    }
  });

  it('gives each administrator core power to that administrator alone', () => {
    const holders = (p: Permission) => ROLES.filter((r) => can(user({ role: r }), p, 'global') === null);
    expect(holders('system.manage')).toEqual(['sysadmin']);
    expect(holders('security.manage')).toEqual(['secadmin']);
    expect(holders('audit.read')).toEqual(['auditor']);
  });

  it('gives the auditor audit.read and nothing else', () => {
    expect(allowedOnSite1('auditor')).toEqual(['audit.read']);
  });

  it('no site role reaches a global administrator power even on its own site', () => {
    for (const role of SITE_ROLES) {
      for (const p of ['system.manage', 'security.manage', 'audit.read'] as const) expect(code(can(user({ role }), p, SITE1)), `${role} ${p}`).toBe('forbidden');
    }
  });
});

describe('isGlobalRole', () => {
  it.each([
    ['sysadmin', true],
    ['secadmin', true],
    ['auditor', true],
    ['site_admin', false],
    ['editor', false],
    ['reviewer', false],
    ['handler', false],
    ['', false],
    ['SYSADMIN', false],
    ['admin', false],
    // inherited object keys are not roles
    ['toString', false],
    ['constructor', false],
    ['__proto__', false],
    ['hasOwnProperty', false],
  ] as const)('%j → %s', (role, expected) => {
    expect(isGlobalRole(role)).toBe(expected);
  });
});

describe('covers: site scoping', () => {
  it.each([
    { what: 'a site grant reaches its own site', g: { role: 'editor', siteId: 1 }, scope: SITE1, reaches: true },
    { what: 'a site grant reaches a column of its own site', g: { role: 'editor', siteId: 1 }, scope: { siteId: 1, columnIdPath: '/3/17/' }, reaches: true },
    { what: 'a site grant on site 1 does not reach site 2', g: { role: 'editor', siteId: 1 }, scope: SITE2, reaches: false },
    { what: 'a site grant on site 1 does not reach a column of site 2', g: { role: 'site_admin', siteId: 1 }, scope: { siteId: 2, columnIdPath: '/9/' }, reaches: false },
    { what: "a site grant does not reach 'global'", g: { role: 'site_admin', siteId: 1 }, scope: 'global', reaches: false },
    { what: "a column grant does not reach 'global'", g: { role: 'editor', siteId: 1, columnIdPath: '/3/' }, scope: 'global', reaches: false },
    { what: "sysadmin reaches 'global'", g: { role: 'sysadmin' }, scope: 'global', reaches: true },
    { what: "secadmin reaches 'global'", g: { role: 'secadmin' }, scope: 'global', reaches: true },
    { what: "auditor reaches 'global'", g: { role: 'auditor' }, scope: 'global', reaches: true },
    { what: 'a global role reaches any site', g: { role: 'sysadmin' }, scope: { siteId: 999 }, reaches: true },
    { what: 'a global role reaches any column', g: { role: 'sysadmin' }, scope: { siteId: 7, columnIdPath: '/70/71/' }, reaches: true },
  ] as { what: string; g: GrantSpec; scope: Scope | 'global'; reaches: boolean }[])('$what', ({ g, scope, reaches }) => {
    expect(covers(grant(g), scope)).toBe(reaches);
  });

  it('refuses an editor of site 1 on site 2 with 403 and allows it on site 1', () => {
    const a = user({ role: 'editor', siteId: 1 });
    expect(code(can(a, 'article.edit', SITE1))).toBe('allowed');
    expect(code(can(a, 'article.edit', SITE2))).toBe('forbidden');
    expect(code(can(a, 'article.edit', { siteId: 2, columnIdPath: '/3/' }))).toBe('forbidden');
  });

  it("refuses a site administrator every permission at 'global' scope", () => {
    const a = user({ role: 'site_admin', siteId: 1 });
    for (const p of PERMISSIONS) expect(code(can(a, p, 'global')), p).toBe('forbidden');
  });
});

describe('covers: column-subtree scoping by id_path prefix', () => {
  const subtree = grant({ role: 'editor', siteId: 3, columnIdPath: '/3/17/' });
  it.each([
    { scope: { siteId: 3, columnIdPath: '/3/17/' }, reaches: true, why: 'the column itself' },
    { scope: { siteId: 3, columnIdPath: '/3/17/40/' }, reaches: true, why: 'a child' },
    { scope: { siteId: 3, columnIdPath: '/3/17/40/41/' }, reaches: true, why: 'a grandchild' },
    { scope: { siteId: 3, columnIdPath: '/3/' }, reaches: false, why: 'the parent' },
    { scope: { siteId: 3, columnIdPath: '/3/171/' }, reaches: false, why: 'a sibling whose id starts with the same digits' },
    { scope: { siteId: 3, columnIdPath: '/3/18/' }, reaches: false, why: 'a sibling' },
    { scope: { siteId: 3, columnIdPath: '/17/' }, reaches: false, why: 'the same id at another depth' },
    { scope: { siteId: 4, columnIdPath: '/3/17/' }, reaches: false, why: "another site's identical id_path" },
    { scope: { siteId: 3 }, reaches: false, why: 'the site itself (no column path)' },
    { scope: { siteId: 3, columnIdPath: null }, reaches: false, why: 'the site itself (null column path)' },
    { scope: { siteId: 3, columnIdPath: '' }, reaches: false, why: 'the site itself (empty column path)' },
    { scope: { siteId: 3, columnIdPath: '/' }, reaches: false, why: 'the site root' },
  ] as { scope: Scope; reaches: boolean; why: string }[])('/3/17/ on $scope.siteId → $scope.columnIdPath: $reaches ($why)', ({ scope, reaches }) => {
    expect(covers(subtree, scope)).toBe(reaches);
    expect(code(can(user({ role: 'editor', siteId: 3, columnIdPath: '/3/17/' }), 'article.edit', scope))).toBe(reaches ? 'allowed' : 'forbidden');
  });

  it('a column-subtree site administrator does not get site-level powers', () => {
    const a = user({ role: 'site_admin', siteId: 3, columnIdPath: '/3/17/' });
    expect(code(can(a, 'site.manage', { siteId: 3, columnIdPath: '/3/17/40/' }))).toBe('allowed');
    expect(code(can(a, 'site.manage', { siteId: 3 }))).toBe('forbidden');
  });
});

describe('grantsFor', () => {
  it('returns only the grants that hold the permission and reach the scope', () => {
    const a = user(
      { role: 'editor', siteId: 1 },
      { role: 'reviewer', siteId: 1, reviewLevel: 2 },
      { role: 'editor', siteId: 2 },
      { role: 'editor', siteId: 1, columnIdPath: '/5/' },
      { role: 'handler', siteId: 1 },
    );
    if (a.kind !== 'user') throw new Error('unreachable');
    const ids = (gs: Grant[]) => gs.map((g) => g.id);
    const [siteEditor, siteReviewer, , columnEditor, handler] = a.grants;
    expect(ids(grantsFor(a, 'article.edit', { siteId: 1, columnIdPath: '/5/6/' }))).toEqual([siteEditor!.id, columnEditor!.id]);
    expect(ids(grantsFor(a, 'article.edit', SITE1))).toEqual([siteEditor!.id]);
    expect(ids(grantsFor(a, 'article.review', SITE1))).toEqual([siteReviewer!.id]);
    expect(ids(grantsFor(a, 'letter.handle', SITE1))).toEqual([handler!.id]);
    expect(grantsFor(a, 'site.manage', SITE1)).toEqual([]);
  });

  it('returns nothing for the anonymous and the system actor (no grants to list)', () => {
    expect(grantsFor(anonymous, 'content.read', SITE1)).toEqual([]);
    expect(grantsFor(systemActor('publisher'), 'content.read', SITE1)).toEqual([]);
  });
});

describe('can: who is asking', () => {
  it.each(PERMISSIONS)('anonymous → unauthenticated (401) for %s', (p) => {
    const f = can(anonymous, p, SITE1);
    expect(f).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(code(can(anonymous, p, 'global'))).toBe('unauthenticated');
  });

  it.each(PERMISSIONS)('a user without any grant → forbidden (403) for %s', (p) => {
    expect(can(user(), p, SITE1)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(code(can(user(), p, 'global'))).toBe('forbidden');
  });

  it.each(PERMISSIONS)('the system actor is allowed %s everywhere', (p) => {
    expect(can(systemActor(), p, SITE1)).toBeNull();
    expect(can(systemActor('jobs'), p, 'global')).toBeNull();
    expect(can(systemActor(), p, { siteId: 99, columnIdPath: '/1/2/' })).toBeNull();
  });

  it('the failure carries a Chinese message', () => {
    expect(can(anonymous, 'content.read', SITE1)?.message).toMatch(/登录/);
    expect(can(user(), 'content.read', SITE1)?.message).toMatch(/权限/);
  });

  it('a grant whose role this version does not know gives nothing and does not throw', () => {
    for (const role of ['webmaster', 'toString', 'constructor', '__proto__'] as unknown as Role[]) {
      const a = user({ role, siteId: 1 });
      for (const p of PERMISSIONS) {
        expect(code(can(a, p, SITE1)), `${String(role)} ${p}`).toBe('forbidden');
        expect(code(can(a, p, 'global')), `${String(role)} ${p}`).toBe('forbidden');
      }
      expect(visibleSiteIds(a, 'content.read')).toEqual([]);
      expect(columnScopes(a, 'content.read', 1)).toEqual([]);
    }
  });
});

describe('canReviewLevel', () => {
  const scope: Scope = { siteId: 1, columnIdPath: '/5/' };
  it.each([
    { who: 'reviewer of level 1', a: () => user({ role: 'reviewer', reviewLevel: 1 }), levels: { 1: 'allowed', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'reviewer of level 2', a: () => user({ role: 'reviewer', reviewLevel: 2 }), levels: { 1: 'forbidden', 2: 'allowed', 3: 'forbidden' } },
    { who: 'reviewer of levels 1 and 3', a: () => user({ role: 'reviewer', reviewLevel: 1 }, { role: 'reviewer', reviewLevel: 3 }), levels: { 1: 'allowed', 2: 'forbidden', 3: 'allowed' } },
    { who: 'reviewer of any level (null)', a: () => user({ role: 'reviewer', reviewLevel: null }), levels: { 1: 'allowed', 2: 'allowed', 3: 'allowed' } },
    { who: 'site administrator', a: () => user({ role: 'site_admin' }), levels: { 1: 'allowed', 2: 'allowed', 3: 'allowed' } },
    { who: 'site administrator with a stray level', a: () => user({ role: 'site_admin', reviewLevel: 1 }), levels: { 1: 'allowed', 2: 'allowed', 3: 'allowed' } },
    { who: 'editor', a: () => user({ role: 'editor' }), levels: { 1: 'forbidden', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'editor with a stray level', a: () => user({ role: 'editor', reviewLevel: 1 }), levels: { 1: 'forbidden', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'handler', a: () => user({ role: 'handler' }), levels: { 1: 'forbidden', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'sysadmin (no article.review)', a: () => user({ role: 'sysadmin' }), levels: { 1: 'forbidden', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'reviewer of level 1 on another site', a: () => user({ role: 'reviewer', siteId: 2, reviewLevel: 1 }), levels: { 1: 'forbidden', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'reviewer of another column', a: () => user({ role: 'reviewer', columnIdPath: '/6/' }), levels: { 1: 'forbidden', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'reviewer of this column subtree, level 2', a: () => user({ role: 'reviewer', columnIdPath: '/5/', reviewLevel: 2 }), levels: { 1: 'forbidden', 2: 'allowed', 3: 'forbidden' } },
    { who: 'level-1 reviewer site-wide plus editor', a: () => user({ role: 'editor' }, { role: 'reviewer', reviewLevel: 1 }), levels: { 1: 'allowed', 2: 'forbidden', 3: 'forbidden' } },
    { who: 'anonymous', a: () => anonymous, levels: { 1: 'unauthenticated', 2: 'unauthenticated', 3: 'unauthenticated' } },
    { who: 'system actor', a: () => systemActor(), levels: { 1: 'allowed', 2: 'allowed', 3: 'allowed' } },
  ])('$who', ({ a, levels }) => {
    const actor = a();
    for (const [level, expected] of Object.entries(levels)) expect(code(canReviewLevel(actor, scope, Number(level))), `level ${level}`).toBe(expected);
  });

  it('names the refused level in the message', () => {
    expect(canReviewLevel(user({ role: 'reviewer', reviewLevel: 1 }), SITE1, 2)?.message).toContain('2');
  });
});

describe('visibleSiteIds', () => {
  it.each([
    { who: 'system actor', a: () => systemActor(), p: 'content.read', expected: 'all' },
    { who: 'anonymous', a: () => anonymous, p: 'content.read', expected: [] },
    { who: 'user without grants', a: () => user(), p: 'content.read', expected: [] },
    { who: 'sysadmin', a: () => user({ role: 'sysadmin' }), p: 'content.read', expected: 'all' },
    { who: 'sysadmin, for a permission it lacks', a: () => user({ role: 'sysadmin' }), p: 'article.edit', expected: [] },
    { who: 'secadmin, for content', a: () => user({ role: 'secadmin' }), p: 'content.read', expected: [] },
    { who: 'auditor, for content', a: () => user({ role: 'auditor' }), p: 'content.read', expected: [] },
    { who: 'auditor, for the audit log', a: () => user({ role: 'auditor' }), p: 'audit.read', expected: 'all' },
    { who: 'editor of site 1', a: () => user({ role: 'editor', siteId: 1 }), p: 'content.read', expected: [1] },
    { who: 'editor of sites 1 and 2 and a column of 1', a: () => user({ role: 'editor', siteId: 1 }, { role: 'editor', siteId: 2 }, { role: 'editor', siteId: 1, columnIdPath: '/4/' }), p: 'content.read', expected: [1, 2] },
    { who: 'column editor of site 3', a: () => user({ role: 'editor', siteId: 3, columnIdPath: '/3/17/' }), p: 'article.edit', expected: [3] },
    { who: 'editor of 1, handler of 2, for letters', a: () => user({ role: 'editor', siteId: 1 }, { role: 'handler', siteId: 2 }), p: 'letter.handle', expected: [2] },
    { who: 'editor of 1, for review', a: () => user({ role: 'editor', siteId: 1 }), p: 'article.review', expected: [] },
  ] as { who: string; a: () => Actor; p: Permission; expected: number[] | 'all' }[])('$who → $expected', ({ a, p, expected }) => {
    const got = visibleSiteIds(a(), p);
    expect(Array.isArray(got) ? [...got].sort((x, y) => x - y) : got).toEqual(expected);
  });
});

describe('columnScopes', () => {
  it.each([
    { who: 'system actor', a: () => systemActor(), p: 'content.read', expected: 'site' },
    { who: 'anonymous', a: () => anonymous, p: 'content.read', expected: [] },
    { who: 'user without grants', a: () => user(), p: 'content.read', expected: [] },
    { who: 'sysadmin', a: () => user({ role: 'sysadmin' }), p: 'site.manage', expected: 'site' },
    { who: 'secadmin, for content', a: () => user({ role: 'secadmin' }), p: 'content.read', expected: [] },
    { who: 'site-wide editor', a: () => user({ role: 'editor', siteId: 1 }), p: 'article.edit', expected: 'site' },
    { who: 'site-wide editor plus a column grant', a: () => user({ role: 'editor', siteId: 1, columnIdPath: '/4/' }, { role: 'editor', siteId: 1 }), p: 'article.edit', expected: 'site' },
    { who: 'column editor', a: () => user({ role: 'editor', siteId: 1, columnIdPath: '/4/' }), p: 'article.edit', expected: ['/4/'] },
    { who: 'editor of two subtrees', a: () => user({ role: 'editor', siteId: 1, columnIdPath: '/4/' }, { role: 'editor', siteId: 1, columnIdPath: '/8/9/' }), p: 'article.edit', expected: ['/4/', '/8/9/'] },
    { who: 'editor and reviewer of the same subtree (deduplicated)', a: () => user({ role: 'editor', siteId: 1, columnIdPath: '/4/' }, { role: 'reviewer', siteId: 1, columnIdPath: '/4/' }), p: 'content.read', expected: ['/4/'] },
    { who: 'site-wide editor of site 2 only', a: () => user({ role: 'editor', siteId: 2 }), p: 'article.edit', expected: [] },
    { who: 'column editor of site 2 only', a: () => user({ role: 'editor', siteId: 2, columnIdPath: '/4/' }), p: 'article.edit', expected: [] },
    { who: 'column editor, for a permission it lacks', a: () => user({ role: 'editor', siteId: 1, columnIdPath: '/4/' }), p: 'site.manage', expected: [] },
    { who: 'site-wide reviewer plus column editor, for editing', a: () => user({ role: 'reviewer', siteId: 1 }, { role: 'editor', siteId: 1, columnIdPath: '/4/' }), p: 'article.edit', expected: ['/4/'] },
  ] as { who: string; a: () => Actor; p: Permission; expected: 'site' | string[] }[])('$who → $expected', ({ a, p, expected }) => {
    expect(columnScopes(a(), p, 1)).toEqual(expected);
  });
});
