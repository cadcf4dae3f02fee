/**
 * The management console in a real browser against the real platform with the demo city:
 * the editorial journey (write with image and attachment → return → fix → approve → published),
 * what a department editor cannot reach, the login steps (forced password change, TOTP
 * enrolment), axe-core on every screen visited, and the first screen's cold load time.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savePolicy } from '../../src/modules/accounts/policy.js';
import { totpNow } from '../../src/modules/accounts/totp.js';
import { enqueue } from '../../src/modules/jobs/index.js';
import { browserMissing, launch } from './browser.js';
import { type ConsoleApp, DEMO_PASSWORD, SCREENSHOTS, SCREENSHOTS_WANTED, apiGet, checkAxe, chooseOption, ensureConsoleBuilt, logout, shot, signIn, startConsoleApp, toast } from './consoleHarness.js';

/** What the bootstrapped administrators change their one-time password to. */
const OPS_PASSWORD = 'Qiyue-Ops-2026!x';


// ---------------------------------------------------------------------------------------------
// Browser helpers
// ---------------------------------------------------------------------------------------------

let t: ConsoleApp;
let browser: Browser;
async function newContext(opts: { timezoneId?: string } = {}): Promise<BrowserContext> {
  // bypassCSP lets axe be injected; the console itself runs under the app's CSP in the cold-load test.
  return browser.newContext({ baseURL: t.base, bypassCSP: true, locale: 'zh-CN', viewport: { width: 1366, height: 860 }, ...opts });
}

const login = signIn;

/** The bootstrapped administrators' passwords once changed (their first login changes them). */
const changedPasswords = new Map<string, string>();

