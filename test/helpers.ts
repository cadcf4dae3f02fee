import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { type JiyueApp, buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { type Store, openStore, withDatabase } from '../src/db/index.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { hashPassword } from '../src/modules/accounts/passwords.js';
import { insertUser } from '../src/modules/accounts/store.js';
import type { Role } from '../src/modules/accounts/actor.js';
import { iso } from '../src/lib/time.js';
import { Worker } from '../src/modules/jobs/worker.js';

export const DATABASE_URL = process.env.DATABASE_URL || undefined;
export const DIALECT = DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestEnv {
  store: Store;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

let counter = 0;

/** A fresh, migrated database of the dialect under test (SQLite file, or a new PostgreSQL database). */
export async function createTestStore(): Promise<TestEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-test-'));
  let dbName: string | undefined;
  let url: string | undefined;
  if (DATABASE_URL) {
    dbName = `jiyue_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    url = withDatabase(DATABASE_URL, dbName);
  }
  const config = loadConfig({ JIYUE_DATA_DIR: dataDir, DATABASE_URL: url ?? '', JIYUE_DEMO: '0', JIYUE_LOG_LEVEL: 'silent' });
  const store = openStore({ databaseUrl: url, dataDir, poolSize: 5 });
  await migrateToLatest(store);
  return {
    store,
    config,
    dataDir,
    async close() {
      await store.close();
      if (dbName && DATABASE_URL) {
        const admin = new pg.Client({ connectionString: DATABASE_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestEnv {
  jiyue: JiyueApp;
  now: { value: Date };
}

/** A built app on a fresh database, with a controllable clock (`t.now.value = …`). */
export async function createTestApp(): Promise<TestApp> {
  const env = await createTestStore();
  const now = { value: new Date('2026-11-20T02:00:00.000Z') };
  const jiyue = await buildApp({ config: env.config, store: env.store, log: pino({ level: 'silent' }), clock: () => now.value });
  await jiyue.app.ready();
  return {
    ...env,
    jiyue,
    now,
    async close() {
      await jiyue.app.close();
      await env.close();
    },
  };
}

// ---------- builders: small, explicit fixtures (STYLE.md §8) ----------

const T0 = '2026-01-01T00:00:00.000Z';
export const PASSWORD = 'Test-Passw0rd!';
let cachedHash: Promise<string> | undefined;

export async function makeOrg(store: Store, code: string, name = code, parentId: number | null = null): Promise<number> {
  const r = await store.db
    .insertInto('organisations')
    .values({ code, name, kind: 'department', parent_id: parentId, sort: 0, created_at: T0, updated_at: T0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function makeSite(store: Store, code: string, opts: { name?: string; orgId?: number } = {}): Promise<number> {
  const orgId = opts.orgId ?? (await makeOrg(store, `org-${code}`, `${code} 单位`));
  const r = await store.db
    .insertInto('sites')
    .values({ code, name: opts.name ?? `${code} 网站`, organisation_id: orgId, language: 'zh-CN', theme: 'default', status: 'open', settings: '{}', sort: 0, created_at: T0, updated_at: T0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function makeColumn(
  store: Store,
  siteId: number,
  slug: string,
  opts: { parentId?: number | null; name?: string; reviewLevels?: number; kind?: 'list' | 'page' | 'link' } = {},
): Promise<{ id: number; idPath: string; path: string }> {
  const parent = opts.parentId ? await store.db.selectFrom('columns').select(['id_path', 'path']).where('id', '=', opts.parentId).executeTakeFirstOrThrow() : null;
  const colPath = parent ? `${parent.path}/${slug}` : slug;
  const r = await store.db
    .insertInto('columns')
    .values({
      site_id: siteId,
      parent_id: opts.parentId ?? null,
      name: opts.name ?? slug,
      slug,
      path: colPath,
      id_path: '/',
      kind: opts.kind ?? 'list',
      sort: 0,
      update_interval_days: null,
      review_levels: opts.reviewLevels ?? 1,
      link_url: null,
      description: '',
      keywords: '',
      templates: '{}',
      status: 'active',
      created_at: T0,
      updated_at: T0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const idPath = `${parent?.id_path ?? '/'}${r.id}/`;
  await store.db.updateTable('columns').set({ id_path: idPath }).where('id', '=', r.id).execute();
  return { id: r.id, idPath, path: colPath };
}

export interface GrantSpec {
  role: Role;
  siteId?: number | null;
  columnId?: number | null;
  reviewLevel?: number | null;
}

export async function makeUser(store: Store, username: string, grants: GrantSpec[] = [], opts: { mustChangePassword?: boolean } = {}): Promise<number> {
  cachedHash ??= hashPassword(PASSWORD);
  const r = { id: await insertUser(store.db, { username, displayName: username, passwordHash: await cachedHash, mustChangePassword: !!opts.mustChangePassword, now: T0 }) };
  for (const g of grants) {
    await store.db
      .insertInto('grants')
      .values({ user_id: r.id, role: g.role, site_id: g.siteId ?? null, column_id: g.columnId ?? null, review_level: g.reviewLevel ?? null, created_by: null, created_at: iso(new Date(T0)) })
      .execute();
  }
  return r.id;
}

// ---------- an HTTP client that logs in and carries cookie + CSRF ----------

export interface Client {
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  get(url: string): ReturnType<Client['request']>;
  post(url: string, body?: unknown): ReturnType<Client['request']>;
  put(url: string, body?: unknown): ReturnType<Client['request']>;
  patch(url: string, body?: unknown): ReturnType<Client['request']>;
  del(url: string): ReturnType<Client['request']>;
}

function clientWith(t: TestApp, auth: { cookie?: string; csrf?: string; bearer?: string }): Client {
  const request: Client['request'] = async (method, url, body, headers = {}) => {
    const h: Record<string, string> = { ...headers };
    if (auth.cookie) h.cookie = auth.cookie;
    if (auth.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = auth.csrf;
    if (auth.bearer) h.authorization = `Bearer ${auth.bearer}`;
    const res = await t.jiyue.app.inject({ method: method as any, url, headers: h, ...(body === undefined ? {} : { payload: body as any }) });
    let parsed: unknown = res.body;
    if (String(res.headers['content-type'] ?? '').includes('json')) parsed = res.body ? JSON.parse(res.body) : null;
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
  return {
    request,
    get: (u) => request('GET', u),
    post: (u, b) => request('POST', u, b ?? {}),
    put: (u, b) => request('PUT', u, b ?? {}),
    patch: (u, b) => request('PATCH', u, b ?? {}),
    del: (u) => request('DELETE', u),
  };
}

export const anonymousClient = (t: TestApp): Client => clientWith(t, {});
export const bearerClient = (t: TestApp, token: string): Client => clientWith(t, { bearer: token });

/** Logs in through the real API and returns a client carrying the session cookie and CSRF token. */
export async function loginAs(t: TestApp, username: string, password = PASSWORD): Promise<Client> {
  const res = await t.jiyue.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0]! : String(setCookie);
  return clientWith(t, { cookie: raw.split(';')[0]!, csrf: JSON.parse(res.body).csrfToken });
}

/** Counts rows of a table (to assert that nothing was stored). */
export async function countRows(store: Store, table: 'articles' | 'sites' | 'columns' | 'users' | 'grants' | 'organisations' | 'media' | 'audit_log' | 'api_tokens' | 'syndications' | 'article_versions' | 'jobs' | 'sessions'): Promise<number> {
  const r = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Runs every due job (events, scheduled publications …) with the app's registry and clock. */
export async function runJobs(t: TestApp): Promise<number> {
  return new Worker(t.store, t.jiyue.jobs, pino({ level: 'silent' }), () => t.now.value).drain();
}
