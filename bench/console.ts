/**
 * The console's first screen: how long a browser with an empty cache takes from asking for
 * /admin/ until the login form is on screen, served by the real app (`buildApp` + `listen`, the
 * platform's CSP) to Debian's Chromium. Each load is a new browser context (no cache, no cookies);
 * `BENCH_CONSOLE_LOADS` (default 7) loads after one warm-up. The bytes are what the browser
 * transferred for JavaScript (Brotli).
 *
 * The test (test/e2e/console.test.ts) holds what decides this figure and does not vary with the
 * machine's load: no page error under the CSP, the files cached for good and sent compressed, and
 * the JavaScript the first screen transfers within its budget.
 */
import type net from 'node:net';
import { createTestApp } from '../test/helpers.js';
import { browserMissing, ensureConsoleBuilt, launch } from '../test/e2e/browser.js';
import { line, percentile } from './lib.js';

const LOADS = Number(process.env.BENCH_CONSOLE_LOADS ?? 7);

export async function benchConsole(): Promise<void> {
  if (browserMissing) return void console.log(`# ${browserMissing}: no console figures`);
  ensureConsoleBuilt();
  const t = await createTestApp();
  const browser = await launch();
  try {
    await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.jiyue.app.server.address() as net.AddressInfo).port}`;
    const loads: number[] = [];
    let jsBytes = 0;
    for (let i = 0; i <= LOADS; i++) {
      const context = await browser.newContext({ baseURL: base, locale: 'zh-CN' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const t0 = performance.now();
      await page.goto('/admin/');
      await page.getByLabel('用户名').waitFor();
      const ms = performance.now() - t0;
      jsBytes = (await page.evaluate(
        "performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js')).reduce((s, r) => s + r.transferSize, 0)",
      )) as number;
      await context.close();
      if (errors.length) throw new Error(`the login screen raised errors: ${errors.join('; ')}`);
      if (i > 0) loads.push(ms); // the first load warms the server and the browser process
    }
    loads.sort((a, b) => a - b);
    line('console.first_screen_cold.best', loads[0]!, 'ms');
    line('console.first_screen_cold.p50', percentile(loads, 50), 'ms');
    line('console.first_screen_js', jsBytes / 1024, 'KiB');
  } finally {
    await browser.close();
    await t.close();
  }
}
