/**
 * Highlighted text for results (pure): the hits of the query's words wrapped in <em>, every
 * other character HTML-escaped — the only HTML the search API returns, safe to insert as is.
 */
import type { HighlightGroup } from './query.js';
import { escapeHtml } from './text.js';

/** What to mark: words (each a group of its own), or a query's groups (query.ts). */
export type Marks = readonly (string | HighlightGroup)[];

export const SNIPPET_LENGTH = 120;
const LEAD = 24;
const MAX_HITS = 300;

interface Hit {
  start: number;
  end: number;
}

/** Folds case for matching without changing positions (toLowerCase can change the length of a few characters). */
function foldForMatch(text: string): string {
  const lower = text.normalize('NFKC').toLowerCase();
  return lower.length === text.length ? lower : text.toLowerCase().length === text.length ? text.toLowerCase() : text;
}

/** The terms to look for in `hay`: each group's words, or when none is there the sets of its sub-words that are there whole. */
function termsIn(hay: string, marks: Marks): string[] {
  const terms: string[] = [];
  for (const m of marks) {
    if (typeof m === 'string') terms.push(m);
    else if (m.whole.some((t) => t.length > 0 && hay.includes(t))) terms.push(...m.whole);
    else for (const set of m.parts) if (set.every((t) => hay.includes(t))) terms.push(...set);
  }
  return terms;
}

/** Non-overlapping hits, longer words first. */
export function findHits(text: string, marks: Marks): Hit[] {
  const hay = foldForMatch(text);
  const taken = new Uint8Array(hay.length);
  const hits: Hit[] = [];
  const sorted = [...new Set(termsIn(hay, marks).filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  for (const t of sorted) {
    for (let i = hay.indexOf(t); i >= 0 && hits.length < MAX_HITS; i = hay.indexOf(t, i + t.length)) {
      let free = true;
      for (let k = i; k < i + t.length; k++) if (taken[k]) free = false;
      if (!free) continue;
      taken.fill(1, i, i + t.length);
      hits.push({ start: i, end: i + t.length });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** `text` escaped, with the hits wrapped in <em>. */
export function highlight(text: string, terms: Marks): string {
  return mark(text, findHits(text, terms), 0, text.length);
}

function mark(text: string, hits: readonly Hit[], from: number, to: number): string {
  let out = '';
  let at = from;
  for (const h of hits) {
    if (h.end <= from || h.start >= to) continue;
    const s = Math.max(h.start, from);
    const e = Math.min(h.end, to);
    out += escapeHtml(text.slice(at, s)) + '<em>' + escapeHtml(text.slice(s, e)) + '</em>';
    at = e;
  }
  return out + escapeHtml(text.slice(at, to));
}

/**
 * A window of about `length` characters of the text around its densest cluster of hits (the
 * beginning when nothing matches), escaped and highlighted, with "…" where it was cut.
 */
export function snippet(text: string, terms: Marks, length = SNIPPET_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const hits = findHits(flat, terms);
  let start = 0;
  if (hits.length > 0) {
    // The window starting a little before some hit that covers the most distinct words.
    let best = -1;
    for (const h of hits.slice(0, 50)) {
      const s = Math.max(0, h.start - LEAD);
      const inside = new Set(hits.filter((x) => x.start >= s && x.end <= s + length).map((x) => flat.slice(x.start, x.end).toLowerCase()));
      if (inside.size > best) {
        best = inside.size;
        start = s;
      }
    }
  }
  // Do not cut a surrogate pair.
  if (start > 0 && /[\uDC00-\uDFFF]/.test(flat[start] ?? '')) start--;
  let end = Math.min(flat.length, start + length);
  if (end < flat.length && /[\uD800-\uDBFF]/.test(flat[end - 1] ?? '')) end++;
  if (end - start < length && start > 0) start = Math.max(0, end - length);
  return `${start > 0 ? '…' : ''}${mark(flat, hits, start, end)}${end < flat.length ? '…' : ''}`;
}
