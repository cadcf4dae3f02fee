/**
 * Is a column overdue for an update? 《政府网站发展指引》(国办发〔2017〕47号) and the yearly
 * 政府网站检查指标 ask that a column with a promised update rhythm gets new content within it
 * (e.g. 动态、要闻类栏目 at least every two weeks); a column never updated is overdue from the
 * day it was created. Pure: the caller brings the dates.
 */
const DAY_MS = 86_400_000;

export interface Freshness {
  /** Whole days since the last publication (or creation). */
  daysSince: number;
  /** Whole days past the promised interval; 0 or less means not overdue. */
  overdueDays: number;
  isOverdue: boolean;
}

export function freshness(lastPublishedAt: string | null, createdAt: string, intervalDays: number, now: Date): Freshness {
  const since = Date.parse(lastPublishedAt ?? createdAt);
  const daysSince = Math.floor((now.getTime() - since) / DAY_MS);
  const overdueDays = daysSince - intervalDays;
  return { daysSince, overdueDays, isOverdue: now.getTime() - since > intervalDays * DAY_MS };
}
