/**
 * The console's 互动交流 screens in a real browser against the real platform with the demo city:
 * an FAQ entry's journey (write with variants → return → fix → every review level approves →
 * its public page and the smart Q&A answer with it → a publisher takes it offline), a save over
 * a newer version shown as a conflict, the citizens' question queue (a question
 * nobody could answer reaches it; staff turn it into an entry, mark another handled, pass one
 * on), what a department's staff cannot see, and axe-core on every new screen.
 *
 * The platform under test comes from consoleHarness.ts, shared with console.test.ts.
 * Screenshots (docs/screenshots/faq-list.png, qa-queue.png) only with JIYUE_SCREENSHOTS=1.
 */
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launch } from './browser.js';
import { type ConsoleApp, DEMO_PASSWORD, apiGet, checkAxe, chooseOption, clickUntilSent, ensureConsoleBuilt, logout, shot, signIn, startConsoleApp, toast } from './consoleHarness.js';


// ---------------------------------------------------------------------------------------------
// Browser helpers
// ---------------------------------------------------------------------------------------------

let t: ConsoleApp;
let browser: Browser;
async function newContext(): Promise<BrowserContext> {
  return browser.newContext({ baseURL: t.base, bypassCSP: true, locale: 'zh-CN', viewport: { width: 1366, height: 860 } });
}

async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await signIn(page, username, password);
  await page.getByRole('navigation', { name: '主菜单' }).waitFor();
}

const menuItems = (page: Page) => page.getByRole('navigation', { name: '主菜单' }).getByRole('menuitem').allInnerTexts();

/** A citizen's question to the smart Q&A (no session). */
interface Asked {
  questionId: number;
  conversation: string;
  answer: { id: number; question: string } | null;
}
async function ask(request: APIRequestContext, question: string, site?: string): Promise<Asked> {
  const r = await request.post('/api/v1/public/qa', { data: { question, ...(site ? { site } : {}) } });
  expect(r.status(), question).toBe(200);
  return (await r.json()) as Asked;
}

const siteIdOf = async (code: string) => (await t.env.store.db.selectFrom('sites').select(['id', 'name']).where('code', '=', code).executeTakeFirstOrThrow()) as { id: number; name: string };

interface FaqDto {
  id: number;
  status: string;
  version: number;
  variants: string[];
  answer: string;
  url: string | null;
  isLive: boolean;
  reviewLevel: number;
  sourceQuestionId: number | null;
}
interface QuestionDto {
  id: number;
  question: string;
  status: string;
  siteId: number | null;
  handledEntryId: number | null;
  handledNote: string;
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(browserMissing)('console: FAQ knowledge base and citizens\u2019 questions (browser)', () => {
  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startConsoleApp();
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an editor writes an FAQ entry with two variants and submits; a reviewer returns it; the editor fixes and resubmits; every review level approves; its page and the smart Q&A answer with it until a publisher takes it offline', async () => {
    const question = '中小学研学旅行费用怎么退还？';
    const variants = ['研学旅行取消了钱能退吗', '研学活动退费怎么申请'];
    const ctx = await newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // --- the site administrator sets two review levels for the site's entries
    await login(page, 'jyj_admin');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '问答知识库' }).click();
    await page.getByRole('heading', { name: /^问答知识库/, level: 1 }).waitFor();
    await page.getByRole('button', { name: '审核设置' }).click();
    const settings = page.getByRole('dialog', { name: '问答条目审核设置' });
    await chooseOption(page, settings.getByLabel('审核级数'), '2 级审核');
    await settings.getByRole('button', { name: '保存' }).click();
    await toast(page, '已设置为 2 级审核').waitFor();
    await logout(page);

