import { describe, expect, it } from 'vitest';
import { freshness } from './freshness.js';

const NOW = new Date('2026-11-20T02:00:00.000Z');

describe('freshness of a column with an update interval', () => {
  it.each([
    // last publication, created, interval, overdue?, days since, days overdue
    ['2026-11-19T02:00:00.000Z', '2026-01-01T00:00:00.000Z', 7, false, 1, -6],
    ['2026-11-13T02:00:00.000Z', '2026-01-01T00:00:00.000Z', 7, false, 7, 0], // exactly the interval: still on time
    ['2026-11-13T01:59:59.000Z', '2026-01-01T00:00:00.000Z', 7, true, 7, 0], // a second later: overdue
    ['2026-10-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 14, true, 50, 36],
    [null, '2026-11-15T00:00:00.000Z', 7, false, 5, -2], // new and never updated: not yet due
    [null, '2026-01-01T00:00:00.000Z', 30, true, 323, 293], // never updated since January
  ] as const)('last %s, created %s, every %i days → overdue %s', (last, created, interval, overdue, days, past) => {
    expect(freshness(last, created, interval, NOW)).toEqual({ isOverdue: overdue, daysSince: days, overdueDays: past });
  });
});
