/**
 * Test fixtures of the publisher: a test app whose publishing jobs render with a given renderer
 * into a given directory (whatever the app registered itself), and users' contexts for calling
 * commands directly. Test-only.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { TestApp } from '../../../../test/helpers.js';
import type { Ctx } from '../../../lib/ctx.js';
import { loadGrants } from '../../accounts/sessions.js';
import { eventJob, registerPublishingJobs } from './jobs.js';
import { PUBLISHING_EVENTS } from './affected.js';
import type { Publisher } from './publisher.js';
import type { PageRenderer } from './render.js';

/**
 * Replaces the app's publishing jobs (if the app registered any) by ones rendering with
 * `renderer` into `publicDir` (default `<dataDir>/public`).
 */
export function usePublisher(t: TestApp, renderer: PageRenderer, opts: { publicDir?: string; fsync?: boolean } = {}): Publisher {
  const jobs = t.jiyue.jobs;
  for (const type of [...jobs.handlers.keys()]) if (type.startsWith('publishing.')) jobs.handlers.delete(type);
  for (const event of PUBLISHING_EVENTS) jobs.subscribers.set(event, (jobs.subscribers.get(event) ?? []).filter((s) => s !== eventJob(event)));
  for (let i = jobs.recurring.length - 1; i >= 0; i--) if (jobs.recurring[i]!.type.startsWith('publishing.')) jobs.recurring.splice(i, 1);
  const publicDir = opts.publicDir ?? path.join(t.dataDir, 'public');
  fs.mkdirSync(publicDir, { recursive: true });
  return registerPublishingJobs(t.jiyue, { renderer, publicDir, fsync: opts.fsync ?? false });
}

/** A command context acting as a user (with the user's grants), at the test clock's time. */
export async function userCtx(t: TestApp, username: string): Promise<Ctx> {
  const u = await t.store.db.selectFrom('users').select(['id', 'username', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow();
  return {
    store: t.store,
    db: t.store.db,
    dialect: t.store.dialect,
    config: t.config,
    actor: { kind: 'user', id: u.id, username: u.username, displayName: u.display_name, grants: await loadGrants(t.store.db, u.id), via: 'token', mustChangePassword: false },
    ip: null,
    now: t.now.value,
    log: pino({ level: 'silent' }),
    lang: 'zh-CN',
  };
}

/** Every file under a directory: relative path → bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.set(r, fs.readFileSync(path.join(d, e.name)));
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

/** Paths that differ between two trees (missing on either side, or different bytes). */
export function treeDiff(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const out: string[] = [];
  for (const [p, buf] of a) {
    const other = b.get(p);
    if (!other) out.push(`only in incremental: ${p}`);
    else if (!buf.equals(other)) out.push(`differs: ${p}`);
  }
  for (const p of b.keys()) if (!a.has(p)) out.push(`only in full build: ${p}`);
  return out.sort();
}
