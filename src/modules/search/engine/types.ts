/**
 * The index interface (STYLE.md §4): one small implementation per database, chosen by the
 * store's dialect. Raw SQL lives only in the two adapters, always parameterised.
 */
import type { DB } from '../../../db/index.js';
import type { IndexedDocument } from '../documents.js';
import type { QueryPlan } from '../query.js';
import type { RankLimits } from '../ranking.js';

export interface EngineQuery {
  plan: Pick<QueryPlan, 'groups'>;
  siteId?: number | undefined;
  type?: string | undefined;
  /** Inclusive day numbers (documents.ts). */
  fromDay?: number | undefined;
  toDay?: number | undefined;
  sort: 'relevance' | 'date';
  offset: number;
  limit: number;
  /** Today's day number (recency). */
  today: number;
  /** Match the title only. */
  titleOnly?: boolean;
  /** The last word as a prefix (suggestions while typing). */
  prefixLast?: boolean;
  /** Count only as far as choosing how to rank needs (suggestions). */
  noTotal?: boolean;
  /** Counting and ranking thresholds (the engine's ranking.ts RANK_LIMITS unless a test lowers them). */
  limits?: RankLimits | undefined;
}

export interface EngineResult {
  /** Matches, counted up to the count limit (strategy.ts). */
  total: number;
  /** There are more matches than `total` ("10,000+"). */
  totalIsLowerBound: boolean;
  /** Document ids in result order. */
  ids: number[];
}

export interface SearchEngine {
  readonly name: 'fts5' | 'postgres';
  /** Adds documents (their ids must not be in the index: remove first). */
  insert(tx: DB, docs: readonly IndexedDocument[]): Promise<void>;
  remove(tx: DB, ids: readonly number[]): Promise<void>;
  /** Empties the index. */
  clear(tx: DB): Promise<void>;
  search(db: DB, q: EngineQuery): Promise<EngineResult>;
  /** Compacts the index and refreshes statistics after a rebuild. */
  optimize(db: DB): Promise<void>;
}

/** Id ranges of a day filter (ids are ordered by day). */
export { firstIdOfDay } from '../documents.js';
