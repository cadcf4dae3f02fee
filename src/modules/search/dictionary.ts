/**
 * The search dictionary as data: government terms (segmentation) and synonym groups (query
 * expansion), read from the database and turned into a Segmenter once per version. A change
 * (commands/) bumps the version in the same transaction; every process notices within
 * CHECK_MS and rebuilds its segmenter (the process that made the change at once).
 */
import type { DB } from '../../db/index.js';
import { type SynonymMap, buildSynonymMap } from './query.js';
import { Segmenter, cleanTerm, normalise } from './segment.js';
import { bumpVersion, readVersion } from './versions.js';

export const DICTIONARY_VERSION_KEY = 'search.dictionary_version';
const CHECK_MS = 5000;

export interface Dictionary {
  version: string;
  segmenter: Segmenter;
  synonyms: SynonymMap;
  /** Every term and synonym word (did-you-mean candidates). */
  vocabulary: readonly string[];
}

interface Cached {
  dict: Dictionary;
  checkedAt: number;
}
const cache = new WeakMap<DB, Cached>();
const loading = new WeakMap<DB, Promise<Dictionary>>();


export const parseWords = (json: string): string[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
};

async function load(db: DB, v: string): Promise<Dictionary> {
  const [terms, groups] = await Promise.all([
    db.selectFrom('search_terms').select('word').orderBy('word').execute(),
    db.selectFrom('search_synonyms').select('words').orderBy('id').execute(),
  ]);
  const synonymGroups = groups.map((g) => parseWords(g.words));
  const vocabulary = [...new Set([...terms.map((t) => t.word), ...synonymGroups.flat()].map(cleanTerm).filter((w): w is string => w !== null))].sort();
  return { version: v, segmenter: new Segmenter(vocabulary), synonyms: buildSynonymMap(synonymGroups, normalise), vocabulary };
}

/** The current dictionary of a database (cached; re-read when its version changed). */
export async function dictionaryOf(db: DB): Promise<Dictionary> {
  const c = cache.get(db);
  const now = Date.now();
  if (c && now - c.checkedAt < CHECK_MS) return c.dict;
  const pending = loading.get(db);
  if (pending) return pending;
  const p = (async () => {
    const v = await readVersion(db, DICTIONARY_VERSION_KEY);
    const dict = c && c.dict.version === v ? c.dict : await load(db, v);
    cache.set(db, { dict, checkedAt: Date.now() });
    return dict;
  })();
  loading.set(db, p);
  try {
    return await p;
  } finally {
    loading.delete(db);
  }
}

/** Marks the dictionary changed (call in the transaction of the change). */
export async function bumpDictionaryVersion(tx: DB, now: Date): Promise<void> {
  await bumpVersion(tx, DICTIONARY_VERSION_KEY, now);
}

/** Forgets this process's copy (after a change committed here, so the next search sees it). */
export function forgetDictionary(db: DB): void {
  cache.delete(db);
}
