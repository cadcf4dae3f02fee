import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import * as tar from 'tar';
import type { Store } from '../../db/index.js';

/**
 * Backup and restore (docs/operations.md). A backup is one .tar.gz holding `manifest.json`, the
 * database (`db.sqlite` from SQLite's online backup API, or `db.pgdump` from `pg_dump -Fc`) and
 * `media/`. The database is copied first, then the media: media files are only ever added before
 * the row that names them, so every file a restored row refers to is in the archive.
 * The static output (`public/`) is not included: it is derived, and `jiyue build` regenerates it.
 */
export const BACKUP_FORMAT = 'jiyue-backup';
export const BACKUP_VERSION = 1;

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  dialect: Store['dialect'];
  migrations: string[];
  counts: Record<string, number>;
}

const COUNTED = ['organisations', 'sites', 'columns', 'users', 'articles', 'article_versions', 'media', 'audit_log'] as const;

export class BackupError extends Error {}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', (e) => reject(new BackupError(`${cmd} 无法运行：${e.message}（PostgreSQL 备份需要 postgresql-client）`)));
    p.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${cmd} 失败 (exit ${code})：${err.trim()}`))));
  });
}

async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of COUNTED) {
    const r = await store.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

async function migrations(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('kysely_migration' as any)
    .select('name' as any)
    .orderBy('name' as any)
    .execute();
  return rows.map((r: any) => String(r.name));
}

/** Writes a consistent snapshot to `file` (atomically: temp name, then rename) while the server runs. */
export async function createBackup(store: Store, dataDir: string, databaseUrl: string | undefined, file: string, now: Date): Promise<Manifest> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(dataDir, '.backup-'));
  const tmp = `${target}.tmp-${crypto.randomBytes(4).toString('hex')}`;
  try {
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: now.toISOString(),
      dialect: store.dialect,
      migrations: await migrations(store),
      counts: await counts(store),
    };
    const entries = ['manifest.json'];
    if (store.dialect === 'sqlite') {
      const src = new SQLite(store.sqlitePath!, { readonly: true, fileMustExist: true });
      try {
        await src.backup(path.join(staging, 'db.sqlite'));
      } finally {
        src.close();
      }
      entries.push('db.sqlite');
    } else {
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(staging, 'db.pgdump')}`, `--dbname=${databaseUrl}`]);
      entries.push('db.pgdump');
    }
    const media = path.join(dataDir, 'media');
    if (fs.existsSync(media)) {
      fs.symlinkSync(media, path.join(staging, 'media'), 'dir');
      entries.push('media');
    }
    fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await tar.create({ gzip: true, file: tmp, cwd: staging, follow: true, portable: true }, entries);
    const fd = fs.openSync(tmp, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, target);
    return manifest;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(tmp, { force: true });
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  const f = path.join(dir, 'manifest.json');
  if (!fs.existsSync(f)) throw new BackupError('不是有效的 Jiyue 备份文件：缺少 manifest.json');
  const m = JSON.parse(fs.readFileSync(f, 'utf8')) as Manifest;
  if (m.format !== BACKUP_FORMAT) throw new BackupError('不是有效的 Jiyue 备份文件');
  if (m.version > BACKUP_VERSION) throw new BackupError(`备份格式版本 ${m.version} 比本程序新，请升级后再恢复`);
  return m;
}

/**
 * Restores a backup into the configured data directory and database. Stop the server first.
 * SQLite: the current database and media are moved aside to `backups/pre-restore-<time>/` and the
 * restored ones renamed into place. PostgreSQL: `pg_restore --clean` in one transaction.
 */
export async function restoreBackup(opts: { file: string; dataDir: string; dialect: Store['dialect']; databaseUrl?: string | undefined; now: Date }): Promise<Manifest> {
  const file = path.resolve(opts.file);
  if (!fs.existsSync(file)) throw new BackupError(`备份文件不存在：${file}`);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(opts.dataDir, '.restore-'));
  try {
    try {
      // node-tar refuses absolute paths and `..` entries, so a hostile archive cannot write outside `staging`.
      await tar.extract({ file, cwd: staging, strict: true });
    } catch (e) {
      throw new BackupError(`无法读取备份文件：${(e as Error).message}`);
    }
    const m = await readManifest(staging);
    if (m.dialect !== opts.dialect) throw new BackupError(`备份来自 ${m.dialect}，当前配置的数据库是 ${opts.dialect}；请使用相同类型的数据库恢复`);
    const aside = path.join(opts.dataDir, 'backups', `pre-restore-${opts.now.toISOString().replace(/[:.]/g, '-')}`);
    if (opts.dialect === 'sqlite') {
      const db = path.join(opts.dataDir, 'db.sqlite');
      fs.mkdirSync(aside, { recursive: true });
      for (const suffix of ['', '-wal', '-shm']) if (fs.existsSync(db + suffix)) fs.renameSync(db + suffix, path.join(aside, `db.sqlite${suffix}`));
      fs.renameSync(path.join(staging, 'db.sqlite'), db);
    } else {
      await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--dbname=${opts.databaseUrl}`, path.join(staging, 'db.pgdump')]);
    }
    const media = path.join(opts.dataDir, 'media');
    if (fs.existsSync(path.join(staging, 'media'))) {
      if (fs.existsSync(media)) {
        fs.mkdirSync(aside, { recursive: true });
        fs.renameSync(media, path.join(aside, 'media'));
      }
      fs.renameSync(path.join(staging, 'media'), media);
    }
    return m;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
