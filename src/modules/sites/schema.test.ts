import { describe, expect, it } from 'vitest';
import { parseInput } from '../../http/validate.js';
import { CreateColumnInput, CreateSiteInput, SiteSettings, UpdateColumnInput } from './schema.js';

/** The first issue's path and message, or 'ok'. */
function check(schema: Parameters<typeof parseInput>[0], input: unknown): 'ok' | { path: string; message: string } {
  const r = parseInput(schema, input);
  if (r.ok) return 'ok';
  const issue = (r.details as { issues: Array<{ path: string; message: string }> }).issues[0]!;
  return issue;
}

describe('site settings', () => {
  it.each([
    [{}, 'ok'],
    [{ siteIdCode: '4401060001', icp: '粤ICP备05012345号-1', psbNumber: '44010602000123' }, 'ok'],
    [{ siteIdCode: '' }, 'ok'], // an empty form field means "not set"
    [{ sponsor: '广州市天河区人民政府办公室', organizer: '天河区政务服务数据管理局', phone: '020-38622000 转 1', email: 'web@thnet.gov.cn' }, 'ok'],
    [{ mourning: true, banner: { text: '台风红色预警：请市民减少外出', level: 'emergency' } }, 'ok'],
    [{ banner: null }, 'ok'],
    [{ siteIdCode: '12345' }, ['siteIdCode', '网站标识码应为10位数字或“bm”加8位数字']],
    [{ icp: '京ICP证05012345号' }, ['icp', /ICP备案号格式/]],
    [{ psbNumber: '京公网安备11010502030143号' }, ['psbNumber', '公安备案号应为14位数字']],
    [{ email: 'not-an-email' }, ['email', '电子邮箱格式不正确']],
    [{ phone: '<script>' }, ['phone', /联系电话/]],
    [{ sponsor: 'x'.repeat(101) }, ['sponsor', /主办单位不能超过 100 个字符/]],
    [{ address: 'a\u0000b' }, ['address', /地址含有控制字符/]],
    [{ mourning: 'yes' }, ['mourning', /哀悼模式/]],
    [{ banner: { text: '', level: 'info' } }, ['banner.text', '通告内容不能为空']],
    [{ banner: { text: 'x', level: 'panic' } }, ['banner.level', /通告级别/]],
    [{ unknownKey: 1 }, ['', /unknownKey/]],
  ])('%j → %j', (settings, expected) => {
    const r = check(SiteSettings, settings);
    if (expected === 'ok') return expect(r).toBe('ok');
    const [path, message] = expected as [string, string | RegExp];
    expect(r).not.toBe('ok');
    const issue = r as { path: string; message: string };
    expect(issue.path).toBe(path);
    if (typeof message === 'string') expect(issue.message).toBe(message);
    else expect(issue.message).toMatch(message);
  });
});

describe('site input', () => {
  const base = { name: '发改委', organisationId: 1 };
  it.each([
    [{ ...base, code: 'fgw' }, 'ok'],
    [{ ...base, code: 'www' }, 'ok'],
    [{ ...base, code: 'f' }, 'code'],
    [{ ...base, code: 'api' }, 'code'],
    [{ ...base, code: 'xxgk' }, 'code'],
    [{ ...base, code: 'FGW' }, 'code'],
    [{ ...base, code: '1fgw' }, 'code'],
    [{ ...base, code: 'fgw<script>' }, 'code'],
    [{ ...base, code: '../etc' }, 'code'],
    [{ ...base, code: 'a'.repeat(32) }, 'code'],
    [{ ...base, code: 'fgw', hosts: ['fgw.gov.cn', 'FGW.gov.cn'] }, 'ok'],
    [{ ...base, code: 'fgw', hosts: ['fgw.gov.cn:80'] }, 'hosts.0'],
    [{ ...base, code: 'fgw', hosts: ['<script>.cn'] }, 'hosts.0'],
    [{ ...base, code: 'fgw', hosts: Array.from({ length: 11 }, (_, i) => `h${i}.gov.cn`) }, 'hosts'],
    [{ ...base, code: 'fgw', theme: 'Blue Theme' }, 'theme'],
    [{ ...base, code: 'fgw', language: 'fr' }, 'language'],
    [{ ...base, code: 'fgw', status: 'deleted' }, 'status'],
    [{ ...base, code: 'fgw', organisationId: 1e12 }, 'organisationId'],
    [{ ...base, code: 'fgw', id: 5 }, ''],
  ])('%j → %s', (input, expected) => {
    const r = check(CreateSiteInput, input);
    if (expected === 'ok') expect(r).toBe('ok');
    else expect((r as { path: string }).path).toBe(expected);
  });

  it('lowercases and de-duplicates host names', () => {
    const r = CreateSiteInput.parse({ ...base, code: 'fgw', hosts: ['FGW.gov.cn', 'fgw.gov.cn', 'www.fgw.gov.cn'] });
    expect(r.hosts).toEqual(['fgw.gov.cn', 'www.fgw.gov.cn']);
  });
});

