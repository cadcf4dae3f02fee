import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { openStore } from '../src/db/index.js';
import { type TestEnv, countRows, createTestStore, makeSite, makeUser } from './helpers.js';

const BIN = path.resolve('bin/jiyue.mjs');

function jiyue(env: TestEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, JIYUE_DATA_DIR: env.dataDir, DATABASE_URL: env.config.databaseUrl ?? '', JIYUE_LOG_LEVEL: 'silent', JIYUE_DEMO: '0' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let a: TestEnv;
let b: TestEnv;
beforeAll(async () => {
  a = await createTestStore();
  b = await createTestStore();
  await makeSite(a.store, 'cli');
  await makeUser(a.store, 'oa_integration');
});
afterAll(async () => {
  await a.close();
  await b.close();
});

describe('the jiyue command line', () => {
  it('explains itself and refuses unknown commands and missing arguments with exit 2', () => {
    expect(jiyue(a, 'help').out).toMatch(/backup <file>/);
    const bad = jiyue(a, 'frobnicate');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/未知命令/);
    expect(jiyue(a, 'backup').code).toBe(2);
    expect(jiyue(a, 'token', 'create').code).toBe(2);
  });

  it('migrates (idempotently) and passes its self-check', () => {
    expect(jiyue(a, 'migrate').out).toMatch(/up to date/);
    const check = jiyue(a, 'check');
    expect(check.out).toMatch(/audit log: \d+ entries, hash chain intact/);
    expect(check.code).toBe(0);
  });

  it('builds every public page with progress, prints pages and pages/s, and the self-check then finds the output fresh', async () => {
    const c = await createTestStore();
    try {
      expect(jiyue(c, 'seed').code).toBe(0);
      const r = jiyue(c, 'build');
      expect(r.code, r.err).toBe(0);
      const m = /built (\d+) pages \((\d+) files\) in [\d.]+ s: (\d+) pages\/s/.exec(r.out);
      expect(m, r.out).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(500); // the demo cluster, in both scripts
      expect(r.err).toMatch(/build: 100% \(/); // the progress line (not a terminal: every 10 %)
      expect(fs.existsSync(path.join(c.dataDir, 'public', 'jyj', 'index.html'))).toBe(true);
      expect(fs.existsSync(path.join(c.dataDir, 'public', 'zh-hant', 'jyj', 'index.html'))).toBe(true);
      expect(jiyue(c, 'check').out).toMatch(/static pages: \d+ files, last written .*, built from the deployed theme/);
      // The theme's record is gone (as after a deployment that changed it): the self-check says so.
      await c.store.db.deleteFrom('settings').where('key', '=', 'publishing.build_signature').execute();
      const stale = jiyue(c, 'check');
      expect(stale.code).toBe(1);
      expect(stale.out).toMatch(/FAIL static pages: .*the theme changed since the last full build/);
    } finally {
      await c.close();
    }
  }, 120_000);

  it('creates an API token that authenticates, and refuses an unknown user', async () => {
    const r = jiyue(a, 'token', 'create', '--user', 'oa_integration', '--name', '办公系统');
    expect(r.code).toBe(0);
    const token = r.out.trim();
    expect(token).toMatch(/^jy_[\w-]{40,}$/);
    const app = await buildApp({ config: a.config, store: a.store, log: pino({ level: 'silent' }), clock: () => new Date() });
    const me = await app.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    await app.app.close();
    expect(JSON.parse(me.body).username).toBe('oa_integration');
    const nobody = jiyue(a, 'token', 'create', '--user', 'nobody');
    expect(nobody.code).toBe(1);
    expect(nobody.err).toMatch(/无法创建令牌/);
  });

  it('reports a broken audit chain with exit 1', async () => {
    const env = await createTestStore();
    try {
      await makeUser(env.store, 'x');
      // Forge an entry whose hash does not match (inserts are allowed; edits are not).
      await env.store.db.insertInto('audit_log').values({ at: new Date().toISOString(), actor_id: null, actor_name: 'intruder', action: 'x', target_type: 'x', target_id: null, site_id: null, before: null, after: null, ip: null, prev_hash: '0'.repeat(64), hash: 'f'.repeat(64) }).execute();
      const r = jiyue(env, 'check');
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/FAIL audit log: chain broken/);
    } finally {
      await env.close();
    }
  });

  it('backs up while running and restores into another installation', async () => {
    fs.mkdirSync(path.join(a.dataDir, 'media', '2026', '11'), { recursive: true });
    fs.writeFileSync(path.join(a.dataDir, 'media', '2026', '11', 'f.pdf'), '%PDF-1.4 附件');
    const file = path.join(a.dataDir, 'backups', 'nightly.tar.gz');
    const backup = jiyue(a, 'backup', file);
    expect(backup.err).toBe('');
    expect(backup.code).toBe(0);
    expect(fs.statSync(file).size).toBeGreaterThan(100);

    if (b.store.dialect === 'sqlite') await b.store.close();
    const restore = jiyue(b, 'restore', file);
    expect(restore.code).toBe(0);
    const store = b.store.dialect === 'sqlite' ? openStore({ dataDir: b.dataDir }) : b.store;
    expect(await countRows(store, 'users')).toBe(await countRows(a.store, 'users'));
    expect(await countRows(store, 'sites')).toBe(1);
    expect(await countRows(store, 'api_tokens')).toBe(1);
    expect(fs.readFileSync(path.join(b.dataDir, 'media', '2026', '11', 'f.pdf'), 'utf8')).toBe('%PDF-1.4 附件');
    if (store !== b.store) {
      await store.close();
      b = { ...b, store: openStore({ dataDir: b.dataDir }) };
    }
    const missing = jiyue(b, 'restore', path.join(b.dataDir, 'nope.tar.gz'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/备份文件不存在/);
  });
});
