/**
 * The public search page and the FAQ / smart-Q&A pages of the demo cluster in a real browser
 * (issue 5): axe-core reports no violations on the search page (empty, results, no results,
 * filtered, within a site, page 2), the FAQ list, topic and entry pages and the Q&A page (empty
 * and with a conversation), in normal and elder mode, in Simplified and Traditional Chinese; the
 * search box, its suggestions (an ARIA combobox) and the question field work by keyboard; the
 * forms, filters, sorting and the 有帮助/没帮助 feedback work without JavaScript; hostile queries
 * come back escaped; the Nu HTML Checker reports no errors on the saved pages.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../helpers.js';
import { publisherOf } from '../../src/modules/publishing/index.js';
import { queryLogOf, rebuildIndex } from '../../src/modules/search/index.js';
import { seedIfEmpty } from '../../src/seed/seed.js';
import { axe, browserMissing, launch, vnu, vnuMissing } from './browser.js';

let t: TestApp;
let browser: Browser;
let base: string;
/** The pages checked, as public paths (Simplified); each also under /zh-hant. */
let pages: { name: string; url: string; axe: boolean }[];
/** A published FAQ entry of the 人社局 site. */
let entry: { id: number; question: string; topic: string };
/** The Q&A page of a conversation with an answered question. */
let conversationUrl: string;

const SHOTS = process.env.JIYUE_SHOTS_DIR;
const SITE = 'rsj';
const ANSWERED = '社保卡丢了怎么补办';

const variants = [
  { lang: 'zh-CN', prefix: '' },
  { lang: 'zh-TW', prefix: '/zh-hant' },
] as const;

