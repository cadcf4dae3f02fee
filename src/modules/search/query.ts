/**
 * From what a person typed to what an engine runs (pure, table-tested in query.test.ts).
 *
 * A query is an AND of groups, one per meaningful word; a group is an OR of alternatives —
 * the word, its dictionary sub-words together (社会保障 → 社会 AND 保障: a text cut as
 * 社会/保障局 still matches), and the same for each synonym (社保 → 社会保险). Every token is
 * letters and digits only (segment.ts), and is quoted on top of that, so nothing a visitor types
 * can become an operator of FTS5 (AND OR NOT NEAR * ^ : " ( )) or of tsquery (& | ! <-> : * ').
 */
import type { Segmenter } from './segment.js';

/** Longest query accepted (characters); the search box allows 100. */
export const MAX_QUERY_LENGTH = 100;
/** Words of a query used; the rest is ignored (a pasted paragraph is not a query). */
export const MAX_GROUPS = 8;
const MAX_ALTERNATIVES = 8;

/** Every token of an alternative must occur. */
export type Alternative = string[];
/** At least one alternative must match. */
export interface Group {
  word: string;
  alternatives: Alternative[];
}

export interface QueryPlan {
  /** The words the query was cut into. */
  words: string[];
  groups: Group[];
  /** What to highlight in titles and snippets, per word of the query (see HighlightGroup). */
  highlights: HighlightGroup[];
}

/**
 * One query word's highlights: the word and its synonyms (and the words a synonym is cut into);
 * and its sets of sub-words (社会保险 → 社会 + 保险), a set marked only in a text that holds none
 * of the former and every word of the set — as the search matched it — so a result with 社会保险
 * does not also light up every 社会 of 社会治理, nor a title with 养老保险 alone its 保险.
 */
export interface HighlightGroup {
  whole: string[];
  parts: string[][];
}

/** Synonyms by word: every word of a group maps to the others. */
export type SynonymMap = ReadonlyMap<string, readonly string[]>;

export function buildSynonymMap(groups: readonly (readonly string[])[], normalise: (s: string) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of groups) {
    const words = [...new Set(g.map(normalise))];
    for (const w of words) out.set(w, [...new Set([...(out.get(w) ?? []), ...words.filter((x) => x !== w)])]);
  }
  return out;
}

export function planQuery(q: string, seg: Segmenter, synonyms: SynonymMap): QueryPlan {
  const words = seg.queryWords(q.slice(0, MAX_QUERY_LENGTH)).slice(0, MAX_GROUPS);
  const highlights: HighlightGroup[] = [];
  const groups: Group[] = [];
  for (const word of words) {
    const alternatives: Alternative[] = [];
    const seen = new Set<string>();
    const whole = new Set<string>();
    const parts: string[][] = [];
    const add = (alt: string[], isPart: boolean) => {
      if (alt.length === 0 || alternatives.length >= MAX_ALTERNATIVES) return;
      const key = [...alt].sort().join(' ');
      if (seen.has(key)) return;
      seen.add(key);
      alternatives.push(alt);
      if (isPart) parts.push(alt);
      else for (const t of alt) whole.add(t);
    };
    for (const w of [word, ...(synonyms.get(word) ?? [])]) {
      // A synonym may be several words (人社局 ↔ 人力资源和社会保障局): cut it like a query.
      const tokens = w === word ? [w] : seg.queryWords(w);
      add(tokens, false);
      for (const t of tokens) {
        const subs = seg.parts(t);
        if (subs.length > 0 && tokens.length === 1) add(subs, true);
      }
      whole.add(w);
    }
    groups.push({ word, alternatives });
    highlights.push({ whole: [...whole], parts });
  }
  return { words, groups, highlights };
}

// ---------- FTS5 ----------

/** A token as an FTS5 string (double quotes doubled; tokens cannot contain any, this is belt and braces). */
const ftsString = (t: string): string => `"${t.replace(/"/g, '""')}"`;

/** FTS5 MATCH text of the plan over the title and body columns; null when there is nothing to look for. */
export function fts5Match(plan: Pick<QueryPlan, 'groups'>, opts: { facets?: readonly string[]; titleOnly?: boolean; prefixLast?: boolean } = {}): string | null {
  if (plan.groups.length === 0) return null;
  const facets = opts.facets ?? [];
  const last = plan.groups.length - 1;
  const group = (g: Group, i: number) => {
    const star = opts.prefixLast && i === last ? '*' : '';
    return `(${g.alternatives.map((a) => (a.length === 1 ? ftsString(a[0]!) + star : `(${a.map(ftsString).join(' AND ')})`)).join(' OR ')})`;
  };
  const text = `${opts.titleOnly ? '{title}' : '{title body}'} : (${plan.groups.map(group).join(' AND ')})`;
  return facets.length === 0 ? text : `(${text}) AND ${facets.map((f) => `facets : ${ftsString(f)}`).join(' AND ')}`;
}

// ---------- PostgreSQL tsquery ----------

/** A token as a tsquery lexeme ('…', quotes and backslashes escaped; again, tokens have none). */
const tsLexeme = (t: string, weights = ''): string => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${weights ? `:${weights}` : ''}`;

/** tsquery text of the plan (for `to_tsquery('simple', …)`); titleOnly restricts to weight A (titles). */
export function tsQuery(plan: Pick<QueryPlan, 'groups'>, opts: { titleOnly?: boolean; prefixLast?: boolean } = {}): string | null {
  if (plan.groups.length === 0) return null;
  const w = opts.titleOnly ? 'A' : '';
  const last = plan.groups.length - 1;
  const group = (g: Group, i: number) => {
    const star = opts.prefixLast && i === last ? '*' : '';
    return `(${g.alternatives.map((a) => (a.length === 1 ? tsLexeme(a[0]!, star + w) : `(${a.map((t) => tsLexeme(t, w)).join(' & ')})`)).join(' | ')})`;
  };
  return plan.groups.map(group).join(' & ');
}
