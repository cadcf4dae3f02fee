/** The browser tooling itself works: Chromium renders Chinese, axe finds a planted violation, vnu an invalid document. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { axe, browserMissing, launch, vnu, vnuMissing } from './browser.js';

describe.skipIf(browserMissing)('browser harness', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('runs axe and reports a planted violation (an image without alt text)', async () => {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html lang="zh-CN"><head><title>测试</title></head><body><main><h1>示范市</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>');
    const v = await axe(page);
    expect(v.map((x) => x.id)).toContain('image-alt');
    await page.close();
  });
});

describe.skipIf(vnuMissing)('Nu HTML Checker', () => {
  it('accepts a valid page and reports an invalid one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-vnu-'));
    fs.writeFileSync(path.join(dir, 'ok.html'), '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>好</title></head><body><p>示范</p></body></html>');
    fs.writeFileSync(path.join(dir, 'bad.html'), '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>坏</title></head><body><p id="a">一</p><p id="a">二</p></body></html>');
    const errors = vnu([path.join(dir, 'ok.html'), path.join(dir, 'bad.html')]);
    expect(errors.every((e) => e.url.endsWith('bad.html'))).toBe(true);
    expect(errors.some((e) => /Duplicate ID/.test(e.message))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
