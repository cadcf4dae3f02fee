import { systemClock } from '../lib/time.js';
import { BackupError, createBackup, restoreBackup } from '../modules/backup/backup.js';
import { openRuntime } from './runtime.js';
import { loadConfig } from '../config.js';
import { openStore } from '../db/index.js';
import { migrateToLatest } from '../db/migrate.js';

export async function backupCommand(file: string): Promise<number> {
  const { config, store } = await openRuntime();
  try {
    const t0 = performance.now();
    const m = await createBackup(store, config.dataDir, config.databaseUrl, file, systemClock());
    console.log(`backup written: ${file} (${store.dialect}; ${Object.entries(m.counts).map(([k, v]) => `${k} ${v}`).join(', ')}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      console.error(`备份失败：${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await store.close();
  }
}

export async function restoreCommand(file: string): Promise<number> {
  const config = loadConfig();
  try {
    const m = await restoreBackup({ file, dataDir: config.dataDir, dialect: config.databaseUrl ? 'postgres' : 'sqlite', databaseUrl: config.databaseUrl, now: systemClock() });
    // A backup from an older release is brought up to this release's schema.
    const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await migrateToLatest(store);
    await store.close();
    console.log(`restored backup of ${m.createdAt} (${Object.entries(m.counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    console.log('static pages are not part of a backup: they are generated again from the restored database');
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      console.error(`恢复失败：${e.message}`);
      return 1;
    }
    throw e;
  }
}
