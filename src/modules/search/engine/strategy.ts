/**
 * What both adapters decide the same way (pure): how far to count a query's matches, and from
 * that count how to order them —
 *
 * - `date`: newest first, straight from the id order;
 * - `full`: the engine's text relevance over every match (at most `fullRank` of them);
 * - `candidates`: a very common query, ranked over its newest `candidates` matches only
 *   (ranking.ts, FULL_RANK_LIMIT).
 *
 * Counting stops at `count` + 1, so a word nearly every document has costs no more to count
 * than one 10,000 documents have; the total then reads "10,000+" (`totalIsLowerBound`). The
 * limits are the engine's (ranking.ts RANK_LIMITS).
 */
import { decodeId } from '../documents.js';
import { type RankLimits, candidateScore } from '../ranking.js';
import type { Group } from '../query.js';
import { normalise } from '../segment.js';
import type { EngineQuery } from './types.js';

export type Strategy = 'date' | 'full' | 'candidates';

/** The query's limits: the adapter puts its engine's (ranking.ts RANK_LIMITS) unless a test chose others. */
export function limitsOf(q: EngineQuery): RankLimits {
  if (!q.limits) throw new Error('engine query without limits');
  return q.limits;
}

/** Matches to count at most: one past the displayed limit (one past the full-rank limit when no total is wanted). */
export function countCap(q: EngineQuery): number {
  const l = limitsOf(q);
  return (q.noTotal ? Math.min(l.fullRank, l.count) : l.count) + 1;
}

/**
 * How to order the matches, from their capped count (null: not counted). Suggestions
 * (`noTotal`) are always candidates: the newest titles with the word, most authoritative first.
 */
export function strategyOf(q: EngineQuery, counted: number | null): Strategy {
  if (q.sort === 'date') return 'date';
  if (q.noTotal || counted === null) return 'candidates';
  return counted <= limitsOf(q).fullRank ? 'full' : 'candidates';
}

/** The total to report from a capped count. */
export function totalOf(q: EngineQuery, counted: number | null): { total: number; totalIsLowerBound: boolean } {
  if (counted === null) return { total: 0, totalIsLowerBound: false };
  const cap = countCap(q) - 1;
  return counted > cap ? { total: cap, totalIsLowerBound: true } : { total: counted, totalIsLowerBound: false };
}

/**
 * A very common query ranks its newest `candidates` matches; a page past them (pageSize 50,
 * page 31 and on) continues with the older matches, newest first — so pages never overlap.
 * How many of the newest matches to read for the page asked:
 */
export const candidateCount = (q: EngineQuery): number => Math.max(limitsOf(q).candidates, q.offset + q.limit);

/**
 * The share of the query's words (groups) a title has, as the highlighting finds them: some
 * alternative of the word with every token in the title.
 */
export function titleShare(title: string, groups: readonly Group[]): number {
  if (groups.length === 0) return 0;
  const t = normalise(title);
  return groups.filter((g) => g.alternatives.some((a) => a.every((token) => t.includes(token)))).length / groups.length;
}

/**
 * The page of a very common query from its newest matches (`candidateCount` of them, any
 * order): the newest `candidates` ordered by `candidateScore` (title share × authority ×
 * recency, the last two read from the id), newest first among equals, then the older ones
 * newest first. A null title is a title match (title-only queries: suggestions).
 */
export function rankCandidates(candidates: readonly { id: number; title: string | null }[], q: EngineQuery): number[] {
  const newestFirst = [...candidates].sort((a, b) => b.id - a.id);
  const k = limitsOf(q).candidates;
  const ranked = newestFirst
    .slice(0, k)
    .map((c) => ({ id: c.id, score: candidateScore(decodeId(c.id), c.title === null ? 1 : titleShare(c.title, q.plan.groups), q.today) }))
    .sort((a, b) => b.score - a.score || b.id - a.id)
    .map((c) => c.id);
  return [...ranked, ...newestFirst.slice(k).map((c) => c.id)].slice(q.offset, q.offset + q.limit);
}
