import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_URL, type TestEnv, createTestStore, makeColumn, makeSite, makeUser } from '../../../test/helpers.js';
import { withDatabase } from '../../db/index.js';
import { systemActor } from '../accounts/actor.js';
import * as audit from '../accounts/audit.js';
import { BackupError, createBackup, restoreBackup } from './backup.js';

let src: TestEnv;
let dst: TestEnv;

beforeAll(async () => {
  src = await createTestStore();
  dst = await createTestStore();
});
afterAll(async () => {
  await src.close();
  await dst.close();
});

/** Every row of the tables that matter, as one comparable value. */
async function snapshot(env: TestEnv) {
  const db = env.store.db;
  return {
    sites: await db.selectFrom('sites').selectAll().orderBy('id').execute(),
    columns: await db.selectFrom('columns').selectAll().orderBy('id').execute(),
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    audit: await db.selectFrom('audit_log').selectAll().orderBy('id').execute(),
  };
}

describe('backup and restore', () => {
  it('round-trips the database and media without losing anything', async () => {
    const site = await makeSite(src.store, 'fgw', { name: '示范市发展和改革委员会' });
    await makeColumn(src.store, site, 'tzgg', { name: '通知公告' });
    await makeUser(src.store, 'editor1', [{ role: 'editor', siteId: site }]);
    await src.store.db.transaction().execute((tx) =>
      audit.record(tx, { actor: systemActor('test'), ip: null, now: new Date(), dialect: src.store.dialect }, 'site.create', { type: 'site', id: site }, null, { name: '示范市发展和改革委员会 🏛' }),
    );
    const mediaFile = path.join(src.dataDir, 'media', '2026', '11', 'abc.pdf');
    fs.mkdirSync(path.dirname(mediaFile), { recursive: true });
    fs.writeFileSync(mediaFile, Buffer.from('%PDF-1.4 示范 文件'));

    const file = path.join(src.dataDir, 'backups', 'b1.tar.gz');
    const manifest = await createBackup(src.store, src.dataDir, src.store.dialect === 'postgres' ? dbUrl(src) : undefined, file, new Date());
    expect(manifest.counts.sites).toBe(1);
    expect(manifest.migrations).toContain('0001_initial');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['b1.tar.gz']); // no temp file left

    const before = await snapshot(src);
    if (dst.store.dialect === 'sqlite') await dst.store.close(); // the server is stopped for a restore
    await restoreBackup({ file, dataDir: dst.dataDir, dialect: dst.store.dialect, databaseUrl: dst.store.dialect === 'postgres' ? dbUrl(dst) : undefined, now: new Date() });
    if (dst.store.dialect === 'sqlite') dst = await reopen(dst);

    expect(await snapshot(dst)).toEqual(before);
    expect(fs.readFileSync(path.join(dst.dataDir, 'media', '2026', '11', 'abc.pdf'), 'utf8')).toBe('%PDF-1.4 示范 文件');
    expect((await audit.verifyChain(dst.store.db)).ok).toBe(true);
  });

  it('refuses a file that is not a backup, and one whose entries escape the target', async () => {
    const junk = path.join(src.dataDir, 'junk.tar.gz');
    fs.writeFileSync(junk, 'not a tarball');
    await expect(restoreBackup({ file: junk, dataDir: dst.dataDir, dialect: dst.store.dialect, now: new Date() })).rejects.toBeInstanceOf(BackupError);

    const evilDir = path.join(src.dataDir, 'evil');
    fs.mkdirSync(evilDir, { recursive: true });
    fs.writeFileSync(path.join(evilDir, 'x.txt'), 'owned');
    const evil = path.join(src.dataDir, 'evil.tar.gz');
    await tar.create({ gzip: true, file: evil, cwd: evilDir, prefix: '../../../../tmp/jiyue-escape' }, ['x.txt']);
    await expect(restoreBackup({ file: evil, dataDir: dst.dataDir, dialect: dst.store.dialect, now: new Date() })).rejects.toBeInstanceOf(BackupError);
    expect(fs.existsSync('/tmp/jiyue-escape/x.txt')).toBe(false);
  });
});

function dbUrl(env: TestEnv): string {
  // createTestStore names each PostgreSQL database; recover it from the config.
  return env.config.databaseUrl ?? withDatabase(DATABASE_URL!, 'postgres');
}

async function reopen(env: TestEnv): Promise<TestEnv> {
  const { openStore } = await import('../../db/index.js');
  const store = openStore({ dataDir: env.dataDir });
  return { ...env, store, close: async () => { await store.close(); fs.rmSync(env.dataDir, { recursive: true, force: true }); } };
}
