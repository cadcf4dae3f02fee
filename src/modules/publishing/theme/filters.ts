import { beijingParts } from '../../../lib/time.js';
import { hasControlChars } from './names.js';

/**
 * The filters the theme engine adds to Liquid's standard ones. Pure functions of their input:
 * they never throw on odd values (a template must not fail because a field is empty), and they
 * return plain strings, which the engine's output escaping then escapes like any other value.
 */

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const ZONED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * 'YYYY年MM月DD日'. An instant with a zone ("2026-11-20T18:00:00Z") is shown as its Beijing
 * calendar day; a plain day or Beijing "YYYY-MM-DD HH:MM" keeps its own date. Anything else → ''.
 */
export function dateCn(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : fmt(beijingParts(value));
  if (typeof value !== 'string') return '';
  const s = value.trim();
  if (ZONED_RE.test(s)) {
    const d = new Date(s);
    return Number.isNaN(d.getTime()) ? '' : fmt(beijingParts(d));
  }
  const m = DAY_RE.exec(s);
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : '';
}

const fmt = (p: { y: string; m: string; d: string }): string => `${p.y}年${p.m}月${p.d}日`;

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes → "512 B", "1.2 KB", "3.4 MB". A string that is not a number (already "1.2 MB") is kept. */
export function filesize(value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return typeof value === 'string' ? value : '';
  let size = n;
  let unit = 0;
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(Math.round(size)) : size >= 100 ? String(Math.round(size)) : (Math.round(size * 10) / 10).toFixed(1);
  return `${text} ${UNITS[unit]}`;
}

/**
 * Keeps the first `length` characters (code points: a Chinese character or an emoji counts as
 * one) and appends `ellipsis` when something was cut. `{{ title | truncate_cn: 20 }}`.
 */
export function truncateCn(value: unknown, length: unknown = 30, ellipsis: unknown = '…'): string {
  const s = value === null || value === undefined ? '' : String(value);
  const n = Math.max(0, Math.min(10_000, Math.floor(Number(length) || 0)));
  const chars = Array.from(s);
  if (chars.length <= n) return s;
  return chars.slice(0, n).join('') + String(ellipsis ?? '');
}

/**
 * A URL safe to put in href/src: site paths ("/x", not "//host"), http(s) and mailto/tel;
 * anything else (javascript:, data:, vbscript: …) becomes "#". For values an administrator
 * typed (external navigation links, the 找错 entry); the publisher's own URLs are paths already.
 */
export function safeUrl(value: unknown): string {
  if (typeof value !== 'string') return '#';
  const s = value.trim();
  if (s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\')) return s;
  if (/^(https?:\/\/|mailto:|tel:)/i.test(s) && !/\s/.test(s) && !hasControlChars(s)) return s;
  return '#';
}
