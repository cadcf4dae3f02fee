import { describe, expect, it } from 'vitest';
import type { Item } from './data.js';
import { ModelBuilder, humanSize, plainText, redirectPage, variantsOf, xml } from './models.js';
import { fileOf, groupName, isCompressible, isSafePath, listPageNumber, listPageUrl, pageCount, parseGroup, wholeSiteOf } from './pages.js';
import { toTraditional } from './traditional.js';

describe('group names', () => {
  it('parse and print back', () => {
    for (const name of ['site:3:home', 'site:3:sitemap', 'site:3:404', 'column:38', 'column:38:rss', 'column:38:more', 'article:460', 'placement:7', 'assets:default', 'redirect:/jyj/old/', 'redirect:/jyj/a/202611/t20261120_5.html']) {
      const g = parseGroup(name);
      expect(g, name).not.toBeNull();
      expect(groupName(g!)).toBe(name);
    }
  });
  it('refuse anything else (names arrive in job payloads)', () => {
    for (const name of ['', 'site:0:home', 'site:x:home', 'site:3:*', 'column:-1', 'article:1.5', 'article:99999999999', 'assets:../x', 'assets:Default', 'redirect:', 'redirect:relative', 'redirect:/a/../b', 'redirect:/a/.hidden', 'redirect:/a b', 'redirect:/%2e%2e/x', 'page:1', 'column:38:more:more', 'column:0:more'])
      expect(parseGroup(name), name).toBeNull();
  });
  it('site:<id>:* names a whole site', () => {
    expect(wholeSiteOf('site:12:*')).toBe(12);
    expect(wholeSiteOf('site:12:home')).toBeNull();
  });
});

describe('paths', () => {
  it('directories are their index.html; list pages are index.html, index_2.html …', () => {
    expect(fileOf('/jyj/gzdt/')).toBe('/jyj/gzdt/index.html');
    expect(fileOf('/jyj/a.html')).toBe('/jyj/a.html');
    expect(listPageUrl('jyj', 'xwzx/gzdt', 1)).toBe('/jyj/xwzx/gzdt/');
    expect(listPageUrl('jyj', 'xwzx/gzdt', 3)).toBe('/jyj/xwzx/gzdt/index_3.html');
    expect(listPageUrl('www', 'zxzx', 2)).toBe('/zxzx/index_2.html');
    expect([0, 1, 20, 21, 40, 41].map(pageCount)).toEqual([1, 1, 1, 2, 2, 3]);
    expect(['/jyj/gzdt/index.html', '/zh-hant/jyj/gzdt/index_2.html', '/zxzx/index_13.html', '/jyj/gzdt/index_x.html'].map(listPageNumber)).toEqual([1, 2, 13, 1]);
  });
  it('safe paths stay under public/ and are never dot-files', () => {
    expect(isSafePath('/jyj/gzdt/index.html')).toBe(true);
    expect(isSafePath('/zh-hant/jyj/')).toBe(true);
    for (const p of ['jyj/x', '/../x', '/a/../x', '/a/./x', '/.x', '/a//b', '/a\\b', '/a b', '/a%2f', `/${'a'.repeat(1100)}`]) expect(isSafePath(p), p).toBe(false);
  });
  it('only text gets precompressed siblings', () => {
    expect(['/a.html', '/a.xml', '/a.css', '/a.js', '/a.svg'].every(isCompressible)).toBe(true);
    expect(['/a.png', '/a.woff2', '/a.jpg', '/dir.html/x'].some(isCompressible)).toBe(false);
  });
});

describe('model pieces', () => {
  const item = (id: number): Item => ({ kind: 'article', articleId: id, syndicationId: null, columnId: 1, siteId: 1, time: `2026-11-${String(id).padStart(2, '0')}T00:00:00.000Z`, title: `t${id}`, summary: '', source: '', cover: null, fromSiteId: null, url: `/a/${id}` });
  const seq = [9, 8, 7, 6, 5, 4, 3, 2, 1].map(item); // newest first

  it('related items are the five older neighbours, topped up with newer ones at the end of the list', () => {
    const ids = (x: { related: Item[]; prev: Item | null; next: Item | null }) => ({ related: x.related.map((r) => r.articleId), prev: x.prev?.articleId ?? null, next: x.next?.articleId ?? null });
    expect(ids(ModelBuilder.neighbours(seq, seq[0]!))).toEqual({ related: [8, 7, 6, 5, 4], prev: null, next: 8 });
    expect(ids(ModelBuilder.neighbours(seq, seq[4]!))).toEqual({ related: [4, 3, 2, 1, 6], prev: 6, next: 4 });
    expect(ids(ModelBuilder.neighbours(seq, seq[8]!))).toEqual({ related: [2, 3, 4, 5, 6], prev: 2, next: null });
    expect(ids(ModelBuilder.neighbours([seq[0]!], seq[0]!))).toEqual({ related: [], prev: null, next: null });
  });
  it('plain text for the Description tag: tags and entities out, cut to length', () => {
    expect(plainText('<p>发展&amp;改革</p>\n<p>  第二段 </p>', 100)).toBe('发展&改革 第二段');
    expect(plainText(`<p>${'长'.repeat(130)}</p>`, 120)).toBe(`${'长'.repeat(120)}…`);
  });
  it('human-readable sizes', () => {
    expect([500, 2048, 1_572_864].map(humanSize)).toEqual(['500 B', '2.0 KB', '1.5 MB']);
  });
  it('variants: Simplified sites get a Traditional twin; zh-TW sites are Traditional only; English sites neither', () => {
    expect(variantsOf({ language: 'zh-CN' }).map((v) => [v.lang, v.prefixed, v.convert])).toEqual([
      ['zh-CN', false, false],
      ['zh-Hant', true, true],
    ]);
    expect(variantsOf({ language: 'zh-TW' }).map((v) => [v.lang, v.prefixed, v.convert])).toEqual([['zh-Hant', false, true]]);
    expect(variantsOf({ language: 'en' }).map((v) => [v.lang, v.prefixed, v.convert])).toEqual([['en', false, false]]);
  });
  it('redirect pages escape their target', () => {
    const html = redirectPage('/a/"><script>x</script>', 'zh-CN');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    expect(xml(`<&'">`)).toBe('&lt;&amp;&apos;&quot;&gt;');
  });
});

describe('Traditional conversion', () => {
  it('converts Chinese text (Taiwan standard) and leaves markup and ASCII alone', () => {
    expect(toTraditional('<a href="/zh-hant/jyj/fazhan/" title="发展">示范市发展和改革委员会 2026年</a>')).toBe('<a href="/zh-hant/jyj/fazhan/" title="發展">示範市發展和改革委員會 2026年</a>');
    expect(toTraditional('软件 里面 台湾')).toBe('軟件 裡面 臺灣'); // characters, not Taiwanese vocabulary (s2tw, not s2twp)
    expect(toTraditional('plain ascii <b>only</b>')).toBe('plain ascii <b>only</b>');
  });
  it('gives the same result whatever it converted before (the cache never changes the output)', () => {
    const text = `${'发展改革'.repeat(200)}，示范市人民政府。`;
    const first = toTraditional(text);
    toTraditional('发展');
    toTraditional('示范市人民政府');
    expect(toTraditional(text)).toBe(first);
  });
});
