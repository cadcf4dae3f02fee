import pino, { type Logger } from 'pino';
import { type Config, loadConfig } from '../config.js';
import { type Store, openStore } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';

export interface Runtime {
  config: Config;
  store: Store;
  log: Logger;
}

/** Config, logger and a migrated database: what every command starts from. */
export async function openRuntime(opts: { migrate?: boolean } = {}): Promise<Runtime> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { app: 'jiyue' } });
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (opts.migrate !== false) {
    const applied = await migrateToLatest(store);
    if (applied.length) log.info({ applied }, 'database migrated');
  }
  return { config, store, log };
}
