import fs from 'node:fs';
import path from 'node:path';
import { systemClock, iso } from '../lib/time.js';
import { verifyChain } from '../modules/accounts/audit.js';
import { bootstrapAdmins } from '../modules/accounts/bootstrap.js';
import { DEMO_PASSWORD, seedIfEmpty } from '../seed/seed.js';
import { openRuntime } from './runtime.js';
import { VERSION } from '../app.js';
import { buildSignature, recordedSignature } from '../modules/publishing/build/freshness.js';
import { DEFAULT_THEMES_DIR } from '../modules/publishing/theme/index.js';

export async function seedCommand(): Promise<number> {
  const { config, store, log } = await openRuntime();
  try {
    await bootstrapAdmins(store, systemClock(), config.adminPassword);
    const seeded = await seedIfEmpty(store, config, log, systemClock());
    console.log(seeded ? `demo cluster seeded (demo users' password: ${DEMO_PASSWORD})` : 'the database already has sites: nothing seeded');
    return 0;
  } finally {
    await store.close();
  }
}

export async function tokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const opt = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const user = opt('user');
  if (sub !== 'create' || !user) {
    console.error('用法 (usage): jiyue token create --user NAME [--name LABEL]');
    return 2;
  }
  const { store } = await openRuntime();
  try {
    const { createTokenForUser } = await import('../modules/accounts/index.js');
    const r = await createTokenForUser(store, user, opt('name') ?? 'cli', systemClock());
    if (!r.ok) {
      console.error(`无法创建令牌：${r.message}`);
      return 1;
    }
    console.log(r.value.token);
    console.error(`token ${r.value.prefix}… created for ${user}; it is shown only now. Use: Authorization: Bearer <token>`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `jiyue check`: a self-inspection report; exit 1 if anything is wrong. */
export async function checkCommand(): Promise<number> {
  const { config, store } = await openRuntime();
  const lines: [boolean, string][] = [];
  try {
    const now = systemClock();
    lines.push([true, `database: ${store.dialect} reachable`]);
    const chain = await verifyChain(store.db);
    lines.push([chain.ok, chain.ok ? `audit log: ${chain.entries} entries, hash chain intact` : `audit log: chain broken at entry ${chain.brokenAt}: ${chain.reason}`]);
    const oldest = await store.db.selectFrom('audit_log').select('at').orderBy('id').limit(1).executeTakeFirst();
    if (oldest) lines.push([true, `audit log: oldest entry ${oldest.at} (kept at least 6 months; entries cannot be deleted)`]);
    const failed = await store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'failed').executeTakeFirstOrThrow();
    lines.push([Number(failed.n) === 0, `jobs: ${failed.n} failed`]);
    const overdue = await store.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'approved')
      .where('publish_at', '<=', iso(new Date(now.getTime() - 60_000)))
      .executeTakeFirstOrThrow();
    lines.push([Number(overdue.n) === 0, `scheduled publications overdue: ${overdue.n}`]);
    const stuck = await store.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').where('run_at', '<', iso(new Date(now.getTime() - 10 * 60_000))).executeTakeFirstOrThrow();
    lines.push([Number(stuck.n) === 0, `jobs waiting more than 10 minutes: ${stuck.n} (is a worker running?)`]);
    // The static output follows the database: published files on record, and whether a rebuild is due.
    const files = await store.db.selectFrom('published_files').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('written_at').as('last')]).executeTakeFirstOrThrow();
    if (Number(files.n) === 0) lines.push([true, 'static pages: none published yet (jiyue build, or start the server)']);
    else {
      const fresh = (await recordedSignature(store.db)) === buildSignature(DEFAULT_THEMES_DIR, VERSION);
      lines.push([fresh, `static pages: ${files.n} files, last written ${files.last}${fresh ? ', built from the deployed theme' : '; the theme changed since the last full build (jiyue build, or the server queues one at start)'}`]);
    }
    for (const dir of ['media', 'public', 'backups']) {
      const p = path.join(config.dataDir, dir);
      fs.mkdirSync(p, { recursive: true });
      try {
        fs.accessSync(p, fs.constants.W_OK);
        lines.push([true, `${dir}/: writable`]);
      } catch {
        lines.push([false, `${dir}/: not writable`]);
      }
    }
    const st = fs.statfsSync(config.dataDir);
    const freeGiB = (st.bavail * st.bsize) / 2 ** 30;
    lines.push([freeGiB > 1, `disk: ${freeGiB.toFixed(1)} GiB free in ${config.dataDir}`]);
  } catch (e) {
    lines.push([false, `check failed: ${(e as Error).message}`]);
  } finally {
    await store.close();
  }
  for (const [good, text] of lines) console.log(`${good ? 'ok  ' : 'FAIL'} ${text}`);
  const bad = lines.filter(([g]) => !g).length;
  console.log(bad ? `${bad} problem(s) found` : 'all checks passed');
  return bad ? 1 : 0;
}
