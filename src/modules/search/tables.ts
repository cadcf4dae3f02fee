import type { Generated } from 'kysely';

/**
 * One searchable public item (an article now; FAQ entries, service guides and published letters
 * later), whatever engine indexes it. `id` is not a counter: it orders documents by date (see
 * documents.ts `documentId`), so the engines can read the newest matches first without sorting.
 * The engine's own structures (SQLite's FTS5 table `search_fts`, PostgreSQL's `tsv` column on
 * this table) are created by the migration and touched only by the dialect adapters in engine/.
 */
export interface SearchDocumentTable {
  id: number;
  /** 'article' | 'disclosure' | 'service' | 'letter' | 'faq' (DOCUMENT_TYPES). */
  type: string;
  /** The item's id in its own module (articles.id for 'article'). */
  source_id: number;
  site_id: number;
  organisation_id: number | null;
  column_id: number | null;
  /** ISO time the item went public (its displayed date). */
  date: string;
  /** Days since 1970-01-01 (Beijing date) of `date`, for ranking and range filters. */
  day: number;
  title: string;
  /** Reading text (no markup), for snippets. */
  body: string;
  url: string;
  /** Ranking multiplier of authoritative sources (portal, disclosure): ranking.ts. */
  authority: number;
  indexed_at: string;
}

/** Other sites an item appears in (syndicated placements): found by a search within those sites too. */
export interface SearchPlacementTable {
  document_id: number;
  site_id: number;
}

/** Government terms added to the segmentation dictionary (department abbreviations, services, policy words). */
export interface SearchTermTable {
  id: Generated<number>;
  word: string;
  /** 'department' | 'service' | 'policy' | 'place' | 'other'. */
  kind: string;
  created_at: string;
  updated_at: string;
}

/** A group of words meaning the same thing (社保 / 社会保险): a query for one finds the others. */
export interface SearchSynonymTable {
  id: Generated<number>;
  /** JSON array of 2..10 words. */
  words: string;
  created_at: string;
  updated_at: string;
}

/** Words that keep a query out of the hot-search list (an administrator's blocklist). */
export interface SearchBlockedWordTable {
  id: Generated<number>;
  word: string;
  created_at: string;
}

/** Every query asked (personal numbers masked), flushed in batches: hot searches and suggestions. */
export interface SearchQueryLogTable {
  id: Generated<number>;
  at: string;
  /** Normalised query text (trimmed, at most 100 characters, long digit runs masked). */
  q: string;
  site_id: number | null;
  results: number;
}
