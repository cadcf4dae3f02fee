import { describe, expect, it } from 'vitest';
import type { Role } from './actor.js';
import { type GrantCheck, type GrantShape, grantProblem } from './grantsRules.js';

const g = (role: Role, siteId: number | null = null, columnId: number | null = null, reviewLevel: number | null = null): GrantShape => ({
  role,
  siteId,
  columnId,
  reviewLevel,
});

/** Site 1 exists; column 10 is in site 1, column 20 in site 2. */
const check = (proposed: GrantShape, existing: GrantShape[] = []): GrantCheck => ({
  proposed,
  existing,
  siteExists: proposed.siteId === 1 || proposed.siteId === 2,
  columnSiteId: proposed.columnId === 10 ? 1 : proposed.columnId === 20 ? 2 : null,
});

type Expect = null | { code: 'validation_failed' | 'conflict'; message: RegExp; path?: string };

const cases: Array<[string, GrantCheck, Expect]> = [
  // shape: global roles are platform-wide
  ['sysadmin without scope', check(g('sysadmin')), null],
  ['secadmin without scope', check(g('secadmin')), null],
  ['auditor without scope', check(g('auditor')), null],
  ['sysadmin limited to a site', check(g('sysadmin', 1)), { code: 'validation_failed', message: /系统管理员是平台级角色，不能限定站点/, path: 'siteId' }],
  ['auditor limited to a column', check(g('auditor', null, 10)), { code: 'validation_failed', message: /不能限定栏目/, path: 'columnId' }],
  ['secadmin with a review level', check(g('secadmin', null, null, 1)), { code: 'validation_failed', message: /只有审核员/, path: 'reviewLevel' }],
  // shape: site roles need a site
  ['editor without a site', check(g('editor')), { code: 'validation_failed', message: /编辑须指定站点/, path: 'siteId' }],
  ['handler without a site but a column', check(g('handler', null, 10)), { code: 'validation_failed', message: /办理人须指定站点/, path: 'siteId' }],
  ['site_admin on a site', check(g('site_admin', 1)), null],
  ['site_admin limited to a column', check(g('site_admin', 1, 10)), { code: 'validation_failed', message: /整个站点/, path: 'columnId' }],
  ['editor on a column of the site', check(g('editor', 1, 10)), null],
  ['handler on a site', check(g('handler', 2)), null],
  // review levels
  ['reviewer of any level', check(g('reviewer', 1)), null],
  ['reviewer of level 1', check(g('reviewer', 1, null, 1)), null],
  ['reviewer of level 3 on a column', check(g('reviewer', 1, 10, 3)), null],
  ['reviewer of level 0', check(g('reviewer', 1, null, 0)), { code: 'validation_failed', message: /1 至 3/, path: 'reviewLevel' }],
  ['reviewer of level 4', check(g('reviewer', 1, null, 4)), { code: 'validation_failed', message: /1 至 3/, path: 'reviewLevel' }],
  ['editor with a review level', check(g('editor', 1, null, 2)), { code: 'validation_failed', message: /只有审核员/, path: 'reviewLevel' }],
  // references
  ['unknown site', check(g('editor', 9)), { code: 'validation_failed', message: /站点不存在/, path: 'siteId' }],
  ['unknown column', check(g('editor', 1, 99)), { code: 'validation_failed', message: /栏目不存在/, path: 'columnId' }],
  ['column of another site', check(g('editor', 1, 20)), { code: 'validation_failed', message: /栏目不属于所选站点/, path: 'columnId' }],
  // duplicates
  ['the same site grant twice', check(g('editor', 1), [g('editor', 1)]), { code: 'conflict', message: /相同的授权/ }],
  ['the same global role twice', check(g('auditor'), [g('auditor')]), { code: 'conflict', message: /相同的授权/ }],
  ['the same role on another column', check(g('editor', 1, 10), [g('editor', 1)]), null],
  ['another review level', check(g('reviewer', 1, null, 2), [g('reviewer', 1, null, 1)]), null],
  ['site roles together', check(g('reviewer', 1), [g('editor', 1), g('handler', 2)]), null],
  // 三员分立
  ['auditor for a secadmin', check(g('auditor'), [g('secadmin')]), { code: 'conflict', message: /三员分立：该用户已是安全管理员，不能再兼任安全审计员/ }],
  ['sysadmin for an auditor', check(g('sysadmin'), [g('auditor')]), { code: 'conflict', message: /三员分立：该用户已是安全审计员，不能再兼任系统管理员/ }],
  ['secadmin for a sysadmin', check(g('secadmin'), [g('sysadmin')]), { code: 'conflict', message: /三员分立/ }],
  ['editor for a sysadmin', check(g('editor', 1), [g('sysadmin')]), { code: 'conflict', message: /三员分立：该用户已是系统管理员，不能再担任其他角色（编辑）/ }],
  ['reviewer for an auditor', check(g('reviewer', 1, null, 1), [g('auditor')]), { code: 'conflict', message: /不能再担任其他角色/ }],
  ['secadmin for an editor', check(g('secadmin'), [g('editor', 1)]), { code: 'conflict', message: /三员分立：安全管理员须由专人担任，该用户已有其他角色（编辑）/ }],
  ['auditor for a site admin', check(g('auditor'), [g('site_admin', 2)]), { code: 'conflict', message: /须由专人担任/ }],
];

describe('grant rules', () => {
  it.each(cases)('%s', (_name, c, expected) => {
    const problem = grantProblem(c);
    if (expected === null) {
      expect(problem).toBeNull();
      return;
    }
    expect(problem).not.toBeNull();
    expect(problem!.code).toBe(expected.code);
    expect(problem!.message).toMatch(expected.message);
    if (expected.path) expect((problem!.details as { issues: Array<{ path: string }> }).issues[0]!.path).toBe(expected.path);
  });
});
