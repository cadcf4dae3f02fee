/**
 * The console's jobs screen names every job type the server runs in Chinese
 * (admin/src/lib/jobNames.ts): a type it cannot name would be shown raw (e.g. publishing.on.column.moved).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobTypeName } from '../admin/src/lib/jobNames.js';
import { type TestApp, createTestApp } from './helpers.js';

describe('job names on the console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('give every registered job type a Chinese name, with the event named for event jobs', () => {
    const types = [...t.jiyue.jobs.handlers.keys()].sort();
    expect(types.length).toBeGreaterThan(20);
    const unnamed = types.filter((type) => !/^[\p{Script=Han}：]+$/u.test(jobTypeName(type)));
    expect(unnamed).toEqual([]);
    expect(jobTypeName('publishing.on.column.moved')).toBe('更新网页：移动栏目');
    expect(jobTypeName('search.on.article.withdrawn')).toBe('更新检索索引：稿件撤下');
  });

  it('show a type they do not know as it is', () => {
    expect(jobTypeName('integration.hotline_sync')).toBe('integration.hotline_sync');
    expect(jobTypeName('search.on.letter.replied')).toBe('更新检索索引：letter.replied');
  });
});