/** Signs in a bootstrapped administrator (secadmin, auditor), changing the one-time password at the first login. */
async function loginBootstrapped(page: Page, username: string): Promise<void> {
  const changed = changedPasswords.get(username);
  if (changed) {
    await login(page, username, changed);
    return void (await page.getByRole('navigation', { name: '主菜单' }).waitFor());
  }
  const initial = t.accounts.find((a) => a.username === username)?.password;
  expect(initial, username).toBeTruthy();
  await login(page, username, initial!);
  await page.getByRole('heading', { name: /修改初始密码/ }).waitFor();
  await page.getByLabel('当前密码').fill(initial!);
  await page.getByLabel('新密码', { exact: true }).fill(OPS_PASSWORD);
  await page.getByLabel('确认新密码').fill(OPS_PASSWORD);
  await page.getByRole('button', { name: '修改密码' }).click();
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
  changedPasswords.set(username, OPS_PASSWORD);
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(browserMissing)('management console (browser)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startConsoleApp();
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('loads the first screen (login) from a cold cache with only its own code, under the platform CSP', async () => {
    // A new context: empty cache, no cookies. (How fast this is, is measured by `npm run bench -- console`.)
    const cold = await browser.newContext({ baseURL: t.base, locale: 'zh-CN' });
    const page = await cold.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The browser logs the expected 401 of "who am I?" before login as a failed resource; anything else is a fault.
    page.on('console', (m) => m.type() === 'error' && !/status of 401/.test(m.text()) && errors.push(m.text()));
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    const t0 = Date.now();
    await page.goto('/admin/');
    await page.getByLabel('用户名').waitFor();
    const ms = Date.now() - t0;
    // (Runs in the page; the test's own types have no DOM library.)
    const timing = await page.evaluate(() => {
      const perf = performance as any;
      const nav = perf.getEntriesByType('navigation')[0];
      const js: any[] = perf.getEntriesByType('resource').filter((r: any) => r.name.endsWith('.js'));
      return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), files: js.map((r: any) => new URL(r.name).pathname), jsBytes: js.reduce((s: number, r: any) => s + r.transferSize, 0) };
    });
    const kib = Math.round(timing.jsBytes / 1024);
    console.warn(`[console] cold first screen: ${ms} ms to the login form (DOMContentLoaded ${timing.domContentLoaded} ms, ${timing.files.length} JS files, ${kib} KiB transferred)`);
    expect(page.url()).toMatch(/\/admin\/login$/);
    expect(errors).toEqual([]);
    // "Who am I?" is asked once (the preload in index.html is what the app uses) ...
    expect(asked.filter((p) => p === '/api/v1/auth/me')).toHaveLength(1);
    // ... and decides before the router matches: the frame and the workbench are not fetched for a visitor without a session.
    expect(timing.files.filter((f: string) => /\/(Frame|Workbench)-[\w-]+\.js$/.test(f))).toEqual([]);
    expect(timing.files.length).toBeGreaterThan(0);
    expect(kib).toBeLessThan(400); // the first screen's budget (Brotli); 269 KiB in December 2026
    await cold.close();

    // Hashed assets are cached for good (and sent compressed); the page itself is revalidated every time.
    const context = await browser.newContext({ baseURL: t.base });
    const html = await context.request.get('/admin/');
    expect(html.headers()['cache-control']).toMatch(/no-cache/);
    const asset = (await html.text()).match(/\/admin\/assets\/[^"]+\.js/)![0];
    const res = await context.request.get(asset, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers()['cache-control']).toMatch(/max-age=31536000.*immutable|immutable.*max-age=31536000/);
    expect(res.headers()['content-encoding']).toBe('br');
    expect((await context.request.get('/admin/assets/no-such-chunk.js')).status()).toBe(404);
    await context.close();
  });

  it('an editor writes an article with an image and a PDF, a reviewer returns it, the editor fixes and resubmits, the reviewers approve and it is published', async () => {
    const title = `市教育局召开秋季学期安全工作会议 ${Date.now().toString(36)}`;
    const ctx = await newContext();
    const page = await ctx.newPage();

    // --- the login screen
    await page.goto('/admin/');
    await page.getByLabel('用户名').waitFor();
    await checkAxe(page, 'login');
    await shot(page, 'login');

    // A wrong password is said plainly, in Chinese.
    await login(page, 'jyj_editor', 'wrong-password-1A!');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).count()).toBe(1);

    // --- the editor's workbench
    await login(page, 'jyj_editor');
    await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /退回给我的稿件/ }).waitFor();
    const menu = page.getByRole('navigation', { name: '主菜单' });
    await expect.poll(() => menu.getByRole('menuitem').allInnerTexts()).toEqual(['工作台', '稿件管理', '问答知识库', '群众提问']);
    await page.getByRole('link', { name: '关于做好2026年秋季学期中小学开学工作的通知' }).waitFor();
    await checkAxe(page, 'workbench');

    // --- the article list, then a new article in 工作动态
    await menu.getByRole('link', { name: '稿件管理' }).click();
    await page.getByRole('heading', { name: /^稿件管理/ }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await checkAxe(page, 'article list');
    await page.getByRole('button', { name: '新建稿件' }).click();
    await page.getByRole('heading', { name: /^新建稿件/ }).waitFor();
    await page.getByLabel('标题', { exact: true }).fill(title);
    await page.getByLabel('摘要').fill('部署秋季学期校园安全工作。');
    await page.getByLabel('栏目').click();
    await page.locator('.ant-select-tree-title', { hasText: /^工作动态$/ }).click();
    await page.getByText('本栏目需 1 级审核').waitFor();
    const body = page.locator('[contenteditable="true"][aria-label="正文"]');
    await body.click();
    await page.keyboard.type('9月1日，市教育局召开秋季学期校园安全工作会议。');
    await page.keyboard.press('Enter');

    // An image: the alt text is required before it can be inserted.
    await page.getByRole('button', { name: '插入图片' }).click();
    const dialog = page.getByRole('dialog', { name: '插入图片' });
    const png = await sharp({ create: { width: 64, height: 40, channels: 3, background: '#1456c8' } }).png().toBuffer();
    await dialog.locator('input[type=file]').setInputFiles({ name: 'huiyi.png', mimeType: 'image/png', buffer: png });
    await dialog.getByRole('button', { name: '上传并插入' }).click();
    await dialog.getByText('请填写替代文本').waitFor();
    await dialog.getByLabel('替代文本（alt）').fill('安全工作会议现场');
    await dialog.getByRole('button', { name: '上传并插入' }).click();
    await body.locator('img[alt="安全工作会议现场"]').waitFor();

    // A PDF attachment.
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
    await page.locator('input[type=file][accept*=".pdf"]').setInputFiles({ name: '会议材料.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.getByRole('link', { name: '会议材料.pdf' }).waitFor();

    // Typing is copied to this browser within seconds.
    await page.getByText(/已自动暂存到本机/).waitFor({ timeout: 8000 });
    await checkAxe(page, 'article editor');
    await shot(page, 'article-editor');

    await page.getByRole('button', { name: '送审' }).click();
    await toast(page, '已送审').waitFor();
    await page.waitForURL(/\/admin\/articles\/\d+$/);
    const articleId = Number(page.url().split('/').pop());
    const submitted = await apiGet<{ status: string; body: string; attachments: { name: string }[]; columnId: number }>(page, `/api/v1/articles/${articleId}`);
    expect(submitted.status).toBe('submitted');
    expect(submitted.body).toMatch(/<img src="\/media\/\d+" alt="安全工作会议现场"/);
    expect(submitted.attachments.map((a) => a.name)).toEqual(['会议材料.pdf']);
    const column = await apiGet<{ reviewLevels: number; name: string }>(page, `/api/v1/columns/${submitted.columnId}`);
    expect(column.name).toBe('工作动态');
    await page.getByText('稿件正在第 1 级审核中，不能修改。').waitFor();
    await logout(page);

    // --- the reviewer returns it with a comment
    await login(page, 'jyj_reviewer');
    await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
    await page.getByRole('link', { name: title }).waitFor();
    await shot(page, 'workbench');
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: `审核：${title}` }).waitFor();
    await page.getByText('这是首次送审的稿件').waitFor();
    await page.getByRole('button', { name: '退回' }).click();
    await page.getByText('退回时必须填写审核意见').waitFor();
    await page.getByLabel('审核意见').fill('请补充会议的主要部署和参会范围。');
    await checkAxe(page, 'review item');
    await page.getByRole('button', { name: '退回' }).click();
    await toast(page, '已退回给编辑').waitFor();
    await page.getByRole('heading', { name: '审核', level: 1 }).waitFor();
    await logout(page);

    // --- the editor finds it in the workbench, fixes it and resubmits
    await login(page, 'jyj_editor');
    await page.getByRole('link', { name: title }).click();
    await page.getByText('审核意见：请补充会议的主要部署和参会范围。').waitFor();
    await body.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('会议要求各校全面排查校舍、食堂和校车安全隐患，全市中小学校长参加会议。');
    await page.getByRole('button', { name: '重新送审' }).click();
    await toast(page, '已送审').waitFor();
    await logout(page);

    // --- each review level approves; the diff shows what changed since the return
    const reviewers = ['jyj_reviewer', 'jyj_reviewer2', 'jyj_reviewer3'].slice(0, Math.max(1, column.reviewLevels));
    for (const [i, reviewer] of reviewers.entries()) {
      await login(page, reviewer);
      await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '审核' }).click();
      await page.getByRole('heading', { name: '审核', level: 1 }).waitFor();
      if (i === 0) {
        await checkAxe(page, 'review queue');
        await shot(page, 'review-queue');
      }
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('tab', { name: /与第 \d+ 版的差异/ }).waitFor();
      await page.locator('ins.diff-ins', { hasText: '全面排查校舍' }).waitFor();
      if (i === 0) {
        await checkAxe(page, 'review item with diff');
        await shot(page, 'review');
      }
      await page.getByRole('button', { name: '通过' }).click();
      await toast(page, '已审核通过').waitFor();
      await logout(page);
    }

    // --- published: the API gives its public address, and the publisher's page there shows the title
    await t.drainJobs();
    await login(page, 'jyj_editor');
    await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
    const published = await apiGet<{ status: string; isLive: boolean; url: string | null }>(page, `/api/v1/articles/${articleId}`);
    expect(published.status).toBe('published');
    expect(published.isLive).toBe(true);
    expect(published.url).toMatch(/^\/jyj\/gzdt\/\d{6}\/t\d{8}_\d+\.html$/);
    const file = path.join(t.env.dataDir, 'public', published.url!);
    expect(fs.readFileSync(file, 'utf8')).toContain(title);

    // The history shows the versions and their diff.
    await page.goto(`/admin/articles/${articleId}/history`);
    await page.getByRole('heading', { name: `版本历史：${title}` }).waitFor();
    await page.locator('ins.diff-ins').first().waitFor();
    await checkAxe(page, 'version history');
    await ctx.close();
  }, 180_000);

  it('typing survives a reload, and saving over a newer version shows the conflict instead of overwriting it', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await login(page, 'jyj_editor');
    await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
    await page.goto('/admin/articles/new');
    await page.getByLabel('标题', { exact: true }).fill('未保存的标题：断电也不丢');
    const body = page.locator('[contenteditable="true"][aria-label="正文"]');
    await body.click();
    await page.keyboard.type('正在输入的正文。');
    await page.getByText(/已自动暂存到本机/).waitFor({ timeout: 8000 });
    await page.reload();
    await page.getByText(/自动保存在本机、尚未保存到服务器的内容/).waitFor();
    await page.getByRole('button', { name: '恢复草稿' }).click();
    await expect.poll(() => page.getByLabel('标题', { exact: true }).inputValue()).toBe('未保存的标题：断电也不丢');
    await body.getByText('正在输入的正文。').waitFor();

    // Someone else saves the returned notice while this editor has it open.
    const returned = await apiGet<{ items: { id: number; version: number }[] }>(page, '/api/v1/articles/returned');
    const notice = returned.items[0]!;
    await page.goto(`/admin/articles/${notice.id}`);
    await page.getByRole('heading', { name: /^编辑稿件/ }).waitFor();
    const csrf = (await apiGet<{ csrfToken: string }>(page, '/api/v1/auth/me')).csrfToken;
    const other = await page.request.patch(`/api/v1/articles/${notice.id}`, { data: { baseVersion: notice.version, subtitle: '他人修改的副标题' }, headers: { 'x-csrf-token': csrf } });
    expect(other.status()).toBe(200);
    await page.getByLabel('副标题').fill('我的副标题');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('保存冲突：本次修改没有保存').waitFor();
    await page.getByText(/稿件已被他人修改/).waitFor();
    await checkAxe(page, 'save conflict');
    // Nothing was overwritten; loading the latest keeps the editor's own text on offer.
    expect((await apiGet<{ subtitle: string }>(page, `/api/v1/articles/${notice.id}`)).subtitle).toBe('他人修改的副标题');
    await page.getByRole('button', { name: '载入最新版本' }).click();
    await expect.poll(() => page.getByLabel('副标题').inputValue()).toBe('他人修改的副标题');
    await page.getByRole('button', { name: '恢复草稿' }).waitFor();
    await ctx.close();
  }, 90_000);

  it('a reviewer approves several articles at once from the queue', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await login(page, 'jyj_reviewer');
    await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
    await page.goto('/admin/review');
    const rows = page.locator('.ant-table-row');
    await rows.first().waitFor();
    const n = await rows.count();
    expect(n).toBeGreaterThanOrEqual(2);
    const titles = await rows.locator('td:nth-child(2) a').allInnerTexts();
    await page.getByRole('checkbox', { name: `选择：${titles[0]}` }).check();
    await page.getByRole('checkbox', { name: `选择：${titles[1]}` }).check();
    await page.getByRole('button', { name: /批量通过（2）/ }).click();
    const confirm = page.getByRole('dialog', { name: /批量通过 2 篇稿件/ });
    await confirm.getByRole('button', { name: '全部通过' }).click();
    await confirm.waitFor({ state: 'detached' });
    // Polled, so a failure says what was shown instead (e.g. one of the two refused, and why).
    const shown = async () => [...(await page.locator('.ant-message-notice').allInnerTexts()), ...(await page.locator('.ant-alert').allInnerTexts())];
    await expect.poll(shown).toContain('已通过 2 篇');
    await expect.poll(() => rows.count()).toBe(n - 2);
    await ctx.close();
  }, 60_000);

  it('a department editor sees neither the portal nor its columns and articles, by menu or by address', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const wwwArticle = await t.env.store.db
      .selectFrom('articles')
      .innerJoin('sites', 'sites.id', 'articles.site_id')
      .select('articles.id')
      .where('sites.code', '=', 'www')
      .limit(1)
      .executeTakeFirstOrThrow();
    await login(page, 'jyj_editor');
    await page.getByRole('heading', { name: '工作台', level: 1 }).waitFor();
    // The site switcher offers only the education bureau's site.
    await page.getByLabel('当前站点').click();
    await expect.poll(() => page.locator('.ant-select-item-option').allInnerTexts()).toEqual(['示范市教育局网站']);
    await page.keyboard.press('Escape');
    // The menu has no screen for other sites or administration.
    const items = await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem').allInnerTexts();
    expect(items).toEqual(['工作台', '稿件管理', '问答知识库', '群众提问']);
    // The columns offered are the site's own.
    await page.goto('/admin/articles');
    await page.getByLabel('栏目').click();
    await page.locator('.ant-select-tree-title', { hasText: /^工作动态$/ }).waitFor();
    expect(await page.locator('.ant-select-tree-title', { hasText: /^政务动态$|^今日示范$/ }).count()).toBe(0);
    await page.keyboard.press('Escape');
    // A portal article by its address: refused, with the server's words and a way back.
    await page.goto(`/admin/articles/${wwwArticle.id}`);
    await page.getByRole('heading', { name: '没有权限' }).waitFor();
    await page.getByRole('button', { name: '返回首页' }).waitFor();
    await checkAxe(page, 'forbidden');
    // Screens of other roles by address: refused the same way; unknown addresses are a 404 inside the frame.
    await page.goto('/admin/review');
    await page.getByRole('heading', { name: '没有权限' }).waitFor();
    await page.goto('/admin/no-such-screen');
    await page.getByRole('heading', { name: '页面不存在' }).waitFor();
    await checkAxe(page, 'not found');
    // The API agrees.
    expect((await page.request.get(`/api/v1/articles/${wwwArticle.id}`)).status()).toBe(403);
    expect((await page.request.get('/api/v1/sites/1/columns')).status()).toBe(403);
    await ctx.close();
  }, 90_000);

  it('a signed-out visit to a deep address goes to login and comes back there afterwards', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto('/admin/articles?status=returned');
    await page.waitForURL(/\/admin\/login\?from=/);
    await page.getByLabel('用户名').fill('jyj_editor');
    await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(/\/admin\/articles\?status=returned$/);
    await page.getByRole('heading', { name: /^稿件管理/ }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    // The session ends elsewhere: the next request brings back the login screen.
    await page.request.post('/api/v1/auth/logout', { headers: { 'x-csrf-token': (await apiGet<{ csrfToken: string }>(page, '/api/v1/auth/me')).csrfToken } });
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '工作台' }).click();
    await page.waitForURL(/\/admin\/login/);
    await ctx.close();
  }, 60_000);

  it("every administrator's screens open inside the frame without errors and pass axe", async () => {
    const screens: [string, string | null, [string, string][]][] = [
      ['www_admin', DEMO_PASSWORD, [['/admin/columns', '栏目管理'], ['/admin/site-settings', '站点设置'], ['/admin/templates', '模板管理']]],
      ['sysadmin', DEMO_PASSWORD, [['/admin/cluster/sites', '站点'], ['/admin/jobs', '后台任务']]],
      ['secadmin', null, [['/admin/users', '用户与授权'], ['/admin/security-policy', '安全策略'], ['/admin/column-grants', '栏目授权']]],
      ['auditor', null, [['/admin/audit', '审计日志']]],
    ];
    for (const [username, demoPassword, pages] of screens) {
      const ctx = await newContext();
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      if (demoPassword) await login(page, username, demoPassword);
      // The bootstrapped administrators change their one-time password first.
      else await loginBootstrapped(page, username);
      await page.getByRole('navigation', { name: '主菜单' }).waitFor();
      for (const [url, heading] of pages) {
        await page.goto(url);
        await page.getByRole('heading', { name: new RegExp(`^${heading}`), level: 1 }).waitFor();
        await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
        await checkAxe(page, `${username} ${heading}`);
        if (url === '/admin/templates' && SCREENSHOTS_WANTED) await page.screenshot({ path: path.join(SCREENSHOTS, 'templates.png') });
      }
      expect(errors, username).toEqual([]);
      await ctx.close();
    }
  }, 120_000);

  it('a site administrator edits a template with live preview, saves it, sees it published, rolls it back; a syntax error is refused', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const www = await t.env.store.db.selectFrom('sites').select(['id', 'name']).where('code', '=', 'www').executeTakeFirstOrThrow();
    const homeFile = path.join(t.env.dataDir, 'public/index.html');
    await login(page, 'www_admin');
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();
    await page.goto('/admin/templates');
    await page.getByRole('heading', { name: /^模板管理/, level: 1 }).waitFor();
    await page.locator('.template-item', { has: page.locator('.mono', { hasText: /^home$/ }) }).click();
    const editor = page.locator('.cm-content[aria-label="模板 home 的源代码"]');
    await editor.waitFor();
    const preview = page.frameLocator('iframe[title="模板 home 的预览"]');
    // The preview is the portal's home page with its real content: the first picture news item.
    const headline = (await preview.locator('.headline-title').first().innerText()).trim();
    expect(headline.length).toBeGreaterThan(4);
    await expect.poll(() => preview.locator('.site-name').first().innerText()).toBe(www.name);

    // --- type a notice into the template; the preview follows before anything is saved
    const noticeV1 = '本站模板已更新：';
    await page.locator('.cm-line').filter({ hasText: /^\{% block main %\}$/ }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(`<p class="e2e-notice">${noticeV1}{{ home.headlines.first.title }}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => preview.locator('.e2e-notice').innerText().catch(() => ''), { timeout: 10_000 }).toBe(`${noticeV1}${headline}`);
    await page.getByText('有未保存的修改').waitFor();
    await checkAxe(page, 'template edited with live preview');
    await page.getByRole('button', { name: '保存' }).click();
    await toast(page, '模板已保存（第 1 版）').waitFor();
    const saved = await apiGet<{ version: number; overridden: boolean; source: string }>(page, `/api/v1/sites/${www.id}/templates/home`);
    expect(saved).toMatchObject({ version: 1, overridden: true });
    expect(saved.source).toContain(`<p class="e2e-notice">${noticeV1}{{ home.headlines.first.title }}</p>`);

    // --- a second edit: the notice line is replaced, saved, and published once the jobs run
    const noticeV2 = '温馨提示：本周六8:00至12:00系统维护';
    await page.locator('.cm-line').filter({ hasText: noticeV1 }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type(`<p class="e2e-notice">${noticeV2}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => preview.locator('.e2e-notice').innerText().catch(() => ''), { timeout: 10_000 }).toBe(noticeV2);
    await page.getByRole('button', { name: '保存' }).click();
    await toast(page, '模板已保存（第 2 版）').waitFor();
    await t.drainJobs();
    expect(fs.readFileSync(homeFile, 'utf8')).toContain(noticeV2);

    // --- history: roll back to version 1; the second edit is gone from the preview and the public page
    await page.getByRole('button', { name: '历史版本' }).click();
    const drawer = page.getByRole('dialog', { name: '历史版本 · home' });
    await drawer.getByText('第 2 版', { exact: true }).waitFor();
    await drawer.getByText('当前版本').waitFor();
    await checkAxe(page, 'template history');
    await drawer.getByRole('button', { name: '回滚到此版本' }).click();
    await page.getByRole('button', { name: '回滚', exact: true }).click();
    await toast(page, '已回滚到第 1 版').waitFor();
    // Closed with its X (the popconfirm that just closed may have taken the focus Escape needs).
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => preview.locator('.e2e-notice').innerText().catch(() => ''), { timeout: 10_000 }).toBe(`${noticeV1}${headline}`);
    expect((await apiGet<{ version: number }>(page, `/api/v1/sites/${www.id}/templates/home`)).version).toBe(1);
    await t.drainJobs();
    const published = fs.readFileSync(homeFile, 'utf8');
    expect(published).not.toContain(noticeV2);
    expect(published).toContain(`${noticeV1}${headline}`);

    // --- a syntax error: marked in the editor, said in Chinese, and not saved
    const before = await apiGet<{ version: number; source: string }>(page, `/api/v1/sites/${www.id}/templates/home`);
    const versionsBefore = (await apiGet<{ total: number }>(page, `/api/v1/sites/${www.id}/templates/home/versions`)).total;
    await page.locator('.cm-line').filter({ hasText: noticeV1 }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('{% endif %}');
    await page.keyboard.press('Escape');
    const status = page.locator('.template-status');
    await status.getByText(/^第 4 行第 1 列：多余的 \{% endif %\}/).waitFor({ timeout: 10_000 });
    await page.locator('.cm-error-line').waitFor();
    await checkAxe(page, 'template with a syntax error');
    await page.getByRole('button', { name: '保存' }).click();
    const refused = toast(page, /模板第 4 行第 1 列有误/);
    await refused.waitFor();
    const refusal = await refused.innerText();
    expect(refusal).toMatch(/多余的 \{% endif %\}/);
    // No English left over from the template engine.
    expect(refusal.replace(/\{%[^%]*%\}/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    expect(await apiGet<{ version: number; source: string }>(page, `/api/v1/sites/${www.id}/templates/home`)).toMatchObject({ version: before.version, source: before.source });
    expect((await apiGet<{ total: number }>(page, `/api/v1/sites/${www.id}/templates/home/versions`)).total).toBe(versionsBefore);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('a site administrator drags columns in the tree to a new position and a new parent, and the order survives a reload', async () => {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const www = await t.env.store.db.selectFrom('sites').select('id').where('code', '=', 'www').executeTakeFirstOrThrow();
    type Col = { id: number; name: string; parentId: number | null; children?: Col[] };
    const tree = async () => (await apiGet<{ items: Col[] }>(page, `/api/v1/sites/${www.id}/columns`)).items;
    const childNames = (cols: Col[], parent: string) => (cols.find((c) => c.name === parent)?.children ?? []).map((c) => c.name);
    await login(page, 'www_admin');
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();
    const start = await tree();
    expect(childNames(start, '网上办事')).toEqual(['办事指南', '便民服务']);
    expect(childNames(start, '互动交流')).toContain('在线访谈');

    await page.goto('/admin/columns');
    await page.getByRole('heading', { name: /^栏目管理/, level: 1 }).waitFor();
    const treeBox = page.getByRole('tree', { name: '栏目结构' });
    const node = (name: string) => treeBox.locator('.ant-tree-treenode').filter({ has: page.locator('.column-node > span:first-child', { hasText: new RegExp(`^${name}$`) }) });
    await node('便民服务').waitFor();
    /** Drags one node onto the lower half of another with the mouse (antd: after a leaf, inside an expanded parent). */
    const drag = async (from: string, onto: string) => {
      const a = (await node(from).locator('.ant-tree-node-content-wrapper').boundingBox())!;
      const b = (await node(onto).locator('.ant-tree-node-content-wrapper').boundingBox())!;
      const x = a.x + 24;
      await page.mouse.move(x, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(x, a.y + a.height / 2 + 6, { steps: 2 });
      await page.mouse.move(Math.max(x, b.x + 24), b.y + b.height * 0.75, { steps: 8 });
      await page.mouse.up();
    };

    // --- a new position: 办事指南 after 便民服务
    await drag('办事指南', '便民服务');
    await toast(page, '已调整“办事指南”的顺序').waitFor();
    await expect.poll(async () => childNames(await tree(), '网上办事')).toEqual(['便民服务', '办事指南']);

    // --- a new parent: 在线访谈 into 政务公开 (dropped on an open parent: its first child)
    await drag('在线访谈', '政务公开');
    await toast(page, /已将“在线访谈”移到“政务公开”下/).waitFor();
    const moved = await tree();
    const zwgk = moved.find((c) => c.name === '政务公开')!;
    expect(zwgk.children![0]).toMatchObject({ name: '在线访谈', parentId: zwgk.id });
    expect(childNames(moved, '互动交流')).not.toContain('在线访谈');
    // The moved column's settings: its address follows the new parent.
    await page.mouse.move(0, 0);
    await node('在线访谈').locator('.ant-tree-node-content-wrapper').click();
    await page.getByRole('heading', { name: '在线访谈', level: 2 }).waitFor();
    await page.getByText(/^地址：\S*\/zwgk\/zxft\/$/).waitFor();
    await checkAxe(page, 'columns after dragging');
    await shot(page, 'columns');

    // --- after a reload the tree shows the same order
    await page.reload();
    await node('在线访谈').waitFor();
    const titles = await treeBox.locator('.column-node > span:first-child').allInnerTexts();
    expect(titles.indexOf('在线访谈')).toBe(titles.indexOf('政务公开') + 1);
    expect(titles.indexOf('办事指南')).toBe(titles.indexOf('便民服务') + 1);
    expect(childNames(await tree(), '网上办事')).toEqual(['便民服务', '办事指南']);
    await ctx.close();
  }, 90_000);

  it('a system administrator starts a full rebuild and watches its live progress; a failed job is retried', async () => {
    // An integration job (the 12345 hotline's sync) whose endpoint is down on the first attempt.
    const HOTLINE_JOB = 'integration.hotline_sync';
    let calls = 0;
    let reconnected!: () => void;
    const endpointBack = new Promise<void>((resolve) => (reconnected = resolve));
    t.jiyue.jobs.handle(HOTLINE_JOB, async () => {
      calls++;
      if (calls === 1) throw new Error('12345 热线接口连接超时（ETIMEDOUT 10.20.8.12:443）');
      await endpointBack;
    });
    const db = t.env.store.db;
    await enqueue(db, HOTLINE_JOB, { since: new Date().toISOString() }, new Date(), { maxAttempts: 1 });
    await t.drainJobs();
    const failed = await db.selectFrom('jobs').select(['id', 'status', 'last_error']).where('type', '=', HOTLINE_JOB).executeTakeFirstOrThrow();
    expect(failed.status).toBe('failed');

    const ctx = await newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await login(page, 'sysadmin');
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();
    await page.goto('/admin/jobs');
    await page.getByRole('heading', { name: '后台任务', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: '实时更新中' }).waitFor();
    const row = (id: number) => page.locator(`.ant-table-row[data-row-key="${id}"]`);
    // Every progress text the screen shows, as it shows it.
    await page.evaluate(() => {
      const g = globalThis as any;
      g.__progress = [] as string[];
      const look = () => {
        for (const el of g.document.querySelectorAll('.job-progress')) {
          const text = String(el.textContent ?? '');
          if (!g.__progress.includes(text)) g.__progress.push(text);
        }
      };
      new g.MutationObserver(look).observe(g.document.body, { subtree: true, childList: true, characterData: true });
    });

    // --- the rebuild: queued from the screen, run by the worker, its progress live on the screen
    await page.getByRole('button', { name: '全站重新生成' }).click();
    await page.getByRole('button', { name: '开始生成' }).click();
    const queued = toast(page, /已安排全站重新生成（任务 \d+）/);
    await queued.waitFor();
    const jobId = Number(/任务 (\d+)/.exec(await queued.innerText())![1]);
    await row(jobId).getByText('等待', { exact: true }).waitFor();
    await queued.waitFor({ state: 'detached' });
    const drained = t.drainJobs();
    const running = page.locator('.ant-card', { has: page.getByRole('heading', { name: '正在运行' }) });
    await running.getByText(`全站重新生成（任务 ${jobId}）`).waitFor();
    await running.locator('.job-progress').getByText(/^\d+ \/ \d+/).waitFor();
    await shot(page, 'jobs');
    await checkAxe(page, 'jobs with a rebuild in progress');
    await drained;
    await row(jobId).getByText('完成', { exact: true }).waitFor();
    const finalText = await row(jobId).innerText();
    const seen = ((await page.evaluate('globalThis.__progress')) as string[]).map((x) => /(\d+) \/ (\d+)/.exec(x)).filter((m) => m !== null).map((m) => [Number(m[1]), Number(m[2])] as const);
    console.warn(`[console] rebuild progress seen on the screen: ${seen.map(([d, n]) => `${d}/${n}`).join(', ')}`);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const total = seen[0]![1];
    expect(seen.every(([, n]) => n === total)).toBe(true);
    expect(seen.map(([d]) => d)).toEqual([...seen.map(([d]) => d)].sort((a, b) => a - b));
    // It visibly advanced: two different values, or it was seen running and then reached the end.
    expect(new Set(seen.map(([d]) => d)).size >= 2 || new RegExp(`${total} 项 · 完成于`).test(finalText)).toBe(true);
    expect(finalText).toMatch(new RegExp(`${total} 项 · 完成于`));

    // --- the failed job: found by its status, retried from the screen, done once the worker runs it
    const statusFilter = async (label: string) => {
      await chooseOption(page, page.getByLabel('任务状态'), label);
      await page.waitForURL(/status=/);
    };
    await statusFilter('失败');
    await row(failed.id).getByText('失败', { exact: true }).waitFor();
    await row(failed.id).getByText(/^12345 热线接口连接超时/).waitFor();
    await expect.poll(() => page.locator('.ant-table-row').locator('td:nth-child(3)').allInnerTexts()).toEqual(expect.arrayContaining(['失败']));
    expect(new Set(await page.locator('.ant-table-row').locator('td:nth-child(3)').allInnerTexts())).toEqual(new Set(['失败']));
    await checkAxe(page, 'jobs: failed ones');
    await row(failed.id).getByRole('button', { name: `重试任务 ${failed.id}` }).click();
    await toast(page, `任务 ${failed.id} 已重新排队`).waitFor();
    await row(failed.id).waitFor({ state: 'detached' });
    expect(await db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('id', '=', failed.id).executeTakeFirstOrThrow()).toEqual({ status: 'pending', attempts: 0, last_error: null });
    await statusFilter('等待');
    await row(failed.id).getByText('等待', { exact: true }).waitFor();
    // The worker takes it (the screen shows it running, live), the endpoint answers, it is done.
    const rerun = t.drainJobs();
    await running.getByText(`${HOTLINE_JOB}（任务 ${failed.id}）`).waitFor();
    reconnected();
    await rerun;
    await running.getByText(`${HOTLINE_JOB}（任务 ${failed.id}）`).waitFor({ state: 'detached' });
    expect((await db.selectFrom('jobs').select('status').where('id', '=', failed.id).executeTakeFirstOrThrow()).status).toBe('done');
    expect(calls).toBe(2);
    expect(errors).toEqual([]);
    await ctx.close();
  }, 120_000);

  it('an auditor searches the audit log and exports what the screen lists to Excel', async () => {
    // Beijing time, as the export writes it.
    const ctx = await newContext({ timezoneId: 'Asia/Shanghai' });
    const page = await ctx.newPage();
    await loginBootstrapped(page, 'auditor');
    await page.goto('/admin/audit');
    await page.getByRole('heading', { name: '审计日志', level: 1 }).waitFor();
    await page.getByRole('searchbox', { name: '按操作人筛选' }).fill('www_admin');
    await page.getByRole('searchbox', { name: '按操作人筛选' }).press('Enter');
    await page.waitForURL(/actor=www_admin/);
    const rows = page.locator('.ant-table-row');
    await expect.poll(async () => {
      const actors = await rows.locator('td:nth-child(2)').allInnerTexts();
      return actors.length > 0 && actors.every((a) => a === 'www_admin');
    }).toBe(true);
    const total = Number(/共 (\d+) 条/.exec(await page.locator('.ant-pagination-total-text').innerText())![1]);
    const listed = (await rows.evaluateAll((trs) => trs.map((tr) => [...(tr as any).querySelectorAll('td')].map((td: any) => String(td.innerText).trim())))) as string[][];
    expect(listed.length).toBe(Math.min(total, 50));
    // The template journey's saves and roll-back are among them.
    expect(listed.map((r) => r[2])).toContain('template.save');
    await checkAxe(page, 'audit log searched');
    await shot(page, 'audit');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^审计日志-\d{8}-\d{4}\.xlsx$/);
    await toast(page, /已导出 审计日志-/).waitFor();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const sheet = wb.worksheets[0]!;
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    expect(values(1)).toEqual(['序号', '时间（北京时间）', '操作人', '操作人编号', '操作', '对象类型', '对象编号', '站点编号', 'IP 地址', '修改前', '修改后', '哈希']);
    expect(sheet.actualRowCount - 1).toBe(total);
    for (const [i, [time, actor, action, target, site]] of listed.entries()) {
      const x = values(i + 2);
      expect(x[1]!.slice(0, 16), `row ${i + 1} time`).toBe(time);
      expect([x[2], x[4]], `row ${i + 1}`).toEqual([actor, action]);
      expect(`${x[5]}${x[6] ? ` #${x[6]}` : ''}`, `row ${i + 1} target`).toBe(target);
      expect(x[7] || '—', `row ${i + 1} site`).toBe(site);
    }
    await ctx.close();
  }, 90_000);

  it('an editor previews an article in the real theme from the editor', async () => {
    const db = t.env.store.db;
    const article = await db
      .selectFrom('articles')
      .innerJoin('sites', 'sites.id', 'articles.site_id')
      .select(['articles.id', 'articles.title', 'articles.body', 'sites.name as siteName'])
      .where('sites.code', '=', 'jyj')
      .where('articles.status', '=', 'published')
      .orderBy('articles.id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const text = article.body.replace(/<[^>]+>/g, '\n');
    const sentence = /[^\n。]{8,}。/.exec(text)?.[0];
    expect(sentence, 'a sentence of the body').toBeTruthy();
    const ctx = await newContext();
    const page = await ctx.newPage();
    await login(page, 'jyj_editor');
    await page.getByRole('navigation', { name: '主菜单' }).waitFor();
    await page.goto(`/admin/articles/${article.id}`);
    await page.getByRole('heading', { name: /^编辑稿件/ }).waitFor();
    await page.getByRole('button', { name: '预览' }).click();
    const drawer = page.getByRole('dialog', { name: /^预览 · 第 \d+ 版/ });
    await drawer.waitFor();
    const frame = page.frameLocator('iframe[title^="稿件预览"]');
    await expect.poll(() => frame.locator('h1').first().innerText().catch(() => '')).toBe(article.title);
    await frame.getByText(sentence!, { exact: false }).first().waitFor();
    // The site's identity around it: its name in the header, the sponsor in the footer.
    expect((await frame.locator('.site-header .site-name').innerText()).trim()).toBe(article.siteName);
    expect(await frame.locator('.site-footer').innerText()).toMatch(/主办单位：\S+/);
    await checkAxe(page, 'article preview drawer');
    await shot(page, 'preview');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
    await ctx.close();
  }, 60_000);

  it('a bootstrapped administrator changes the initial password first; a role that requires it enrols a TOTP second factor', async () => {
    const admin = t.accounts.find((a) => a.username === 'admin');
    expect(admin?.password).toBeTruthy();
    const ctx = await newContext();
    const page = await ctx.newPage();
    await login(page, 'admin', admin!.password!);
    await page.getByRole('heading', { name: /修改初始密码/ }).waitFor();
    await page.getByText('至少 10 个字符').waitFor();
    await checkAxe(page, 'forced password change');
    await shot(page, 'password-change');
    await page.getByLabel('当前密码').fill(admin!.password!);
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('确认新密码').fill('short');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText(/密码至少 10 个字符/).first().waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('Qiyue-Sys-2026!x');
    await page.getByLabel('确认新密码').fill('Qiyue-Sys-2026!x');
    await page.getByRole('button', { name: '修改密码' }).click();
    // The system administrator's console: the cluster and jobs, no editorial screens.
    await page.getByRole('heading', { name: '单位', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem').allInnerTexts()).toEqual(['站点群', '单位', '站点', '后台任务']);
    await checkAxe(page, 'organisations');
    await logout(page);

    // The policy now requires a second factor for administrators: the next login enrols one.
    await savePolicy(t.env.store.db, { sessionIdleMinutes: 30, sessionMaxHours: 12, lockoutThreshold: 5, lockoutMinutes: 15, mfaRequiredRoles: ['sysadmin'] }, new Date());
    await login(page, 'admin', 'Qiyue-Sys-2026!x');
    await page.getByRole('heading', { name: /绑定动态口令/ }).waitFor();
    await page.getByRole('img', { name: '动态口令绑定二维码' }).waitFor();
    const secret = (await page.locator('.totp-setup code').first().innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await checkAxe(page, 'totp enrolment');
    await page.getByRole('textbox', { name: '动态口令' }).fill(totpNow(secret, new Date()));
    await page.getByRole('button', { name: '完成绑定' }).click();
    await page.getByRole('heading', { name: '单位', level: 1 }).waitFor();
    await logout(page);

    // And from then on asks for the code.
    await login(page, 'admin', 'Qiyue-Sys-2026!x');
    await page.getByRole('heading', { name: /动态口令验证/ }).waitFor();
    await page.getByRole('textbox', { name: '动态口令' }).fill(totpNow(secret, new Date()));
    await page.getByRole('button', { name: '验证' }).click();
    await page.getByRole('heading', { name: '单位', level: 1 }).waitFor();
    await ctx.close();
  }, 90_000);
});
