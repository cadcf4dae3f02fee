import { describe, expect, it } from 'vitest';
import {
  childIdPath,
  childPath,
  columnUrl,
  depthOf,
  hasUnsafeChars,
  isHostName,
  isIcpNumber,
  isInSubtree,
  isPsbNumber,
  isReservedCode,
  isSafeLinkUrl,
  isSiteIdCode,
  isTemplateName,
  nest,
  normaliseHost,
  placeAt,
  portalSlugProblem,
  rebase,
  renamedPath,
  sameIdSet,
  siteUrl,
  treeOrder,
  wouldCycle,
} from './rules.js';

describe('网站标识码 (site identification code)', () => {
  it.each([
    ['4401060001', true],
    ['bm12345678', true],
    ['440106000', false], // 9 digits
    ['44010600011', false], // 11 digits
    ['BM12345678', false], // uppercase prefix
    ['bm1234567', false],
    ['bm123456789', false],
    ['ab12345678', false],
    ['44010600０1', false], // full-width digit
    ['', false],
    [' 4401060001', false],
  ])('%j → %s', (code, expected) => {
    expect(isSiteIdCode(code)).toBe(expected);
  });
});

describe('ICP备案号', () => {
  it.each([
    ['京ICP备05012345号', true],
    ['京ICP备05012345号-1', true],
    ['粤ICP备123456号', true], // 6 digits (early numbers)
    ['沪ICP备2021012345号-12', true], // year-prefixed numbers since 2017
    ['新ICP备1234567号', true],
    ['港ICP备05012345号', false], // not one of the 31 provinces
    ['台ICP备05012345号', false],
    ['京ICP备12345号', false], // too short
    ['京ICP备05012345', false], // no 号
    ['京ICP备05012345号-', false],
    ['京ICP备05012345号-0', false],
    ['京ICP证05012345号', false], // 经营许可证, not 备案
    ['京icp备05012345号', false],
    ['ICP备05012345号', false],
    ['京京ICP备05012345号', false],
    ['京ICP备05012345号<script>', false],
  ])('%j → %s', (icp, expected) => {
    expect(isIcpNumber(icp)).toBe(expected);
  });

  it('knows exactly the 31 province-level abbreviations', () => {
    const accepted = [...'京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新港澳台'].filter((p) => isIcpNumber(`${p}ICP备05012345号`));
    expect(accepted).toHaveLength(31);
  });
});

describe('公安备案号', () => {
  it.each([
    ['11010502030143', true],
    ['1101050203014', false],
    ['110105020301434', false],
    ['京公网安备11010502030143号', false],
    ['1101050203014a', false],
    ['', false],
  ])('%j → %s', (n, expected) => {
    expect(isPsbNumber(n)).toBe(expected);
  });
});

describe('host names', () => {
  it.each([
    ['www.gz.gov.cn', true],
    ['thq.gov.cn', true],
    ['localhost', true],
    ['xn--fiqs8s.gov.cn', true], // punycode IDN
    ['a-b.example', true],
    ['10.0.0.1', true],
    ['999.1.1.1', false],
    ['1.2.3', false],
    ['WWW.GOV.CN', false], // lowercase only (the schema lowercases first)
    ['www.gov.cn:8080', false],
    ['www.gov.cn.', false],
    ['-bad.gov.cn', false],
    ['bad-.gov.cn', false],
    ['a..b', false],
    ['中国.cn', false],
    ['<script>.cn', false],
    ['evil.com/x', false],
    ['', false],
    [`${'a'.repeat(64)}.cn`, false],
    [`${'a.'.repeat(127)}cn`, false], // 256 chars
  ])('%j → %s', (h, expected) => {
    expect(isHostName(h)).toBe(expected);
  });

  it.each([
    ['WWW.Gov.CN', 'www.gov.cn'],
    ['www.gov.cn:3000', 'www.gov.cn'],
    ['www.gov.cn.', 'www.gov.cn'],
    ['127.0.0.1:80', '127.0.0.1'],
    ['[::1]:3000', null],
    ['bad host', null],
  ])('normalises the Host header %j → %j', (h, expected) => {
    expect(normaliseHost(h)).toBe(expected);
  });
});

