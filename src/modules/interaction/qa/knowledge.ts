/**
 * The public knowledge base as a matcher, one per database per process: built from what is
 * public now (`publicFaqs`) with the search dictionary's segmenter and synonyms plus the Q&A's
 * own (synonyms.ts), rebuilt when either changes. A publication, withdrawal or expiry bumps the
 * knowledge version in its transaction (faq/store.ts); every process looks at most every CHECK_MS.
 */
import type { DB } from '../../../db/index.js';
// The search module's dictionary (segmenter with the government terms, synonym groups). It is not
// on the search module's index.ts yet; see docs/interaction.md ("What remains").
import { dictionaryOf } from '../../search/dictionary.js';
import { publicFaqs } from '../faq/queries/publicFaqs.js';
import { knowledgeVersion } from '../faq/store.js';
import { FaqMatcher, type KnowledgeEntry } from './match.js';
import { QA_SYNONYMS } from './synonyms.js';

const CHECK_MS = 5000;

export interface Knowledge {
  matcher: FaqMatcher;
  entries: Map<number, KnowledgeEntry>;
  key: string;
}

interface Cached {
  k: Knowledge;
  checkedAt: number;
}
const cache = new WeakMap<DB, Cached>();
const loading = new WeakMap<DB, Promise<Knowledge>>();

async function build(db: DB, now: Date, key: string): Promise<Knowledge> {
  const [dict, entries] = await Promise.all([dictionaryOf(db), publicFaqs(db, now, 'all')]);
  const groups: string[][] = [...QA_SYNONYMS.map((g) => [...g])];
  for (const [w, others] of dict.synonyms) groups.push([w, ...others]);
  const seg = dict.segmenter;
  const items: KnowledgeEntry[] = entries.map((e) => ({ id: e.id, siteId: e.siteId, question: e.question, variants: e.variants, topic: e.topic, answerText: e.answerText }));
  const matcher = new FaqMatcher(items, { words: (t) => seg.queryWords(t), parts: (w) => seg.parts(w) }, groups);
  return { matcher, entries: new Map(items.map((i) => [i.id, i])), key };
}

/** The matcher of a database's public knowledge base now. */
export async function knowledgeOf(db: DB, now: Date): Promise<Knowledge> {
  const c = cache.get(db);
  const t = Date.now();
  if (c && t - c.checkedAt < CHECK_MS) return c.k;
  const pending = loading.get(db);
  if (pending) return pending;
  const p = (async () => {
    const dict = await dictionaryOf(db);
    const key = `${await knowledgeVersion(db)}|${dict.version}`;
    const k = c && c.k.key === key ? c.k : await build(db, now, key);
    cache.set(db, { k, checkedAt: Date.now() });
    return k;
  })();
  loading.set(db, p);
  try {
    return await p;
  } finally {
    loading.delete(db);
  }
}

/** Forgets this process's copy (after a change committed here, so the next question sees it). */
export function forgetKnowledge(db: DB): void {
  cache.delete(db);
}
