import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';
export type DB = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Anything a query can run on: the database or an open transaction. */
export type Queryable = Kysely<Database>;

export interface Store {
  db: DB;
  dialect: Dialect;
  /** SQLite only: the file, for online backup. */
  sqlitePath?: string;
  /** PostgreSQL only: the connection string (a worker's LISTEN connection, pg_dump). */
  databaseUrl?: string;
  close(): Promise<void>;
}

// PostgreSQL returns BIGINT (count(*), sums) as strings by default; ours fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export function openStore(opts: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Store {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    // An idle client losing its connection (server restart, dropped test database) must not crash
    // the process; the pool replaces it and the next query reports any real problem.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', databaseUrl: opts.databaseUrl, close: () => db.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = path.join(opts.dataDir, 'db.sqlite');
  const sqlite = openSqliteFile(file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlitePath: file, close: () => db.destroy() };
}

export function openSqliteFile(file: string): SQLite.Database {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return sqlite;
}

/** Builds the connection string of another database on the same PostgreSQL server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