/** Asks a question through the public form (as a browser without JavaScript would); returns the conversation's address. */
async function ask(question: string, conversation = '', prefix = ''): Promise<string> {
  const res = await fetch(`${base}${prefix}/hdjl/znwd/`, { method: 'POST', body: new URLSearchParams({ question, conversation }), redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('location')!.replace(/#.*$/, '');
}

beforeAll(async () => {
  if (browserMissing) return;
  t = await createTestApp();
  t.now.value = new Date();
  await seedIfEmpty(t.store, t.config, pino({ level: 'silent' }), t.now.value);
  const r = await publisherOf(t.jiyue).fullBuild();
  expect(r.failures).toEqual([]);
  // The index as `jiyue reindex` builds it: the articles and the FAQ entries of the seed.
  const idx = await rebuildIndex({ db: t.store.db, dialect: t.store.dialect, now: t.now.value });
  expect(idx.documents).toBeGreaterThan(100);
  await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.jiyue.app.server.address() as AddressInfo).port}`;
  // Queries people asked, so that the hot searches exist before any page computes them.
  for (const q of ['社保', '社保', '社保', '公积金', '公积金', '营业执照', '医保']) expect((await fetch(`${base}/api/v1/search?q=${encodeURIComponent(q)}`)).status).toBe(200);
  await queryLogOf(t.jiyue).flush();
  const e = await t.store.db
    .selectFrom('faq_entries as f')
    .innerJoin('sites as s', 's.id', 'f.site_id')
    .select(['f.id', 'f.question', 'f.topic'])
    .where('s.code', '=', SITE)
    .where('f.live_version', 'is not', null)
    .orderBy('f.id')
    .executeTakeFirstOrThrow();
  entry = { id: e.id, question: e.question, topic: e.topic };
  conversationUrl = await ask(ANSWERED);
  // A second turn the knowledge base cannot answer: related entries and passages only.
  await ask('城市里的路灯坏了找谁修', new URL(conversationUrl, base).searchParams.get('c')!);
  // Pages of a template already checked in the same state are left to the Nu checker (axe: false).
  pages = [
    { name: 'search', url: '/search', axe: true },
    { name: 'search results', url: `/search?q=${encodeURIComponent('社保')}`, axe: true },
    { name: 'search page 2', url: `/search?q=${encodeURIComponent('社保')}&page=2`, axe: false },
    { name: 'search no results', url: '/search?q=qzxjvwkp', axe: true },
    { name: 'search did you mean', url: `/search?q=${encodeURIComponent('公基金')}`, axe: true },
    { name: 'search filtered', url: `/search?q=${encodeURIComponent('社保')}&site=${SITE}&type=article&range=year&sort=date`, axe: true },
    { name: 'search within a site', url: `/search?q=${encodeURIComponent('养老')}&site=${SITE}`, axe: false },
    { name: 'faq cluster', url: '/hdjl/cjwt/', axe: true },
    { name: 'faq site', url: `/hdjl/cjwt/${SITE}/`, axe: true },
    { name: 'faq topic', url: `/hdjl/cjwt/${SITE}/?topic=${encodeURIComponent(entry.topic)}`, axe: false },
    { name: 'faq entry', url: `/hdjl/cjwt/${SITE}/${entry.id}.html`, axe: true },
    { name: 'qa', url: '/hdjl/znwd/', axe: true },
    { name: 'qa site', url: `/hdjl/znwd/${SITE}/`, axe: false },
    { name: 'qa conversation', url: conversationUrl, axe: true },
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
const active = (page: Page) =>
  inPage<{ id: string; tag: string; text: string; role: string | null }>(
    page,
    "(() => { const a = document.activeElement; return { id: a?.id ?? '', tag: a?.tagName ?? '', text: a?.textContent?.trim() ?? '', role: a?.getAttribute('role') ?? null }; })()",
  );

/** Opens a page and collects the script errors it raises. */
async function visit(ctx: BrowserContext, url: string, errors: string[] = []): Promise<Page> {
  const page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(`${url}: ${e.message}`));
  const res = await page.goto(base + url, { waitUntil: 'load' });
  expect(res?.status(), url).toBeLessThan(500);
  return page;
}

/** Presses Tab until the element with this id (or this text) has focus, at most `max` times. */
async function tabTo(page: Page, target: string | { text: string }, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const a = await active(page);
    if (typeof target === 'string' ? a.id === target : a.text === target.text) return;
  }
  throw new Error(`${JSON.stringify(target)} not reached by Tab`);
}

// Browser work is slow on a 2-core machine running other test files beside it: a minute or two per test.
describe.skipIf(!!browserMissing)('the search, FAQ and Q&A pages (browser)', { timeout: 180_000 }, () => {
  for (const v of variants) {
    for (const elder of [false, true]) {
      it(`pass axe in ${elder ? 'elder' : 'normal'} mode, ${v.lang}`, async () => {
        const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
        ctx.setDefaultTimeout(10_000);
        const errors: string[] = [];
        try {
          const page = await visit(ctx, `/_mode?elder=${elder ? 1 : 0}&back=${encodeURIComponent(`${v.prefix}/search`)}`, errors);
          const found: string[] = [];
          for (const pg of pages.filter((p) => p.axe)) {
            const res = await page.goto(base + v.prefix + pg.url, { waitUntil: 'load' });
            expect(res?.status(), pg.url).toBe(200);
            expect(await page.getAttribute('html', 'lang'), pg.url).toBe(v.lang === 'zh-CN' ? 'zh-CN' : 'zh-Hant');
            if (elder) {
              expect(await bodyFontSize(page), `${pg.url} body font size in elder mode`).toBeGreaterThanOrEqual(20);
              // The form controls grow too (a select or button keeps the browser's 13 px unless the theme says otherwise).
              const controls = await inPage<number[]>(page, "[...document.querySelectorAll('main input:not([type=hidden]), main select, main button, main textarea')].map((e) => parseFloat(getComputedStyle(e).fontSize))");
              expect(Math.min(...controls, 99), `${pg.url} form controls in elder mode`).toBeGreaterThanOrEqual(20);
            }
            const text = (await page.textContent('body')) ?? '';
            if (v.prefix) expect(text, pg.url).not.toMatch(/[这们发时说问题]/); // converted to Traditional
            else expect(text, pg.url).not.toMatch(/[這們發時說問題]/);
            // The Q&A widget is on every page but the Q&A page itself, in the page's script.
            if (!pg.name.startsWith('qa')) expect(await page.locator('.qa-widget a').getAttribute('href'), pg.url).toMatch(new RegExp(`^${v.prefix}/hdjl/znwd/`));
            for (const x of await axe(page)) found.push(`${v.prefix}${pg.url} ${x.id} (${x.impact}): ${x.help} — ${x.nodes.join(', ')}`);
            if (SHOTS && ['search results', 'faq entry', 'qa conversation'].includes(pg.name))
              await page.screenshot({ path: path.join(SHOTS, `search-${pg.name.replace(/\s/g, '-')}-${v.lang}${elder ? '-elder' : ''}.png`), fullPage: true });
          }
          expect(found).toEqual([]);
          expect(errors).toEqual([]);
        } finally {
          await ctx.close();
        }
      });
    }
  }

  it('shows results with highlights, filters, sorting and pages; no results with advice and hot searches; did-you-mean', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(10_000);
    try {
      for (const v of variants) {
        let page = await visit(ctx, `${v.prefix}/search?q=${encodeURIComponent('社保')}`);
        expect(await page.locator('.search-results > li').count()).toBe(10);
        expect(await page.locator('.search-results em').count()).toBeGreaterThan(5);
        expect(await page.locator('#search-page-q').inputValue()).toBe('社保');
        // The type filter offers every kind of result the page shows.
        const typeOptions = await page.locator('#search-type option').allTextContents();
        for (const kind of await page.locator('.search-meta span:nth-child(2)').allTextContents()) expect(typeOptions).toContain(kind);
        for (const a of await page.locator('.search-results h2 a').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''))) expect(a.startsWith(`${v.prefix}/`)).toBe(true);
        await page.getByRole('link', { name: v.prefix ? '下一頁' : '下一页' }).click();
        await page.waitForURL(/page=2/);
        expect(await page.locator('.pagination [aria-current="page"]').textContent()).toContain('2');
        await page.close();

        page = await visit(ctx, `${v.prefix}/search?q=qzxjvwkp`);
        expect(await page.locator('.search-results').count()).toBe(0);
        expect(await page.locator('.search-empty').isVisible()).toBe(true);
        await page.locator('.search-hot a').first().waitFor();
        const hot = await page.locator('.search-hot a').allTextContents();
        expect(hot).toContain(v.prefix ? '社保' : '社保');
        await page.close();

        page = await visit(ctx, `${v.prefix}/search?q=${encodeURIComponent('公基金')}`);
        const dym = page.locator('.search-dym a');
        expect(await dym.textContent()).toBe(v.prefix ? '公積金' : '公积金');
        await dym.click();
        await page.waitForURL(/q=%E5%85%AC%E7%A7%AF%E9%87%91/);
        expect(await page.locator('.search-results > li').count()).toBeGreaterThan(0);
        await page.close();

        // Within a department site: the page takes the site's look and every result is the site's.
        page = await visit(ctx, `${v.prefix}/search?q=${encodeURIComponent('社保')}&site=${SITE}&type=article`);
        expect(await page.locator('.site-name').textContent()).toContain(v.prefix ? '人力資源' : '人力资源');
        const sites = new Set(await page.locator('.search-meta span:first-child').allTextContents());
        expect([...sites]).toEqual([v.prefix ? '示範市人力資源和社會保障局網站' : '示范市人力资源和社会保障局网站']);
        expect(new Set(await page.locator('.search-meta span:nth-child(2)').allTextContents()).size).toBe(1);
        await page.close();
      }
    } finally {
      await ctx.close();
    }
  });

  it('fit a phone screen: no page scrolls sideways', async () => {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 1 });
    ctx.setDefaultTimeout(10_000);
    try {
      const page = await ctx.newPage();
      const wide: string[] = [];
      for (const v of variants)
        for (const pg of pages.filter((p) => p.axe)) {
          await page.goto(base + v.prefix + pg.url, { waitUntil: 'load' });
          const w = await inPage<{ scroll: number; inner: number }>(page, '({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })');
          if (w.scroll > w.inner) wide.push(`${v.prefix}${pg.url}: ${w.scroll}px`);
          if (SHOTS && !v.prefix && ['search results', 'qa conversation'].includes(pg.name)) await page.screenshot({ path: path.join(SHOTS, `search-${pg.name.replace(/\s/g, '-')}-phone.png`) });
        }
      expect(wide).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('search works by keyboard: skip link first, the box takes a query and Enter, suggestions are a combobox (arrows, Enter, Escape)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(10_000);
    const errors: string[] = [];
    try {
      for (const v of variants) {
        const page = await visit(ctx, `${v.prefix}/search`, errors);
        await page.keyboard.press('Tab');
        expect((await active(page)).text).toBe(v.prefix ? '跳到主要內容' : '跳到主要内容');
        await page.keyboard.press('Enter');
        await tabTo(page, 'search-page-q', 5);
        await page.keyboard.type('营业执照');
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.pathname === `${v.prefix}/search` && u.searchParams.get('q') === '营业执照');
        await page.locator('.search-results > li').first().waitFor();

        // Suggestions as one types, in the header's search box of a department site.
        await page.goto(`${base}${v.prefix}/${SITE}/`);
        await tabTo(page, 'search-q');
        const box = page.locator('#search-q');
        expect(await box.getAttribute('role')).toBe('combobox');
        expect(await box.getAttribute('aria-expanded')).toBe('false');
        await page.keyboard.type('养老');
        const listId = (await box.getAttribute('aria-controls'))!;
        const list = page.locator(`[id="${listId}"]`);
        await list.locator('[role="option"]').first().waitFor();
        expect(await list.getAttribute('role')).toBe('listbox');
        expect(await box.getAttribute('aria-expanded')).toBe('true');
        const options = await list.locator('[role="option"]').allTextContents();
        expect(options.length).toBeGreaterThan(0);
        if (v.prefix) expect(options.join('')).not.toMatch(/[这们发时说险养]/);
        await page.keyboard.press('ArrowDown');
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `search-suggestions-${v.lang}.png`), clip: { x: 0, y: 0, width: 1280, height: 500 } });
        const firstId = await box.getAttribute('aria-activedescendant');
        expect(firstId).toBeTruthy();
        expect(await page.locator(`[id="${firstId}"]`).getAttribute('aria-selected')).toBe('true');
        if (options.length > 1) {
          await page.keyboard.press('ArrowDown');
          expect(await box.getAttribute('aria-activedescendant')).not.toBe(firstId);
          await page.keyboard.press('ArrowUp');
          expect(await box.getAttribute('aria-activedescendant')).toBe(firstId);
        }
        // Escape closes the list and keeps what was typed; focus stays in the box.
        await page.keyboard.press('Escape');
        expect(await box.getAttribute('aria-expanded')).toBe('false');
        expect(await list.isVisible()).toBe(false);
        expect(await box.inputValue()).toBe('养老');
        expect((await active(page)).id).toBe('search-q');
        // Down opens it again; Enter on an option goes where it leads.
        await page.keyboard.press('ArrowDown');
        expect(await box.getAttribute('aria-expanded')).toBe('true');
        const chosen = (await page.locator(`[id="${await box.getAttribute('aria-activedescendant')}"]`).textContent())!.trim();
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.pathname !== `${v.prefix}/${SITE}/`);
        const h = (await page.textContent('main h1, main h2')) ?? '';
        expect(page.url().startsWith(`${base}${v.prefix}/`)).toBe(true);
        expect(h.length + chosen.length).toBeGreaterThan(0);
        await page.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('the Q&A page works by keyboard: type a question and Enter, then rate the answer', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(10_000);
    const errors: string[] = [];
    try {
      for (const v of variants) {
        const page = await visit(ctx, `${v.prefix}/hdjl/znwd/`, errors);
        await page.keyboard.press('Tab');
        expect((await active(page)).text).toBe(v.prefix ? '跳到主要內容' : '跳到主要内容');
        await tabTo(page, 'qa-question');
        await page.keyboard.type('公积金怎么提取');
        await page.keyboard.press('Enter');
        await page.waitForURL(/[?&]c=/);
        const turn = page.locator('.qa-exchange').last();
        expect(await turn.locator('.qa-turn-me .qa-bubble').textContent()).toBe(v.prefix ? '公積金怎麼提取' : '公积金怎么提取');
        expect(await turn.locator('.qa-answer').count()).toBe(1);
        // The feedback buttons of the answer are reachable by Tab (the last turn's, as it is the only one).
        await tabTo(page, { text: v.prefix ? '有幫助' : '有帮助' }, 200);
        await page.keyboard.press('Enter');
        await page.waitForURL(/thanks=1/);
        expect(await page.locator('.qa-notice').textContent()).toContain(v.prefix ? '感謝' : '感谢');
        expect(await page.locator('.qa-exchange').last().locator('.qa-feedback-done').textContent()).toContain(v.prefix ? '有幫助' : '有帮助');
        await page.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it('works without JavaScript: the search form, filters and sorting, asking a question and the feedback are plain forms and links', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(10_000);
    try {
      for (const v of variants) {
        const page = await visit(ctx, `${v.prefix}/search`);
        await page.fill('#search-page-q', '公积金');
        await page.selectOption('#search-site', 'www');
        await page.getByRole('button', { name: '搜索', exact: true }).last().click();
        await page.waitForURL((u) => u.searchParams.get('q') === '公积金' && u.searchParams.get('site') === 'www');
        expect(await page.locator('.search-results > li').count()).toBeGreaterThan(0);
        expect(await page.locator('#search-site').inputValue()).toBe('www');
        // Sorting by date is a link, and the dates then go down.
        await page.getByRole('link', { name: v.prefix ? '時間' : '时间', exact: true }).click();
        await page.waitForURL(/sort=date/);
        const dates = await page.locator('.search-meta time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
        expect(dates.length).toBeGreaterThan(1);
        expect([...dates].sort().reverse()).toEqual(dates);
        // The filters are a plain form too: a time range and a type, sent with the search button.
        await page.selectOption('#search-range', 'year');
        await page.selectOption('#search-type', 'faq');
        await page.locator('.search-box button[type="submit"]').click();
        await page.waitForURL(/type=faq/);
        expect(new Set(await page.locator('.search-meta span:nth-child(2)').allTextContents())).toEqual(new Set([v.prefix ? '常見問題' : '常见问题']));
        // The header's search box of any page goes to the search page of the same script.
        await page.goto(`${base}${v.prefix}/${SITE}/`);
        await page.fill('#search-q', '养老');
        await page.locator('.site-header .search-form button').click();
        await page.waitForURL((u) => u.pathname === `${v.prefix}/search` && u.searchParams.get('site') === SITE);
        expect(await page.locator('.search-results > li').count()).toBeGreaterThan(0);

        // The Q&A widget of a published page leads to the Q&A page of its site, in its script.
        await page.goto(`${base}${v.prefix}/${SITE}/`);
        await page.locator('.qa-widget a').click();
        await page.waitForURL((u) => u.pathname === `${v.prefix}/hdjl/znwd/${SITE}/`);
        expect(await page.textContent('h1')).toContain(v.prefix ? '人力資源' : '人力资源');

        // Smart Q&A: ask, see the answer, rate it.
        await page.goto(`${base}${v.prefix}/hdjl/znwd/`);
        await page.fill('#qa-question', ANSWERED);
        await page.locator('.qa-form button[type="submit"]').click();
        await page.waitForURL(/[?&]c=/);
        const turn = page.locator('.qa-exchange').last();
        expect(await turn.locator('.qa-answer').count()).toBe(1);
        expect(await turn.locator('.qa-answer-title a').count()).toBe(1);
        await turn.getByRole('button', { name: v.prefix ? '沒幫助' : '没帮助' }).click();
        await page.waitForURL(/thanks=1/);
        expect(await page.locator('.qa-exchange').last().locator('.qa-feedback-done').textContent()).toContain(v.prefix ? '沒幫助' : '没帮助');
        // The conversation goes on in the same page.
        await page.fill('#qa-question', '医保怎么报销');
        await page.locator('.qa-form button[type="submit"]').click();
        await page.waitForURL((u) => !u.searchParams.has('thanks'));
        expect(await page.locator('.qa-exchange').count()).toBe(2);
        // The FAQ entry's details open without script (details/summary) and link to the entry.
        await page.goto(`${base}${v.prefix}/hdjl/cjwt/${SITE}/`);
        await page.locator('.faq-list summary').first().click();
        await page.locator('.faq-list details[open] .faq-meta a').first().click();
        await page.waitForURL(/\/hdjl\/cjwt\/rsj\/\d+\.html$/);
        expect(await page.locator('h1').count()).toBe(1);
        await page.close();
      }
    } finally {
      await ctx.close();
    }
  });

  it('renders hostile queries and questions escaped, with no page error and no server error', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.setDefaultTimeout(10_000);
    const errors: string[] = [];
    const dialogs: string[] = [];
    const hostile = ['<script>alert(1)</script><img src=x onerror=alert(1)>', `"AND OR NEAR( '; DROP TABLE articles; --`, '社保'.repeat(250), '社保😀🏳️‍🌈'];
    try {
      const page = await ctx.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      for (const v of variants)
        for (const q of hostile) {
          const res = await page.goto(`${base}${v.prefix}/search?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
          expect(res?.status(), q).toBeLessThan(500);
          expect(await page.locator('main script, main img[src="x"]').count(), q).toBe(0);
          if (q.length <= 100) expect(await page.locator('#search-page-q').inputValue(), q).toBe(q);
          else expect(await page.locator('.search-error').textContent(), q).toContain('100');

          await page.goto(`${base}${v.prefix}/hdjl/znwd/`, { waitUntil: 'load' });
          // Past the field's maxlength, as a script or another client might send it.
          await page.locator('#qa-question').evaluate((el, text) => {
            el.removeAttribute('maxlength');
            (el as unknown as { value: string }).value = text;
          }, q);
          const [post] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('.qa-form button[type="submit"]').click()]);
          expect(post.status(), q).toBeLessThan(500);
          await page.waitForLoadState('load');
          expect(await page.locator('main script, main img[src="x"]').count(), q).toBe(0);
          if (q.length > 200) expect(await page.locator('.qa-error').textContent(), q).toContain('200');
          else expect(await page.locator('.qa-exchange .qa-turn-me .qa-bubble').last().textContent(), q).toBe(q);
        }
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
    } finally {
      await ctx.close();
    }
  });

  it.skipIf(!!vnuMissing)('passes the Nu HTML Checker on every page, in both scripts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-vnu-'));
    try {
      const files: string[] = [];
      const extra = [`/search?q=${encodeURIComponent('<script>alert(1)</script>')}`, `/search?q=${encodeURIComponent('社保'.repeat(60))}`];
      for (const v of variants)
        for (const [i, url] of [...pages.map((p) => p.url), ...extra].entries()) {
          const res = await fetch(base + v.prefix + url);
          expect(res.status, url).toBeLessThan(500);
          const f = path.join(dir, `${v.lang}-${i}.html`);
          fs.writeFileSync(f, await res.text());
          files.push(f);
        }
      const names = new Map(files.map((f, i) => [path.basename(f), `${variants[Math.floor(i / (pages.length + extra.length))]!.prefix}${[...pages.map((p) => p.url), ...extra][i % (pages.length + extra.length)]}`]));
      const errors = vnu(files);
      expect(errors.map((e) => `${names.get(path.basename(e.url.replace(/^file:/, '')))}:${e.lastLine}: ${e.message}`)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