describe('column link targets', () => {
  it.each([
    ['https://www.gov.cn/', true],
    ['http://example.com/a?b=1#c', true],
    ['/zwgk/tzgg/', true],
    ['/', true],
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    [' javascript:alert(1)', false],
    ['java\tscript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:msgbox', false],
    ['//evil.example/', false],
    ['/\\evil.example/', false],
    ['https:evil.example', false],
    ['https://user:pw@evil.example/', false],
    ['ftp://example.com/', false],
    ['zwgk/tzgg', false],
    ['', false],
  ])('%j → %s', (url, expected) => {
    expect(isSafeLinkUrl(url)).toBe(expected);
  });
});

describe('template names', () => {
  it.each([
    ['list-news', true],
    ['article/wide', true],
    ['a_b/c-d/e', true],
    ['/etc/passwd', false],
    ['../../etc/passwd', false],
    ['list/', false],
    ['a//b', false],
    ['List', false],
    ['list.liquid', false],
    ['x'.repeat(61), false],
  ])('%j → %s', (name, expected) => {
    expect(isTemplateName(name)).toBe(expected);
  });
});

describe('reserved codes and the portal namespace', () => {
  it.each([
    ['api', true],
    ['admin', true],
    ['xxgk', true],
    ['bsfw', true],
    ['hdjl', true],
    ['healthz', true],
    ['www', false],
    ['fgw', false],
    ['apis', false],
  ])('%j reserved → %s', (code, expected) => {
    expect(isReservedCode(code)).toBe(expected);
  });

  it.each([
    ['search', ['fgw'], /保留路径/],
    ['fgw', ['fgw'], /子站代码/],
    ['zwgk', ['fgw'], null],
  ])('a portal top-level slug %j with sites %j → %s', (slug, codes, expected) => {
    const p = portalSlugProblem(slug, codes);
    if (expected === null) expect(p).toBeNull();
    else expect(p).toMatch(expected);
  });
});

describe('URLs', () => {
  it.each([
    ['www', null, '/'],
    ['fgw', null, '/fgw/'],
    ['www', 'zwgk/tzgg', '/zwgk/tzgg/'],
    ['fgw', 'zwgk/tzgg', '/fgw/zwgk/tzgg/'],
  ])('site %j column %j → %j', (code, path, expected) => {
    expect(path === null ? siteUrl(code) : columnUrl(code, path)).toBe(expected);
  });
});

describe('column paths', () => {
  it.each([
    [null, 'zwgk', 'zwgk'],
    ['zwgk', 'tzgg', 'zwgk/tzgg'],
    ['zwgk/tzgg', '2026', 'zwgk/tzgg/2026'],
  ])('child of %j with slug %j has path %j', (parent, slug, expected) => {
    expect(childPath(parent, slug)).toBe(expected);
  });

  it.each([
    [null, 3, '/3/'],
    ['/3/', 17, '/3/17/'],
    ['/3/17/', 40, '/3/17/40/'],
  ])('child of %j with id %j has id_path %j', (parent, id, expected) => {
    expect(childIdPath(parent, id)).toBe(expected);
  });

  it.each([
    ['/3/17/', '/3/', true],
    ['/3/', '/3/', true],
    ['/33/', '/3/', false],
    ['/4/3/', '/3/', false],
  ])('%j is in the subtree of %j → %s', (idPath, root, expected) => {
    expect(isInSubtree(idPath, root)).toBe(expected);
  });

  it.each([
    ['/', 0],
    ['/3/', 1],
    ['/3/17/40/', 3],
  ])('depth of %j is %d', (idPath, expected) => {
    expect(depthOf(idPath)).toBe(expected);
  });

  it.each([
    ['zwgk', 'zwgk', 'gk', 'gk'],
    ['zwgk/tzgg', 'tzgg', 'gg', 'zwgk/gg'],
    ['a/a', 'a', 'b', 'a/b'],
  ])('renaming %j (slug %j) to %j gives %j', (path, from, to, expected) => {
    expect(renamedPath(path, from, to)).toBe(expected);
  });

  it('refuses to rename a path that does not end with the slug', () => {
    expect(() => renamedPath('zwgk/tzgg', 'gg', 'x')).toThrow();
  });

  it.each([
    ['zwgk/tzgg/2026', 'zwgk/tzgg', 'xxx/tzgg', 'xxx/tzgg/2026'],
    ['/3/17/40/', '/3/17/', '/5/17/', '/5/17/40/'],
  ])('rebasing %j from %j to %j gives %j', (value, from, to, expected) => {
    expect(rebase(value, from, to)).toBe(expected);
  });
});

