/**
 * THE property of incremental publishing (issue 3, "How it is proven"): after any sequence of
 * editorial actions — applied through the real commands, with the job worker draining after each
 * step as in production — the output kept up to date incrementally equals a full rebuild from the
 * database, file for file and byte for byte, and so does the manifest.
 *
 * Seeded: a failure prints the seed, the action log and the differing paths; re-run one seed with
 * PROPERTY_SEED=<n>. PROPERTY_SEQUENCES / PROPERTY_ACTIONS change the amount of work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECT, type TestApp, createTestApp, makeColumn, makeSite, makeUser, runJobs } from '../../../../test/helpers.js';
import type { Ctx } from '../../../lib/ctx.js';
import type { Result } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { createArticle, reviewArticle, reviewSyndication, submitArticle, syndicateArticle } from '../../content/index.js';
import { moveArticle } from '../../content/commands/moveArticle.js';
import { updateArticle } from '../../content/commands/updateArticle.js';
import { withdrawArticle } from '../../content/commands/withdrawArticle.js';
import { withdrawSyndication } from '../../content/commands/withdrawSyndication.js';
import { emit } from '../../jobs/index.js';
import { createColumn } from '../../sites/commands/createColumn.js';
import { moveColumn } from '../../sites/commands/moveColumn.js';
import { updateColumn } from '../../sites/commands/updateColumn.js';
import { updateSite } from '../../sites/commands/updateSite.js';
import { MemoryManifest } from './manifest.js';
import { Publisher } from './publisher.js';
import { ModelRenderer } from './testing.js';
import { readTree, treeDiff, usePublisher, userCtx } from './testApp.js';

const SEQUENCES = Number(process.env.PROPERTY_SEQUENCES ?? (DIALECT === 'postgres' ? 8 : 30));
const ACTIONS = Number(process.env.PROPERTY_ACTIONS ?? 25);
const ONLY_SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;
const SEED_BASE = Number(process.env.PROPERTY_SEED_BASE ?? 1000);

/** mulberry32: small, fast, good enough to pick actions. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(xs: readonly T[]): T | undefined {
      return xs.length === 0 ? undefined : xs[Math.floor(next() * xs.length)];
    },
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const WORDS = ['发展', '改革', '教育', '卫生', '医疗', '学校', '会议', '通知', '公告', '项目', '建设', '服务', '群众', '安全', '检查', '政策', '解读', '经济', '数据', '软件'];
const phrase = (r: Rng, n: number) => Array.from({ length: n }, () => r.pick(WORDS)!).join('');

interface World {
  t: TestApp;
  /** Where both outputs go: memory (tmpfs) when there is one — this test is about bytes, not disks. */
  scratch: string;
  renderer: ModelRenderer;
  publisher: Publisher;
  admin: string;
  sites: number[];
  portal: number;
  covers: number[];
  log: string[];
}

