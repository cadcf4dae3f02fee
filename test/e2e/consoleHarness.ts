/**
 * The platform under test for the console's browser tests (console.test.ts,
 * console-interaction.test.ts): `jiyue start` on a fresh data directory and database of the
 * dialect under test, with the demo city seeded and the console built when stale; and the
 * browser steps both use (sign in and out, axe, screenshots, toasts, API reads in the session).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page, Request } from 'playwright-core';
import pino from 'pino';
import { expect } from 'vitest';
import { type JiyueApp, buildApp } from '../../src/app.js';
import { systemClock } from '../../src/lib/time.js';
import { type BootstrapAccount, bootstrapAdmins } from '../../src/modules/accounts/bootstrap.js';
import { Worker } from '../../src/modules/jobs/worker.js';
import { seedIfEmpty } from '../../src/seed/seed.js';
import { type TestEnv, createTestStore } from '../helpers.js';
import { axe } from './browser.js';

// The console built when stale: here for the browser tests, in browser.ts for the bench too (no vitest there).
export { ensureConsoleBuilt } from './browser.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');
/** Screenshots for docs/ are written only on request (JIYUE_SCREENSHOTS=1), so a run leaves the tree clean. */
export const SCREENSHOTS_WANTED = process.env.JIYUE_SCREENSHOTS === '1';
export const DEMO_PASSWORD = 'Shifan-Demo-2026';

export interface ConsoleApp {
  jiyue: JiyueApp;
  env: TestEnv;
  base: string;
  accounts: BootstrapAccount[];
  drainJobs(): Promise<number>;
  close(): Promise<void>;
}

/** `jiyue start` on a fresh data directory and database of the dialect under test. */
export async function startConsoleApp(): Promise<ConsoleApp> {
  const env = await createTestStore();
  const log = pino({ level: 'silent' });
  const accounts = await bootstrapAdmins(env.store, new Date());
  await seedIfEmpty(env.store, env.config, log, new Date());
  const jiyue = await buildApp({ config: env.config, store: env.store, log, clock: systemClock });
  await jiyue.app.listen({ port: 0, host: '127.0.0.1' });
  const address = jiyue.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const worker = new Worker(env.store, jiyue.jobs, log, systemClock);
  return {
    jiyue,
    env,
    base: `http://127.0.0.1:${port}`,
    accounts,
    drainJobs: () => worker.drain(),
    async close() {
      await jiyue.app.close();
      await env.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Browser steps
// ---------------------------------------------------------------------------------------------

/** axe on the page: no serious or critical finding. */
export async function checkAxe(page: Page, screen: string): Promise<void> {
  // Let antd's colour transitions (200 ms) finish: a half-faded button would be measured mid-way.
  await page.waitForTimeout(400);
  const found = (await axe(page, ['serious', 'critical'])).map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.join(', ')}`);
  expect(found, `axe on ${screen}`).toEqual([]);
}

/** Fills in and sends the login form (what follows depends on the account: the caller waits). */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/admin/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/**
 * Clicks `target` until the click sends the request `sent` recognises (at most 3 times). Under
 * load a click can land on a menu or dialog still animating in and be lost (seen in CI: the menu
 * open or the dialog filled in, no request sent). `before` runs ahead of each click (to open a
 * menu again); a target gone or disabled after a click means the click did its work.
 */
export async function clickUntilSent(page: Page, target: Locator, sent: (r: Request) => boolean, what: string, before?: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await before?.();
    if (attempt > 1 && (!(await target.isVisible()) || !(await target.isEnabled()))) return;
    const went = page.waitForRequest(sent, { timeout: 5000 }).then(
      () => true,
      () => false,
    );
    await target.click();
    if ((await went) || attempt === 3) return;
    console.warn(`[console] ${what} click #${attempt} sent no request; clicking again`);
  }
}

export async function logout(page: Page): Promise<void> {
  const item = page.getByRole('menuitem', { name: '退出登录' });
  const openMenu = async () => {
    if (!(await item.isVisible())) await page.getByRole('button', { name: /^用户菜单/ }).click();
    await item.waitFor();
  };
  await clickUntilSent(page, item, (r) => r.url().endsWith('/api/v1/auth/logout') && r.method() === 'POST', 'logout', openMenu);
  try {
    await page.getByLabel('用户名').waitFor();
  } catch (e) {
    await page.screenshot({ path: '/tmp/console-logout-failure.png' });
    console.warn(`[console] logout stuck at ${page.url()}: ${await page.locator('body').innerText()}`);
    throw e;
  }
}

/** A screenshot for docs/screenshots/, only when asked for (JIYUE_SCREENSHOTS=1). */
export async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS_WANTED) return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  // Every toast gone (first(): with two on screen a plain waitFor is ambiguous and gives up at once).
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

/** A message antd shows (toast). */
export const toast = (page: Page, text: string | RegExp) => page.locator('.ant-message-notice').filter({ hasText: text });

/** A GET in the page's session; must answer 200. */
export async function apiGet<T>(page: Page, url: string): Promise<T> {
  const r = await page.request.get(url);
  expect(r.status(), url).toBe(200);
  return (await r.json()) as T;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Chooses `label` in the Ant Design select `field` (its combobox input, e.g. from getByLabel),
 * optionally typing `search` first, and returns once the select shows the choice and its list has
 * closed. Under load the list's opening animation can swallow the first click on an option, which
 * leaves the list open over the dialog's buttons; the choice is then made again (up to 3 times).
 */
export async function chooseOption(page: Page, field: Locator, label: string, search?: string): Promise<void> {
  const select = field.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  // Ant Design 6 shows a single select's value as the title of its .ant-select-content.
  const shown = select.locator(`.ant-select-content[title=${JSON.stringify(label)}]`);
  const openList = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    if (!(await openList.isVisible())) {
      await field.click();
      if (search) await page.keyboard.type(search);
    }
    try {
      await openList.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) }).click({ timeout: 5_000 });
      await shown.waitFor({ timeout: 5_000 });
      await openList.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}
