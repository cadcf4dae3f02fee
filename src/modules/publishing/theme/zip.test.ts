import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ZIP_LIMITS, ZipRejected, isUnsafeEntryName, readThemeZip, writeThemeZip } from './zip.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Sets the uncompressed size recorded in the central directory of every entry (a lying header). */
function patchDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 46 <= out.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint32(i + 24, size, true);
  return out;
}

const rejected = (data: Uint8Array): ZipRejected => {
  try {
    readThemeZip(data);
  } catch (e) {
    if (e instanceof ZipRejected) return e;
    throw e;
  }
  throw new Error('accepted');
};

describe('theme zip', () => {
  it('round-trips templates and lists assets and theme.json as ignored', () => {
    const data = writeThemeZip({
      templates: new Map([
        ['home', '{% layout "layouts/base" %}首页'],
        ['partials/header', '<header>页头</header>'],
      ]),
      assets: new Map([['site.css', enc('body{}')]]),
      manifest: { theme: 'default' },
      mtime: new Date('2026-11-20T02:00:00Z'),
    });
    const pkg = readThemeZip(data);
    expect(Object.fromEntries(pkg.templates)).toEqual({ home: '{% layout "layouts/base" %}首页', 'partials/header': '<header>页头</header>' });
    expect(pkg.ignored.sort()).toEqual(['assets/site.css', 'theme.json']);
  });

  it('is deterministic for the same input', () => {
    const input = { templates: new Map([['home', 'x']]), assets: new Map<string, Uint8Array>(), manifest: {}, mtime: new Date('2026-11-20T02:00:00Z') };
    expect(Buffer.from(writeThemeZip(input)).equals(Buffer.from(writeThemeZip(input)))).toBe(true);
  });

  it.each(['../evil.liquid', 'templates/../../etc/passwd', '/etc/passwd', 'templates\\..\\x.liquid', 'C:/x.liquid', 'templates/./home.liquid', 'templates/a\u0000.liquid'])(
    'refuses the unsafe entry name %j (zip slip)',
    (name) => {
      expect(isUnsafeEntryName(name)).toBe(true);
      const e = rejected(zipSync({ [name]: enc('x') }));
      expect(e.message).toMatch(/不安全|不支持/);
    },
  );

  it('refuses entries that are not templates, assets or theme.json, and bad template names', () => {
    expect(rejected(zipSync({ 'index.php': enc('<?php') })).message).toMatch(/不支持的文件/);
    expect(rejected(zipSync({ 'templates/Home.liquid': enc('x') })).message).toMatch(/模板名不合法/);
    expect(rejected(zipSync({ 'templates/a__b.liquid': enc('x') })).message).toMatch(/模板名不合法/);
    expect(rejected(zipSync({ 'assets/evil.exe': enc('MZ') })).message).toMatch(/不支持的文件/);
  });

  it('refuses a zip bomb before inflating it', () => {
    const bomb = zipSync({ 'templates/home.liquid': new Uint8Array(25 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    expect(rejected(bomb).message).toMatch(/过大/);
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`assets/f${i}.css`, new Uint8Array(1024 * 1024)]));
    expect(rejected(zipSync(many, { level: 9 })).message).toMatch(/解压后过大/);
  });

  it('does not trust a declared size: a huge one is refused, a small one caps what is inflated', () => {
    const honest = zipSync({ 'templates/home.liquid': enc('0123456789'.repeat(100)) });
    expect(rejected(patchDeclaredSize(honest, 0xfffffff0)).message).toMatch(/过大/);
    const small = readThemeZip(patchDeclaredSize(honest, 5));
    expect(small.templates.get('home')).toBe('01234');
  });

  it('refuses too many entries, duplicates, invalid UTF-8, NUL and non-zip data', () => {
    const lots = Object.fromEntries(Array.from({ length: ZIP_LIMITS.maxEntries + 1 }, (_, i) => [`assets/f${i}.css`, enc('a')]));
    expect(rejected(zipSync(lots)).message).toMatch(/过多/);
    expect(rejected(zipSync({ 'templates/home.liquid': new Uint8Array([0xff, 0xfe, 0x41]) })).message).toMatch(/UTF-8/);
    expect(rejected(zipSync({ 'templates/home.liquid': enc('a\u0000b') })).message).toMatch(/空字符/);
    expect(rejected(enc('this is not a zip file at all')).message).toMatch(/不是有效的 zip/);
    expect(rejected(new Uint8Array(0)).message).toMatch(/不是有效的 zip/);
  });

  it('drops a UTF-8 byte-order mark and ignores macOS clutter', () => {
    const pkg = readThemeZip(zipSync({ 'templates/home.liquid': enc('\uFEFF首页'), '__MACOSX/templates/._home.liquid': enc('x'), 'templates/': new Uint8Array(0) }));
    expect(pkg.templates.get('home')).toBe('首页');
    expect(pkg.ignored).toEqual(['__MACOSX/templates/._home.liquid']);
  });
});
