import { describe, expect, it } from 'vitest';
import { DEFAULT_THEMES_DIR, ThemeEngine } from './engine.js';
import { fixtureContext } from './fixtures.js';
import { dateCn, filesize, safeUrl, truncateCn } from './filters.js';

describe('date_cn', () => {
  it.each([
    ['2026-11-20T02:00:00.000Z', '2026年11月20日'],
    ['2026-11-20T18:30:00Z', '2026年11月21日'], // 02:30 next day in Beijing
    ['2026-01-05T00:00:00+08:00', '2026年01月05日'],
    ['2026-11-20', '2026年11月20日'],
    ['2026-11-20 23:59', '2026年11月20日'], // already Beijing time
    ['not a date', ''],
    ['', ''],
    [null, ''],
    [42, ''],
  ])('%j → %j', (input, out) => expect(dateCn(input)).toBe(out));

  it('formats a Date in Beijing time', () => expect(dateCn(new Date('2026-12-31T16:00:00Z'))).toBe('2027年01月01日'));
});

describe('filesize', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [251_187, '245 KB'], // three significant digits at most
    [5 * 1024 * 1024, '5.0 MB'],
    [150 * 1024 * 1024, '150 MB'],
    [3 * 1024 ** 4, '3.0 TB'],
    ['2048', '2.0 KB'],
    ['1.2 MB', '1.2 MB'],
    [-1, ''],
    [null, ''],
  ])('%j → %j', (input, out) => expect(filesize(input)).toBe(out));
});

describe('truncate_cn', () => {
  it('keeps the first n characters and adds an ellipsis only when it cut', () => {
    expect(truncateCn('示范市教育局召开开学工作部署会', 6)).toBe('示范市教育局…');
    expect(truncateCn('示范市教育局', 6)).toBe('示范市教育局');
    expect(truncateCn('示范市教育局', 3, '...')).toBe('示范市...');
  });

  it('counts an emoji as one character and never splits it', () => {
    expect(truncateCn('😀😀😀😀', 2)).toBe('😀😀…');
    expect(truncateCn('😀😀😀😀', 2).isWellFormed()).toBe(true);
  });

  it('treats odd lengths and values calmly', () => {
    expect(truncateCn(null, 5)).toBe('');
    expect(truncateCn('abc', 'x')).toBe('…');
    expect(truncateCn('abc', -3)).toBe('…');
    expect(truncateCn('abcdef')).toBe('abcdef');
  });
});

describe('safe_url', () => {
  it.each([
    ['/jyj/gzdt/', '/jyj/gzdt/'],
    ['https://beian.miit.gov.cn/', 'https://beian.miit.gov.cn/'],
    ['http://www.gov.cn/', 'http://www.gov.cn/'],
    ['mailto:jyj@shifan.gov.cn', 'mailto:jyj@shifan.gov.cn'],
    ['javascript:alert(1)', '#'],
    [' JavaScript:alert(1)', '#'],
    ['data:text/html,<script>', '#'],
    ['//evil.example/', '#'],
    ['/\\evil.example/', '#'],
    ['https://ok.example/a b', '#'],
    ['https://ok.example/\u0000', '#'],
    ['vbscript:msgbox', '#'],
    [null, '#'],
  ])('%j → %j', (input, out) => expect(safeUrl(input)).toBe(out));
});

describe('in templates', () => {
  it('are registered with the engine and their output is escaped', async () => {
    const e = new ThemeEngine({
      themesDir: DEFAULT_THEMES_DIR,
      loadOverrides: async () => ({ t: '{{ article.isoDate | date_cn }}|{{ 1536 | filesize }}|{{ article.title | truncate_cn: 3 }}|{{ "<b>粗体</b>长文本" | truncate_cn: 5 }}|{{ "javascript:x" | safe_url }}' }),
    });
    expect(await e.render(1, 'default', 't', fixtureContext('article'))).toBe('2026年11月20日|1.5 KB|市教育…|&lt;b&gt;粗体…|#');
  });
});
