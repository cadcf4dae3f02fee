import type { Dialect } from '../../../db/index.js';
import { postgresEngine } from './postgres.js';
import { sqliteEngine } from './sqlite.js';
import type { SearchEngine } from './types.js';

export type { EngineQuery, EngineResult, SearchEngine } from './types.js';

/** The engine of a database: FTS5 on SQLite, tsvector/GIN on PostgreSQL. */
export const engineFor = (dialect: Dialect): SearchEngine => (dialect === 'postgres' ? postgresEngine : sqliteEngine);
