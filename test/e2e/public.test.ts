/**
 * The published public pages of the demo cluster in a real browser (issue 3, "How it is
 * proven"): axe-core reports no violations on the home, column, article, site-map and 404 pages,
 * in normal and elder mode, in Simplified and Traditional Chinese; the Nu HTML Checker reports no
 * errors on them; they work by keyboard (skip link first, visible focus) and without JavaScript.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../helpers.js';
import { publisherOf } from '../../src/modules/publishing/index.js';
import { seedIfEmpty } from '../../src/seed/seed.js';
import { axe, browserMissing, launch, vnu, vnuMissing } from './browser.js';

let t: TestApp;
let browser: Browser;
let base: string;
/** The pages checked, as public paths (Simplified); each also under /zh-hant. */
let pages: { name: string; url: string; status: number }[];

const SHOTS = process.env.JIYUE_SHOTS_DIR;

beforeAll(async () => {
  if (browserMissing) return;
  t = await createTestApp();
  t.now.value = new Date();
  await seedIfEmpty(t.store, t.config, pino({ level: 'silent' }), t.now.value);
  const r = await publisherOf(t.jiyue).fullBuild();
  expect(r.failures).toEqual([]);
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.jiyue.app.server.address() as AddressInfo).port}`;
  // An article of a department site, and a list column of it, as a visitor would reach them.
  const a = await t.store.db
    .selectFrom('articles as a')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .select(['a.id'])
    .where('s.code', '=', 'jyj')
    .where('a.live_version', 'is not', null)
    .where('a.body', 'like', '%<p>%')
    .orderBy('a.published_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const row = await t.store.db.selectFrom('published_files').select('path').where('page_group', '=', `article:${a.id}`).where('path', 'like', '/jyj/%.html').executeTakeFirstOrThrow();
  pages = [
    { name: 'portal home', url: '/', status: 200 },
    { name: 'site home', url: '/jyj/', status: 200 },
    { name: 'column', url: '/jyj/gzdt/', status: 200 },
    { name: 'article', url: row.path, status: 200 },
    { name: 'site map', url: '/jyj/sitemap.html', status: 200 },
    { name: '404', url: '/jyj/no-such-page.html', status: 404 },
  ];
  browser = await launch();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Evaluates an expression in the page (the test's own types have no DOM library). */
const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;
const bodyFontSize = (page: Page) => inPage<number>(page, 'parseFloat(getComputedStyle(document.body).fontSize)');

async function visit(ctx: BrowserContext, url: string): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(base + url, { waitUntil: 'load' });
  return page;
}

const variants = [
  { lang: 'zh-CN', prefix: '' },
  { lang: 'zh-TW', prefix: '/zh-hant' },
] as const;

describe.skipIf(!!browserMissing)('the public pages (browser)', () => {
  for (const v of variants) {
    for (const elder of [false, true]) {
      it(`pass axe in ${elder ? 'elder' : 'normal'} mode, ${v.lang}`, async () => {
        const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
        try {
          if (elder) {
            const p = await visit(ctx, `/_mode?elder=1&back=${encodeURIComponent(`${v.prefix}/`)}`);
            await p.close();
          }
          const found: string[] = [];
          for (const pg of pages) {
            const page = await visit(ctx, v.prefix + pg.url);
            const lang = await page.getAttribute('html', 'lang');
            expect(lang, pg.url).toBe(v.lang === 'zh-CN' ? 'zh-CN' : 'zh-Hant');
            if (elder) {
              // Elder mode is really on: the stylesheet the cookie selects enlarges the type.
              const size = await bodyFontSize(page);
              expect(size, `${pg.url} body font size in elder mode`).toBeGreaterThanOrEqual(20);
            }
            if (v.prefix) expect(await page.textContent('body'), pg.url).not.toMatch(/[这们发时说]/); // converted to Traditional
            for (const x of await axe(page)) found.push(`${v.prefix}${pg.url} ${x.id} (${x.impact}): ${x.help} — ${x.nodes.join(', ')}`);
            if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `public-${pg.name.replace(/\s/g, '-')}-${v.lang}${elder ? '-elder' : ''}.png`), fullPage: true });
            await page.close();
          }
          expect(found).toEqual([]);
        } finally {
          await ctx.close();
        }
      });
    }
  }

  it('answers each page with its status, and the 404 page is the site’s own', async () => {
    for (const v of variants)
      for (const pg of pages) {
        const res = await fetch(base + v.prefix + pg.url);
        expect(res.status, v.prefix + pg.url).toBe(pg.status);
        if (pg.status === 404) expect(await res.text()).toContain(v.prefix ? '示範市教育局' : '示范市教育局');
      }
  });

  it('works by keyboard: the first Tab reaches the skip link, which moves focus to the main content, and focus is visible', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await visit(ctx, pages.find((p) => p.name === 'article')!.url);
      await page.keyboard.press('Tab');
      const first = await inPage<{ text?: string; href: string | null }>(page, "({ text: document.activeElement?.textContent?.trim(), href: document.activeElement?.getAttribute('href') })");
      expect(first.text).toBe('跳到主要内容');
      const outline = await inPage<string>(
        page,
        "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? 'outline' : s.boxShadow !== 'none' ? 'shadow' : 'none'; })()",
      );
      expect(outline).not.toBe('none');
      await page.keyboard.press('Enter');
      const target = first.href!.slice(1);
      await page.keyboard.press('Tab');
      const inMain = await inPage<boolean>(page, `!!document.getElementById(${JSON.stringify(target)})?.contains(document.activeElement)`);
      expect(inMain).toBe(true);
    } finally {
      await ctx.close();
    }
  });

  it('works without JavaScript: navigation, the Traditional switch and elder mode are plain links', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    try {
      const page = await visit(ctx, '/jyj/');
      await page.getByRole('link', { name: '工作动态' }).first().click();
      await page.waitForURL(/\/jyj\/gzdt\//);
      await page.getByRole('link', { name: '繁體' }).first().click();
      await page.waitForURL(/\/zh-hant\/jyj\/gzdt\//);
      expect(await page.textContent('h1')).toContain('工作動態');
      await page.getByRole('link', { name: '長者模式' }).first().click();
      await page.waitForURL(/\/zh-hant\/jyj\/gzdt\//);
      const size = await bodyFontSize(page);
      expect(size).toBeGreaterThanOrEqual(20);
    } finally {
      await ctx.close();
    }
  });

  it.skipIf(!!vnuMissing)('passes the Nu HTML Checker on every page, in both scripts', () => {
    const pub = path.join(t.dataDir, 'public');
    const files = variants.flatMap((v) =>
      pages.map((pg) => {
        const rel = pg.status === 404 ? '/jyj/404.html' : pg.url.endsWith('/') ? `${pg.url}index.html` : pg.url;
        const f = path.join(pub, v.prefix + rel);
        expect(fs.existsSync(f), f).toBe(true);
        return f;
      }),
    );
    const errors = vnu(files);
    expect(errors.map((e) => `${path.relative(pub, e.url.replace(/^file:/, ''))}:${e.lastLine}: ${e.message}`)).toEqual([]);
  });
});
