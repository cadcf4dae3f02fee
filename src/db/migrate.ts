import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Dialect, Store } from './index.js';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_publishing.js';
import * as m0003 from './migrations/0003_search.js';
import * as m0004 from './migrations/0004_interaction.js';
import * as m0005 from './migrations/0005_search_inline_tsv.js';

export interface DialectMigration {
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
  down?(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

/** Versioned migrations, in order. Never edit a released one: add the next number. */
const MIGRATIONS: Record<string, DialectMigration> = {
  '0001_initial': m0001,
  '0002_publishing': m0002,
  '0003_search': m0003,
  '0004_interaction': m0004,
  '0005_search_inline_tsv': m0005,
};

function provider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, m] of Object.entries(MIGRATIONS)) {
        out[name] = {
          up: (db) => m.up(db, dialect),
          ...(m.down ? { down: (db: Kysely<any>) => m.down!(db, dialect) } : {}),
        };
      }
      return out;
    },
  };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: provider(store.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