    // --- the editor: the menu, the list, a new entry
    await login(page, 'jyj_editor');
    await expect.poll(() => menuItems(page)).toEqual(['工作台', '稿件管理', '问答知识库', '群众提问']);
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '问答知识库' }).click();
    await page.getByRole('heading', { name: '问答知识库 · 示范市教育局网站', level: 1 }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    // The seeded draft is offered for deletion, published entries for editing only.
    await page.getByRole('button', { name: '删除：小学课后服务怎么收费？' }).waitFor();
    await checkAxe(page, 'faq list');
    await shot(page, 'faq-list');

    await page.getByRole('button', { name: '新建条目' }).click();
    await page.getByRole('heading', { name: /^新建问答条目/ }).waitFor();
    await page.getByLabel('主题').fill('教育入学');
    await page.getByLabel('标准问题').fill(question);
    await page.getByRole('button', { name: '添加同义问法' }).click();
    await page.getByLabel('同义问法 1', { exact: true }).fill(variants[0]!);
    await page.getByRole('button', { name: '添加同义问法' }).click();
    await page.getByLabel('同义问法 2', { exact: true }).fill(variants[1]!);
    const answer = page.locator('[contenteditable="true"][aria-label="答案"]');
    await answer.click();
    await page.keyboard.type('研学旅行因故取消的，学校应在 15 个工作日内按原渠道全额退还已收费用。');
    await page.getByLabel('关联事项名称').fill('中小学研学实践教育管理办法');
    await page.getByLabel('关联事项链接').fill('/jyj/zcwj/');
    await page.getByText(/已自动暂存到本机/).waitFor({ timeout: 8000 });
    await checkAxe(page, 'faq editor');
    await page.getByRole('button', { name: '送审' }).click();
    await toast(page, '已送审').waitFor();
    await page.waitForURL(/\/admin\/faq\/\d+$/);
    const id = Number(page.url().split('/').pop());
    const submitted = await apiGet<FaqDto>(page, `/api/v1/faq/${id}`);
    expect(submitted.status).toBe('submitted');
    expect(submitted.variants).toEqual(variants);
    await page.getByText('条目正在第 1 级审核中，不能修改。').waitFor();
    await logout(page);

    // --- the first-level reviewer finds it on the workbench and returns it with a comment
    await login(page, 'jyj_reviewer');
    await expect.poll(() => menuItems(page)).toEqual(['工作台', '审核', '问答知识库']);
    await page.getByRole('heading', { name: /问答条目待我审核/ }).waitFor();
    await page.getByRole('link', { name: question }).click();
    await page.getByRole('heading', { name: `审核：${question}` }).waitFor();
    await page.getByText(variants[1]!).waitFor();
    await page.getByRole('button', { name: '退回' }).click();
    await page.getByText('退回时必须填写审核意见').waitFor();
    await page.getByLabel('审核意见').fill('请写明退费的申请渠道和到账时间。');
    await checkAxe(page, 'faq review');
    await page.getByRole('button', { name: '退回' }).click();
    await toast(page, '已退回给编辑').waitFor();
    await page.getByRole('tab', { name: /待我审核/, selected: true }).waitFor();
    await logout(page);

    // --- the editor sees the comment, fixes the answer and resubmits
    await login(page, 'jyj_editor');
    await page.goto('/admin/faq?status=returned');
    await page.getByRole('link', { name: question, exact: true }).click();
    await page.getByText('审核意见：请写明退费的申请渠道和到账时间。').waitFor();
    await answer.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('家长可向学校提出退费申请，费用原路退回，一般 7 个工作日内到账。');
    await page.getByRole('button', { name: '重新送审' }).click();
    await toast(page, '已送审').waitFor();
    await logout(page);

    // --- level 1, then level 2 approves: public at once
    for (const [reviewer, done] of [
      ['jyj_reviewer', '已通过，转第 2 级审核'],
      ['jyj_reviewer2', '已审核通过并发布'],
    ] as const) {
      await login(page, reviewer);
      await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '问答知识库' }).click();
      await page.getByRole('tab', { name: /待我审核/ }).click();
      await page.getByRole('link', { name: `审核：${question}` }).click();
      await page.getByRole('heading', { name: `审核：${question}` }).waitFor();
      await page.getByText('一般 7 个工作日内到账').waitFor();
      await page.getByRole('button', { name: /通过/ }).click();
      await toast(page, done).waitFor();
      await logout(page);
    }
    await t.drainJobs();
    await login(page, 'jyj_editor');
    const published = await apiGet<FaqDto>(page, `/api/v1/faq/${id}`);
    expect(published.status).toBe('published');
    expect(published.url).toBe(`/hdjl/cjwt/jyj/${id}.html`);

    // The public page shows it, and the smart Q&A answers one variant's phrasing with it.
    const anon = await browser.newContext({ baseURL: t.base });
    const html = await anon.request.get(published.url!);
    expect(html.status()).toBe(200);
    const text = await html.text();
    expect(text).toContain(question.replace('？', ''));
    expect(text).toContain('一般 7 个工作日内到账');
    const a = await ask(anon.request, variants[0]!);
    expect(a.answer?.id).toBe(id);
    await logout(page);

    // --- a publisher (the reviewer; editors cannot) takes it offline from the list: its page is gone
    await login(page, 'jyj_reviewer');
    await page.goto('/admin/faq');
    await page.getByRole('button', { name: `撤下：${question}` }).click();
    const off = page.getByRole('dialog', { name: '撤下问答条目' });
    await off.getByLabel('撤下原因').fill('政策调整，更新后重新发布。');
    await clickUntilSent(page, off.getByRole('button', { name: '撤下' }), (r) => r.url().endsWith(`/api/v1/faq/${id}/withdraw`) && r.method() === 'POST', 'withdraw');
    await toast(page, '已撤下').waitFor();
    expect((await anon.request.get(published.url!)).status()).toBe(404);
    expect((await apiGet<FaqDto>(page, `/api/v1/faq/${id}`)).status).toBe('withdrawn');
    await anon.close();
    expect(errors).toEqual([]);
    await ctx.close();
  }, 240_000);

  it('saving over a newer version shows the conflict instead of overwriting it', async () => {
    const jyj = await siteIdOf('jyj');
    const draft = await t.env.store.db.selectFrom('faq_entries').select(['id', 'version']).where('site_id', '=', jyj.id).where('status', '=', 'draft').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const ctx = await newContext();
    const page = await ctx.newPage();
    await login(page, 'jyj_editor');
    await page.goto(`/admin/faq/${draft.id}`);
    await page.getByRole('heading', { name: /^编辑问答条目/ }).waitFor();
    // Someone else saves the entry while this editor has it open.
    const csrf = (await apiGet<{ csrfToken: string }>(page, '/api/v1/auth/me')).csrfToken;
    const other = await page.request.patch(`/api/v1/faq/${draft.id}`, { data: { baseVersion: draft.version, refTitle: '他人填写的关联事项' }, headers: { 'x-csrf-token': csrf } });
    expect(other.status()).toBe(200);
    await page.getByLabel('关联事项名称').fill('我填写的关联事项');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('保存冲突：本次修改没有保存').waitFor();
    await page.getByText(/条目已被他人修改/).waitFor();
    await checkAxe(page, 'faq save conflict');
    expect((await apiGet<{ refTitle: string }>(page, `/api/v1/faq/${draft.id}`)).refTitle).toBe('他人填写的关联事项');
    // Loading the latest keeps this editor's own text on offer.
    await page.getByRole('button', { name: '载入最新版本' }).click();
    await expect.poll(() => page.getByLabel('关联事项名称').inputValue()).toBe('他人填写的关联事项');
    await page.getByText(/这份草稿基于第 \d+ 版/).waitFor();
    await page.getByRole('button', { name: '恢复草稿' }).click();
    await expect.poll(() => page.getByLabel('关联事项名称').inputValue()).toBe('我填写的关联事项');
    // The restored text still starts from the old version: saving it on top is a deliberate choice.
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('保存冲突：本次修改没有保存').waitFor();
    await page.getByRole('button', { name: '仍以我的内容保存' }).click();
    await toast(page, /已保存（第 \d+ 版）/).waitFor();
    expect((await apiGet<{ refTitle: string }>(page, `/api/v1/faq/${draft.id}`)).refTitle).toBe('我填写的关联事项');
    await ctx.close();
  }, 90_000);

  it('a question nobody could answer reaches the queue; staff turn it into an entry there and it leaves the queue; another is marked handled, a third passed to another site', async () => {
    const anon = await browser.newContext({ baseURL: t.base });
    const unanswered = '学校游泳馆暑假对社会开放吗';
    const other = '教育局门口能停电动车吗';
    expect((await ask(anon.request, unanswered, 'jyj')).answer).toBeNull();
    // The other is answered with the wrong entry (电动自行车上牌), and the citizen says so.
    const wrong = await ask(anon.request, other, 'jyj');
    if (wrong.answer) {
      const verdict = await anon.request.post(`/api/v1/public/qa/${wrong.questionId}/feedback`, { data: { conversation: wrong.conversation, helpful: false } });
      expect(verdict.status()).toBe(200);
    }
    await anon.close();
    const ctx = await newContext();
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await login(page, 'jyj_editor');
    await page.getByRole('heading', { name: /群众提问待处理/ }).waitFor();
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '群众提问' }).click();
    await page.getByRole('heading', { name: '群众提问 · 示范市教育局网站', level: 1 }).waitFor();
    const row = (q: string) => page.locator('.ant-table-row', { hasText: q });
    await row(unanswered).waitFor();
    await row(unanswered).getByText('未能回答').waitFor();
    await row(other).getByText(/答案没帮助|未能回答/).waitFor();
    await checkAxe(page, 'qa queue');
    await shot(page, 'qa-queue');

    // 转为知识库条目: the editor opens with the question; saving takes it out of the queue.
    await page.getByRole('button', { name: `转为知识库条目：${unanswered}` }).click();
    await page.getByRole('heading', { name: /^新建问答条目/ }).waitFor();
    await page.getByText('根据群众提问新建条目').waitFor();
    await expect.poll(() => page.getByLabel('标准问题').inputValue()).toBe(unanswered);
    await page.getByLabel('标准问题').fill('学校体育场馆假期向社会开放吗？');
    await page.getByRole('button', { name: '添加同义问法' }).click();
    await page.getByLabel('同义问法 1', { exact: true }).fill(unanswered);
    await page.getByLabel('主题').fill('校园开放');
    await page.locator('[contenteditable="true"][aria-label="答案"]').click();
    await page.keyboard.type('具备条件的学校在寒暑假期间分时段向社会开放体育场馆，具体时间以各校公告为准。');
    await checkAxe(page, 'faq editor from a question');
    await page.getByRole('button', { name: '保存' }).click();
    await toast(page, '该提问已移出待处理列表').waitFor();
    await page.waitForURL(/\/admin\/faq\/\d+$/);
    const entryId = Number(page.url().split('/').pop());
    expect((await apiGet<FaqDto>(page, `/api/v1/faq/${entryId}`)).sourceQuestionId).toBeGreaterThan(0);

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '群众提问' }).click();
    await row(other).waitFor();
    // (The list shown from the cache a moment ago is refetched on opening.)
    await expect.poll(() => row(unanswered).count()).toBe(0);
    const handled = await apiGet<{ items: QuestionDto[] }>(page, '/api/v1/qa/questions?status=handled');
    expect(handled.items.find((q) => q.question === unanswered)?.handledEntryId).toBe(entryId);

    // 标记已处理, with the note the server requires.
    await page.getByRole('button', { name: `标记已处理：${other}` }).click();
    const dialog = page.getByRole('dialog', { name: '标记已处理' });
    await dialog.getByRole('button', { name: '标记已处理' }).click();
    await dialog.getByText('请填写处理说明').waitFor();
    await dialog.getByLabel('处理说明').fill('不属于本单位职责，已告知可咨询属地城管部门。');
    await checkAxe(page, 'qa queue: mark handled');
    await clickUntilSent(page, dialog.getByRole('button', { name: '标记已处理' }), (r) => /\/api\/v1\/qa\/questions\/\d+\/handle$/.test(r.url()) && r.method() === 'POST', 'mark handled');
    await toast(page, '已标记为已处理').waitFor();
    await expect.poll(() => row(other).count()).toBe(0);

    // 转交: a seeded question about eyesight goes to the health commission's queue.
    const eyes = '孩子近视学校有没有免费筛查';
    const wjw = await siteIdOf('wjw');
    await page.getByRole('button', { name: `转交其他站点：${eyes}` }).click();
    const pass = page.getByRole('dialog', { name: '转交其他站点' });
    await chooseOption(page, pass.getByLabel('转交给'), wjw.name, '卫生健康');
    await clickUntilSent(page, pass.getByRole('button', { name: '转交' }), (r) => /\/api\/v1\/qa\/questions\/\d+\/assign$/.test(r.url()) && r.method() === 'POST', 'pass on');
    await toast(page, `已转交${wjw.name}`).waitFor();
    await expect.poll(() => row(eyes).count()).toBe(0);
    const moved = await t.env.store.db.selectFrom('qa_questions').select(['site_id', 'status']).where('question', '=', eyes).executeTakeFirstOrThrow();
    expect(moved).toEqual({ site_id: wjw.id, status: 'open' });

    // The handled ones are listed with what was done.
    await chooseOption(page, page.getByLabel('处理状态'), '已处理');
    await row(other).getByText('不属于本单位职责').waitFor();
    await row(unanswered).getByRole('link', { name: '已转为知识库条目' }).waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  }, 180_000);

  it("a department's staff see neither another department's entries nor its citizens' questions, by menu or by address", async () => {
    const jyj = await siteIdOf('jyj');
    const jyjEntry = await t.env.store.db.selectFrom('faq_entries').select(['id', 'question']).where('site_id', '=', jyj.id).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const jyjQuestions = (await t.env.store.db.selectFrom('qa_questions').select('question').where('site_id', '=', jyj.id).execute()).map((r) => r.question);
    expect(jyjQuestions.length).toBeGreaterThan(0);
    const ctx = await newContext();
    const page = await ctx.newPage();

    await login(page, 'rsj_editor');
    await page.goto('/admin/faq');
    await page.getByRole('heading', { name: /^问答知识库 · 示范市人力资源和社会保障局/, level: 1 }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    const list = await apiGet<{ items: { siteId: number; question: string }[] }>(page, '/api/v1/faq?pageSize=100');
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((f) => f.siteId !== jyj.id)).toBe(true);
    await page.getByLabel('问题关键词').fill(jyjEntry.question.slice(0, 6));
    await page.getByLabel('问题关键词').press('Enter');
    await page.getByText('暂无问答条目').waitFor();
    // By address: refused, with the server's words.
    await page.goto(`/admin/faq/${jyjEntry.id}`);
    await page.getByRole('heading', { name: '没有权限' }).waitFor();
    expect((await page.request.get(`/api/v1/faq/${jyjEntry.id}`)).status()).toBe(403);
    expect((await page.request.get(`/api/v1/faq?siteId=${jyj.id}`)).status()).toBe(403);
    // The queue holds only the department's own questions.
    await page.goto('/admin/qa-questions?status=all');
    await page.getByRole('heading', { name: /^群众提问/, level: 1 }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    const shown = await page.locator('.ant-table-row td:first-child').allInnerTexts();
    for (const q of jyjQuestions) expect(shown.some((s) => s.includes(q)), q).toBe(false);
    const queue = await apiGet<{ items: QuestionDto[] }>(page, '/api/v1/qa/questions?status=all&pageSize=100');
    expect(queue.items.every((q) => q.siteId !== jyj.id)).toBe(true);
    await logout(page);

    // A reviewer has no queue (every action on it is an editor's); an editor of one column has no knowledge base.
    await login(page, 'jyj_reviewer');
    await page.goto('/admin/qa-questions');
    await page.getByRole('heading', { name: '没有权限' }).waitFor();
    await page.goto('/admin/faq/new');
    await page.getByRole('heading', { name: '没有权限' }).waitFor();
    await logout(page);
    await login(page, 'zxzx_editor');
    await expect.poll(() => menuItems(page)).toEqual(['工作台', '稿件管理']);
    await page.goto('/admin/faq');
    await page.getByRole('heading', { name: '没有权限' }).waitFor();
    await ctx.close();
  }, 120_000);
});
