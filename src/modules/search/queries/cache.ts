/**
 * Recent search results, kept in memory per database and dropped as soon as the index changes.
 * Searches concentrate on a few queries (the hot list: 社保, 公积金 …); a repeated one costs a map
 * lookup instead of segmentation, two or three engine queries and the snippets.
 *
 * Every index write bumps INDEX_VERSION_KEY in its own transaction (indexer.ts) and then calls
 * `indexChanged` here, so this process never serves a result from before a write it committed;
 * other processes (`jiyue reindex`) are noticed within CHECK_MS. The key holds the dictionary's
 * version and today's date (recency), so a synonym added or a day passing is a new key. Entries
 * also age out after MAX_AGE_MS; at most `maxEntries` are kept, the least recently used dropped.
 */
import type { DB } from '../../../db/index.js';
import { readVersion } from '../versions.js';

export const INDEX_VERSION_KEY = 'search.index_version';
const CHECK_MS = 2000;
const MAX_AGE_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 2000;

interface State {
  version: string;
  checkedAt: number;
  entries: Map<string, { at: number; value: unknown }>;
}

const states = new WeakMap<DB, State>();
/** Bumped by indexChanged: a version read that began before it is not kept. */
const epochs = new WeakMap<DB, number>();
const limits = new WeakMap<DB, number>();

async function stateOf(db: DB): Promise<State> {
  const s = states.get(db);
  if (s && Date.now() - s.checkedAt < CHECK_MS) return s;
  const epoch = epochs.get(db) ?? 0;
  const version = await readVersion(db, INDEX_VERSION_KEY);
  const fresh = states.get(db);
  const next: State = fresh && fresh.version === version ? { ...fresh, checkedAt: Date.now() } : { version, checkedAt: Date.now(), entries: new Map() };
  if ((epochs.get(db) ?? 0) !== epoch) return { ...next, entries: new Map() }; // changed meanwhile: use once, keep nothing
  states.set(db, next);
  return next;
}

/**
 * The cached value of `key` in this database's current index, or `compute()`'s (kept unless
 * `keep` says no, for at most `maxAgeMs`, MAX_AGE_MS by default).
 */
export async function cached<T>(db: DB, key: string, compute: () => Promise<T>, opts: { keep?: (v: T) => boolean; maxAgeMs?: number } = {}): Promise<T> {
  const max = limits.get(db) ?? DEFAULT_MAX_ENTRIES;
  if (max === 0) return compute();
  const state = await stateOf(db);
  const hit = state.entries.get(key);
  if (hit && Date.now() - hit.at < (opts.maxAgeMs ?? MAX_AGE_MS)) {
    state.entries.delete(key); // re-insert: most recently used last
    state.entries.set(key, hit);
    return hit.value as T;
  }
  const value = await compute();
  if (opts.keep?.(value) ?? true) {
    state.entries.set(key, { at: Date.now(), value });
    while (state.entries.size > max) state.entries.delete(state.entries.keys().next().value!);
  }
  return value;
}

/** An index write of this process committed: forget every result of this database now. */
export function indexChanged(db: DB): void {
  epochs.set(db, (epochs.get(db) ?? 0) + 1);
  states.delete(db);
}

/** How many results to keep for this database (0: no caching, as the latency bench measures). */
export function setResultCacheSize(db: DB, maxEntries: number): void {
  limits.set(db, maxEntries);
  states.delete(db);
}
