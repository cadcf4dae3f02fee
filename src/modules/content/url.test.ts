import { describe, expect, it } from 'vitest';
import { articleUrl } from './url.js';

describe('articleUrl', () => {
  it('dates the address by the publication day in Beijing time', () => {
    // 2026-11-30 17:30 UTC is already 1 December in Beijing.
    expect(articleUrl('jyj', 'zwgk/tzgg', '2026-11-30T17:30:00.000Z', 42)).toBe('/jyj/zwgk/tzgg/202612/t20261201_42.html');
    expect(articleUrl('jyj', 'xwzx', '2026-11-30T15:59:59.000Z', 7)).toBe('/jyj/xwzx/202611/t20261130_7.html');
  });

  it('leaves out the site code for the portal', () => {
    expect(articleUrl('www', 'xwzx/bmdt', new Date('2026-01-05T02:00:00.000Z'), 9)).toBe('/xwzx/bmdt/202601/t20260105_9.html');
  });
});