describe('sibling order', () => {
  it.each([
    [[1, 2, 3], 9, 0, [9, 1, 2, 3]],
    [[1, 2, 3], 9, 1, [1, 9, 2, 3]],
    [[1, 2, 3], 9, undefined, [1, 2, 3, 9]],
    [[1, 2, 3], 9, 99, [1, 2, 3, 9]],
    [[1, 2, 3], 2, 0, [2, 1, 3]],
    [[1, 2, 3], 1, 2, [2, 3, 1]],
    [[], 9, 5, [9]],
  ])('placing into %j the id %j at %j gives %j', (ids, id, pos, expected) => {
    expect(placeAt(ids, id, pos)).toEqual(expected);
  });

  it.each([
    [[1, 2, 3], [3, 1, 2], true],
    [[1, 2, 3], [1, 2], false],
    [[1, 2], [1, 2, 3], false],
    [[1, 2, 3], [1, 2, 4], false],
    [[1, 2, 2], [1, 2, 3], false],
  ])('%j and %j hold the same ids → %s', (a, b, expected) => {
    expect(sameIdSet(a, b)).toBe(expected);
  });
});

describe('trees', () => {
  const rows = [
    { id: 1, parentId: null, sort: 1 },
    { id: 2, parentId: null, sort: 0 },
    { id: 3, parentId: 1, sort: 5 },
    { id: 4, parentId: 1, sort: 2 },
    { id: 5, parentId: 4, sort: 0 },
  ];

  it('orders a flat list parents first, siblings by sort, with depths', () => {
    expect(treeOrder(rows).map((r) => [r.id, r.depth])).toEqual([
      [2, 0],
      [1, 0],
      [4, 1],
      [5, 2],
      [3, 1],
    ]);
  });

  it('keeps rows of a broken tree (cycle) instead of losing them', () => {
    const broken = [
      { id: 1, parentId: 2, sort: 0 },
      { id: 2, parentId: 1, sort: 0 },
      { id: 3, parentId: null, sort: 0 },
    ];
    expect(treeOrder(broken).map((r) => r.id).sort()).toEqual([1, 2, 3]);
  });

  it('nests rows and makes an orphan (outside a filtered subtree) a root', () => {
    const tree = nest(treeOrder(rows).filter((r) => r.id !== 1));
    expect(tree.map((n) => n.id)).toEqual([2, 4, 3]);
    expect(tree[1]!.children.map((n) => n.id)).toEqual([5]);
  });

  it.each([
    [1, 3, true], // 3 is below 1
    [1, 1, true],
    [3, 4, false],
    [5, null, false],
    [4, 2, false],
  ])('making %j a child of %j closes a loop → %s', (id, parent, expected) => {
    const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
    expect(wouldCycle(id, parent, parentOf)).toBe(expected);
  });
});

describe('unsafe characters', () => {
  it.each([
    ['通知公告', false, false],
    ['emoji 🏛️ ok', false, false],
    ['<script>alert(1)</script>', false, false],
    ['nul\u0000', false, true],
    ['bell\u0007', false, true],
    ['line\nbreak', false, true],
    ['line\nbreak', true, false],
    ['tab\there', true, false],
    ['lone \ud800 high', false, true],
    ['lone \udc00 low', true, true],
    ['reversed \udc00\ud800', false, true],
  ])('%j (multiline %s) unsafe → %s', (s, multiline, expected) => {
    expect(hasUnsafeChars(s, multiline)).toBe(expected);
  });
});