async function setUp(): Promise<World> {
  const t = await createTestApp();
  const renderer = new ModelRenderer();
  const scratch = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : t.dataDir, 'jiyue-property-'));
  const publisher = usePublisher(t, renderer, { publicDir: path.join(scratch, 'public') });
  const s = t.store;
  const www = await makeSite(s, 'www', { name: '示范市人民政府' });
  const jyj = await makeSite(s, 'jyj', { name: '示范市教育局' });
  const wsj = await makeSite(s, 'wsj', { name: '示范市卫生健康委员会' });
  const hk = await makeSite(s, 'hk', { name: '示範市港澳事務辦公室' });
  await s.db.updateTable('sites').set({ language: 'zh-TW' }).where('id', '=', hk).execute();
  await s.db.updateTable('sites').set({ settings: JSON.stringify({ siteIdCode: '3312000001', sponsor: '示范市人民政府办公室', phone: '0578-82001234' }) }).where('id', '=', www).execute();
  const zxzx = await makeColumn(s, www, 'zxzx', { name: '资讯中心', reviewLevels: 0 });
  await makeColumn(s, www, 'zwyw', { name: '政务要闻', reviewLevels: 0, parentId: zxzx.id });
  await makeColumn(s, www, 'bmdt', { name: '部门动态', reviewLevels: 1, parentId: zxzx.id });
  await makeColumn(s, www, 'about', { name: '走进示范', kind: 'page', reviewLevels: 0 });
  const jx = await makeColumn(s, jyj, 'xwzx', { name: '新闻中心', reviewLevels: 0 });
  await makeColumn(s, jyj, 'gzdt', { name: '工作动态', reviewLevels: 0, parentId: jx.id });
  await makeColumn(s, jyj, 'tzgg', { name: '通知公告', reviewLevels: 2, parentId: jx.id });
  await makeColumn(s, jyj, 'jgzn', { name: '机构职能', kind: 'page', reviewLevels: 0 });
  await makeColumn(s, jyj, 'wzlj', { name: '网站链接', kind: 'link' });
  await s.db.updateTable('columns').set({ link_url: 'https://www.gov.cn/' }).where('slug', '=', 'wzlj').execute();
  await makeColumn(s, wsj, 'wsdt', { name: '卫生动态', reviewLevels: 1 });
  await makeColumn(s, hk, 'xw', { name: '新聞', reviewLevels: 0 });
  const sites = [www, jyj, wsj, hk];
  await makeUser(
    s,
    'boss',
    [{ role: 'sysadmin' }, ...sites.map((siteId) => ({ role: 'site_admin' as const, siteId }))],
  );
  const covers: number[] = [];
  const u = (await s.db.selectFrom('users').select('id').where('username', '=', 'boss').executeTakeFirstOrThrow()).id;
  for (let i = 0; i < 2; i++) {
    const m = await s.db
      .insertInto('media')
      .values({
        site_id: null,
        kind: 'image',
        original_name: `封面${i}.jpg`,
        stored_name: `2026/11/${String(i).repeat(32)}.jpg`,
        mime: 'image/jpeg',
        ext: 'jpg',
        size: 12345,
        sha256: 'x'.repeat(64),
        width: 800,
        height: 600,
        alt: '',
        created_by: u,
        created_at: iso(t.now.value),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    covers.push(m.id);
  }
  await publisher.fullBuild();
  return { t, scratch, renderer, publisher, admin: 'boss', sites, portal: www, covers, log: [] };
}

const later = (w: World, minutes: number) => {
  w.t.now.value = new Date(w.t.now.value.getTime() + minutes * 60_000);
};
const ctx = (w: World): Promise<Ctx> => userCtx(w.t, w.admin);
const okOr = <T>(r: Result<T>): T | undefined => (r.ok ? r.value : undefined);

async function columnsOf(w: World, kinds: ('list' | 'page')[], siteId?: number) {
  let q = w.t.store.db.selectFrom('columns').select(['id', 'site_id', 'review_levels', 'kind', 'parent_id', 'slug']).where('kind', 'in', kinds);
  if (siteId !== undefined) q = q.where('site_id', '=', siteId);
  return q.orderBy('id').execute();
}
const liveArticles = (w: World) => w.t.store.db.selectFrom('articles').select(['id', 'site_id', 'column_id', 'version', 'status']).where('live_version', 'is not', null).orderBy('id').execute();

/** Submits and approves through every review level (publishing when approved). */
async function pushThrough(w: World, id: number): Promise<boolean> {
  const c = await ctx(w);
  if (!(await submitArticle(c, id)).ok) return false;
  for (let i = 0; i < 4; i++) {
    const a = await w.t.store.db.selectFrom('articles').select(['status']).where('id', '=', id).executeTakeFirstOrThrow();
    if (a.status !== 'submitted') break;
    if (!(await reviewArticle(await ctx(w), id, { decision: 'approve', comment: '' })).ok) return false;
  }
  return true;
}

const ACTIONS_TABLE: { name: string; weight: number; run: (w: World, r: Rng) => Promise<string | null> }[] = [
  {
    name: 'create+publish',
    weight: 6,
    async run(w, r) {
      const col = r.pick(await columnsOf(w, ['list', 'page']));
      if (!col) return null;
      const cover = r.chance(0.3) ? r.pick(w.covers) : undefined;
      const scheduled = r.chance(0.15);
      const expires = r.chance(0.2);
      const a = okOr(
        await createArticle(await ctx(w), {
          columnId: col.id,
          title: `${phrase(r, 3)}${r.int(1000)}`,
          summary: r.chance(0.5) ? phrase(r, 8) : '',
          body: `<p>${phrase(r, 12)}</p>`,
          source: r.pick(['示范市教育局', '新华社', '']),
          ...(cover ? { coverMediaId: cover, coverAlt: '封面图片' } : {}),
          ...(scheduled ? { publishAt: iso(new Date(w.t.now.value.getTime() + (10 + r.int(60)) * 60_000)) } : {}),
          ...(expires ? { expiresAt: iso(new Date(w.t.now.value.getTime() + (90 + r.int(240)) * 60_000)) } : {}),
        } as never),
      );
      if (!a) return null;
      await pushThrough(w, a.id);
      return `create ${a.id} in column ${col.id}${scheduled ? ' (scheduled)' : ''}${expires ? ' (expiring)' : ''}`;
    },
  },
  {
    name: 'edit+republish',
    weight: 4,
    async run(w, r) {
      const a = r.pick(await liveArticles(w));
      if (!a) return null;
      const u = okOr(await updateArticle(await ctx(w), a.id, { baseVersion: a.version, title: `${phrase(r, 2)}修订${r.int(100)}`, summary: phrase(r, 5) } as never));
      if (!u) return null;
      if (r.chance(0.8)) await pushThrough(w, a.id);
      return `edit ${a.id}`;
    },
  },
  {
    name: 'withdraw',
    weight: 2,
    async run(w, r) {
      const a = r.pick(await liveArticles(w));
      if (!a) return null;
      return (await withdrawArticle(await ctx(w), a.id, { reason: '内容过时' })).ok ? `withdraw ${a.id}` : null;
    },
  },
  {
    name: 'clock',
    weight: 2,
    async run(w, r) {
      const minutes = 60 + r.int(240);
      later(w, minutes);
      return `clock +${minutes} min`;
    },
  },
  {
    name: 'syndicate+approve',
    weight: 3,
    async run(w, r) {
      const a = r.pick((await liveArticles(w)).filter((x) => x.site_id !== w.portal));
      const target = r.pick(await columnsOf(w, ['list'], w.portal));
      if (!a || !target) return null;
      const syns = okOr(await syndicateArticle(await ctx(w), a.id, { columnIds: [target.id] }));
      if (!syns?.[0]) return null;
      if (r.chance(0.85)) for (let i = 0; i < 3; i++) if (!(await reviewSyndication(await ctx(w), syns[0].id, { decision: 'approve', comment: '' })).ok) break;
      return `syndicate ${a.id} to ${target.id}`;
    },
  },
  {
    name: 'withdraw syndication',
    weight: 1,
    async run(w, r) {
      const s = r.pick(await w.t.store.db.selectFrom('syndications').select('id').where('status', '=', 'published').orderBy('id').execute());
      if (!s) return null;
      return (await withdrawSyndication(await ctx(w), s.id, { reason: '撤下' })).ok ? `withdraw syndication ${s.id}` : null;
    },
  },
  {
    name: 'move article',
    weight: 2,
    async run(w, r) {
      const a = r.pick(await liveArticles(w));
      if (!a) return null;
      const to = r.pick((await columnsOf(w, ['list', 'page'], a.site_id)).filter((c) => c.id !== a.column_id));
      if (!to) return null;
      return (await moveArticle(await ctx(w), a.id, { columnId: to.id })).ok ? `move ${a.id} to ${to.id}` : null;
    },
  },
  {
    name: 'rename or move column',
    weight: 1,
    async run(w, r) {
      const col = r.pick(await columnsOf(w, ['list', 'page']));
      if (!col) return null;
      if (r.chance(0.2)) {
        const status = r.chance(0.5) ? 'hidden' : 'active';
        return (await updateColumn(await ctx(w), col.id, { status, description: phrase(r, 4) })).ok ? `column ${col.id} ${status}` : null;
      }
      if (r.chance(0.5)) {
        const slug = `${col.slug.replace(/\d+$/, '')}${r.int(90) + 10}`;
        return (await updateColumn(await ctx(w), col.id, { slug, name: `${phrase(r, 2)}栏目` })).ok ? `rename column ${col.id} to ${slug}` : null;
      }
      const parent = r.pick([null, ...(await columnsOf(w, ['list'], col.site_id)).filter((c) => c.id !== col.id).map((c) => c.id)]);
      return (await moveColumn(await ctx(w), col.id, { parentId: parent ?? null })).ok ? `move column ${col.id} under ${parent}` : null;
    },
  },
  {
    name: 'template change',
    weight: 1,
    async run(w, r) {
      const siteId = r.pick(w.sites)!;
      w.renderer.versions.set(siteId, (w.renderer.versions.get(siteId) ?? 0) + 1);
      await emit(w.t.store.db, 'template.changed', { siteId }, w.t.now.value);
      return `template change on site ${siteId}`;
    },
  },
  {
    name: 'site update',
    weight: 1,
    async run(w, r) {
      const siteId = r.pick(w.sites)!;
      if (siteId !== w.portal && r.chance(0.2)) {
        const code = `s${r.int(100000)}`;
        return (await updateSite(await ctx(w), siteId, { code })).ok ? `site ${siteId} code ${code}` : null;
      }
      if (r.chance(0.15)) return (await updateSite(await ctx(w), siteId, { hosts: [`h${r.int(1000)}.example.gov.cn`] })).ok ? `site ${siteId} hosts` : null;
      const input = r.chance(0.5) ? { name: `示范市${phrase(r, 2)}局` } : { settings: { phone: `0578-8${r.int(1000000).toString().padStart(7, '0')}`, sponsor: r.chance(0.5) ? `示范市${phrase(r, 2)}办公室` : '' } };
      return (await updateSite(await ctx(w), siteId, input)).ok ? `update site ${siteId} ${Object.keys(input).join(',')}` : null;
    },
  },
  {
    name: 'new column',
    weight: 1,
    async run(w, r) {
      const siteId = r.pick(w.sites)!;
      const parent = r.pick([null, ...(await columnsOf(w, ['list'], siteId)).map((c) => c.id)]) ?? null;
      const slug = `c${r.int(100000)}`;
      const res = await createColumn(await ctx(w), {
        siteId,
        parentId: parent,
        name: phrase(r, 2),
        slug,
        kind: 'list',
        updateIntervalDays: null,
        reviewLevels: 0,
        linkUrl: null,
        description: '',
        keywords: '',
        templates: {},
        status: 'active',
      });
      return res.ok ? `new column ${res.value.id} ${slug}` : null;
    },
  },
];
const TOTAL_WEIGHT = ACTIONS_TABLE.reduce((n, a) => n + a.weight, 0);

function chooseAction(r: Rng) {
  let x = r.next() * TOTAL_WEIGHT;
  for (const a of ACTIONS_TABLE) {
    x -= a.weight;
    if (x < 0) return a;
  }
  return ACTIONS_TABLE[0]!;
}

/** Full rebuild into another directory, with a throw-away manifest; returns the differences. */
async function compareWithFullBuild(w: World): Promise<string[]> {
  const dir = path.join(w.scratch, 'public-full');
  fs.rmSync(dir, { recursive: true, force: true });
  const manifest = new MemoryManifest();
  const full = new Publisher({ store: w.t.store, renderer: w.renderer, publicDir: dir, publicUrl: w.t.config.publicUrl, clock: () => w.t.now.value, log: w.publisher.log, manifest, fsync: false });
  await full.fullBuild();
  const diffs = treeDiff(readTree(w.publisher.publicDir), readTree(dir));
  const key = (r: { path: string; siteId: number | null; group: string; sha256: string; size: number }) => `${r.path} ${r.siteId} ${r.group} ${r.sha256} ${r.size}`;
  const inc = new Set((await w.publisher.manifest.all()).map(key));
  const ref = new Set((await manifest.all()).map(key));
  for (const k of inc) if (!ref.has(k)) diffs.push(`manifest only incremental: ${k}`);
  for (const k of ref) if (!inc.has(k)) diffs.push(`manifest only full build: ${k}`);
  return diffs;
}

describe('incremental publishing equals a full rebuild', () => {
  it(`after random sequences of editorial actions (${DIALECT})`, { timeout: 600_000 }, async () => {
    const seeds = ONLY_SEED !== undefined ? [ONLY_SEED] : Array.from({ length: SEQUENCES }, (_, i) => SEED_BASE + i);
    let actions = 0;
    const byKind = new Map<string, number>();
    for (const seed of seeds) {
      const r = rng(seed);
      const w = await setUp();
      try {
        for (let i = 0; i < ACTIONS; i++) {
          later(w, 1 + r.int(30));
          const action = chooseAction(r);
          const done = await action.run(w, r);
          await runJobs(w.t);
          if (done) {
            w.log.push(done);
            actions++;
            byKind.set(action.name, (byKind.get(action.name) ?? 0) + 1);
          }
        }
        const failed = await w.t.store.db.selectFrom('jobs').select(['type', 'last_error']).where('status', 'in', ['failed', 'pending']).where('run_at', '<=', iso(w.t.now.value)).execute();
        expect(failed, `seed ${seed}: jobs left failed or pending`).toEqual([]);
        const diffs = await compareWithFullBuild(w);
        if (diffs.length > 0) {
          console.warn(`MISMATCH seed ${seed}\nactions:\n  ${w.log.join('\n  ')}\ndiffering paths (${diffs.length}):\n  ${diffs.slice(0, 40).join('\n  ')}`);
        }
        expect(diffs, `seed ${seed}`).toEqual([]);
      } finally {
        await w.t.close();
        fs.rmSync(w.scratch, { recursive: true, force: true });
      }
    }
    console.warn(`property test (${DIALECT}): ${seeds.length} sequences, ${actions} actions applied (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`);
  });
});
