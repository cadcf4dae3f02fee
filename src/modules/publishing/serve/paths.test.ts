import { describe, expect, it } from 'vitest';
import { BR, GZIP, etagMatches, notModifiedSince, parseAcceptEncoding } from './headers.js';
import { articleIdOfPath, fileOf, isCountablePath, isHiddenFile, localPath, notFoundPages, ownHostPath, parseRequestPath, siteCodeOfPath } from './paths.js';

const codes = new Set(['www', 'jyj', 'wsjkw']);
const isCode = (c: string) => codes.has(c);

describe('request paths', () => {
  it.each([
    ['/', '/'],
    ['/jyj/gzdt/', '/jyj/gzdt/'],
    ['/zxzx/zwyw/202611/t20261120_42.html', '/zxzx/zwyw/202611/t20261120_42.html'],
    ['//jyj///gzdt/', '/jyj/gzdt/'],
    ['/%E9%80%9A%E7%9F%A5/', '/通知/'],
    ['/a..b.html', '/a..b.html'],
    ['/jyj/.well-known/x', '/jyj/.well-known/x'],
  ])('accepts %s as %s', (raw, path) => {
    expect(parseRequestPath(raw)).toEqual({ ok: true, path });
  });

  it.each([
    '/..',
    '/../etc/passwd',
    '/jyj/../../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/%2E%2e/etc/passwd',
    '/.%2e/etc/passwd',
    '/jyj/%2e%2e%2f%2e%2e%2fetc/passwd',
    '/%252e%252e/etc/passwd',
    '/..\\etc\\passwd',
    '/%5c..%5cetc',
    '/a%00.html',
    '/a\u0000.html',
    '/a%0a.html',
    '/%c0%ae%c0%ae/',
    '/%',
    '/./a',
    'jyj/',
    `/${'a'.repeat(2000)}`,
  ])('refuses %s', (raw) => {
    expect(parseRequestPath(raw).ok).toBe(false);
  });

  it('maps directories to index.html and hides temporary and precompressed files', () => {
    expect(fileOf('/jyj/')).toBe('/jyj/index.html');
    expect(fileOf('/jyj/a.html')).toBe('/jyj/a.html');
    expect(isHiddenFile('/jyj/.a.html.tmp-1')).toBe(true);
    expect(isHiddenFile('/jyj/a.html.gz')).toBe(true);
    expect(isHiddenFile('/jyj/a.html.br')).toBe(true);
    expect(isHiddenFile('/jyj/a.html')).toBe(false);
  });
});

describe('own host names', () => {
  it.each([
    ['/', 'jyj', '/jyj/'],
    ['/gzdt/', 'jyj', '/jyj/gzdt/'],
    ['/gzdt/202611/t20261120_5.html', 'jyj', '/jyj/gzdt/202611/t20261120_5.html'],
    ['/jyj/gzdt/', 'jyj', '/jyj/gzdt/'],
    ['/jyj', 'jyj', '/jyj'],
    ['/jyjx/', 'jyj', '/jyj/jyjx/'],
    ['/assets/default/site.css', 'jyj', '/assets/default/site.css'],
    ['/zh-hant/gzdt/', 'jyj', '/zh-hant/jyj/gzdt/'],
    ['/zh-hant/', 'jyj', '/zh-hant/jyj/'],
    ['/zh-hant/jyj/gzdt/', 'jyj', '/zh-hant/jyj/gzdt/'],
    ['/zxzx/', 'www', '/zxzx/'],
  ])('%s on a host of %s is %s', (p, code, mapped) => {
    expect(ownHostPath(p, code)).toBe(mapped);
  });
});

describe('404 pages', () => {
  it.each([
    ['/jyj/none.html', ['/jyj/404.html', '/404.html']],
    ['/jyj/', ['/jyj/404.html', '/404.html']],
    ['/zxzx/zwyw/x.html', ['/404.html']],
    ['/www/x.html', ['/404.html']],
    ['/nosite/x.html', ['/404.html']],
    ['/zh-hant/jyj/x.html', ['/zh-hant/jyj/404.html', '/zh-hant/404.html']],
    ['/zh-hant/x.html', ['/zh-hant/404.html']],
  ])('%s → %j', (p, pages) => {
    expect(notFoundPages(p, isCode)).toEqual(pages);
  });
});

describe('page views', () => {
  it('finds the site and the article of a page path', () => {
    expect(siteCodeOfPath('/jyj/gzdt/', isCode)).toBe('jyj');
    expect(siteCodeOfPath('/zh-hant/jyj/gzdt/', isCode)).toBe('jyj');
    expect(siteCodeOfPath('/zxzx/zwyw/', isCode)).toBe('www');
    expect(articleIdOfPath('/jyj/gzdt/202611/t20261120_42.html')).toBe(42);
    expect(articleIdOfPath('/zxzx/202611/t20261120_7.html')).toBe(7);
    expect(articleIdOfPath('/jyj/gzdt/index.html')).toBeNull();
    expect(articleIdOfPath('/jyj/t2026_1.html')).toBeNull();
    expect(articleIdOfPath('/jyj/t20261120_99999999999.html')).toBeNull();
  });

  it.each([
    ['/', true],
    ['/jyj/gzdt/', true],
    ['/jyj/gzdt/202611/t20261120_42.html', true],
    ['/jyj/gzdt/index_2.html', true],
    ['jyj/', false],
    ['//evil.com/', false],
    ['/jyj/../x.html', false],
    ['/jyj/a.png', false],
    ['/jyj/?q=1', false],
    ['/<script>/', false],
    ['/通知/', false],
    [`/${'a'.repeat(300)}/`, false],
  ])('counts %s: %s', (p, countable) => {
    expect(isCountablePath(p)).toBe(countable);
  });
});

describe('local redirect targets', () => {
  it.each([
    ['/jyj/', '/jyj/'],
    ['/zxzx/zwyw/202611/t20261120_42.html?x=1', '/zxzx/zwyw/202611/t20261120_42.html?x=1'],
    ['//evil.com', '/'],
    ['https://evil.com', '/'],
    ['/\\evil.com', '/'],
    ['/a\\b', '/'],
    ['javascript:alert(1)', '/'],
    [' /jyj/', '/'],
    ['/jyj/\r\nSet-Cookie: x=1', '/'],
    ['/通知/', '/'],
    ['', '/'],
    [undefined, '/'],
  ])('%j → %s', (back, to) => {
    expect(localPath(back)).toBe(to);
  });
});

describe('headers', () => {
  it.each([
    ['gzip, deflate, br', GZIP | BR],
    ['gzip', GZIP],
    ['br;q=0, gzip', GZIP],
    ['gzip;q=0', 0],
    ['*', GZIP | BR],
    ['*, br;q=0', GZIP],
    ['identity', 0],
    ['x-gzip', GZIP],
    ['BR;Q=0.5', BR],
    ['', 0],
  ])('Accept-Encoding %j', (h, mask) => {
    expect(parseAcceptEncoding(h)).toBe(mask);
  });

  it('compares entity tags weakly and dates by the second', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"b", "a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
    const t = Date.parse('2026-11-20T01:02:03.456Z');
    expect(notModifiedSince('Fri, 20 Nov 2026 01:02:03 GMT', t)).toBe(true);
    expect(notModifiedSince('Fri, 20 Nov 2026 01:02:02 GMT', t)).toBe(false);
    expect(notModifiedSince('yesterday', t)).toBe(false);
  });
});