describe('column input', () => {
  const base = { siteId: 1, name: '通知公告', slug: 'tzgg' };
  it.each([
    [base, 'ok'],
    [{ ...base, slug: '2026' }, 'ok'],
    [{ ...base, slug: 'a_b-c' }, 'ok'],
    [{ ...base, slug: '-x' }, 'slug'],
    [{ ...base, slug: 'Tzgg' }, 'slug'],
    [{ ...base, slug: '../x' }, 'slug'],
    [{ ...base, slug: 'a/b' }, 'slug'],
    [{ ...base, slug: '<script>' }, 'slug'],
    [{ ...base, slug: 'x'.repeat(41) }, 'slug'],
    [{ ...base, name: '' }, 'name'],
    [{ ...base, name: 'x'.repeat(61) }, 'name'],
    [{ ...base, name: '\ud800' }, 'name'],
    [{ ...base, kind: 'link' }, 'linkUrl'],
    [{ ...base, kind: 'link', linkUrl: 'https://www.gov.cn/' }, 'ok'],
    [{ ...base, kind: 'link', linkUrl: '/zwgk/' }, 'ok'],
    [{ ...base, kind: 'link', linkUrl: 'javascript:alert(1)' }, 'linkUrl'],
    [{ ...base, kind: 'list', linkUrl: 'https://www.gov.cn/' }, 'linkUrl'],
    [{ ...base, updateIntervalDays: 0 }, 'updateIntervalDays'],
    [{ ...base, updateIntervalDays: 366 }, 'updateIntervalDays'],
    [{ ...base, updateIntervalDays: 7 }, 'ok'],
    [{ ...base, reviewLevels: 4 }, 'reviewLevels'],
    [{ ...base, reviewLevels: 0 }, 'ok'],
    [{ ...base, templates: { list: 'list-news', article: 'article/wide' } }, 'ok'],
    [{ ...base, templates: { list: '../../etc/passwd' } }, 'templates.list'],
    [{ ...base, templates: { list: '/etc/passwd' } }, 'templates.list'],
    [{ ...base, templates: { __proto__x: 'a' } }, 'templates.__proto__x'],
    [{ ...base, description: '第一行\n第二行' }, 'ok'],
    [{ ...base, parentId: 0 }, 'parentId'],
    [{ ...base, path: 'x' }, ''],
  ])('%j → %s', (input, expected) => {
    const r = check(CreateColumnInput, input);
    if (expected === 'ok') expect(r).toBe('ok');
    else expect((r as { path: string }).path).toBe(expected);
  });

  it('keeps site and parent out of a column update (moving is its own command)', () => {
    expect(check(UpdateColumnInput, { parentId: 3 })).not.toBe('ok');
    expect(check(UpdateColumnInput, { siteId: 3 })).not.toBe('ok');
    expect(check(UpdateColumnInput, {})).toBe('ok');
  });
});
