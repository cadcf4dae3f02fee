/**
 * Time is stored as ISO-8601 UTC text ("2026-11-22T07:30:00.000Z") on both databases: it sorts
 * correctly as text, compares the same way in SQLite and PostgreSQL, and round-trips exactly.
 * See docs/adr/002-time-as-iso-text.md.
 */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const iso = (d: Date): string => d.toISOString();
export const addMinutes = (d: Date, m: number): Date => new Date(d.getTime() + m * 60_000);
export const addSeconds = (d: Date, s: number): Date => new Date(d.getTime() + s * 1000);

/** China Standard Time has no DST: UTC+8 all year. */
const CST_OFFSET_MS = 8 * 3600_000;
/** Calendar parts of an instant in Beijing time (publication dates, URLs). */
export function beijingParts(d: Date): { y: string; m: string; d: string; hh: string; mm: string } {
  const b = new Date(d.getTime() + CST_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    y: String(b.getUTCFullYear()),
    m: p(b.getUTCMonth() + 1),
    d: p(b.getUTCDate()),
    hh: p(b.getUTCHours()),
    mm: p(b.getUTCMinutes()),
  };
}
