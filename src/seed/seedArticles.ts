import pino from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../db/index.js';
import type { Ctx } from '../lib/ctx.js';
import { unwrap } from '../lib/errors.js';
import { iso } from '../lib/time.js';
import { systemActor } from '../modules/accounts/index.js';
import { loadGrants } from '../modules/accounts/sessions.js';
import { createArticle, importPublishedArticle, reviewArticle, reviewSyndication, submitArticle, syndicateArticle } from '../modules/content/index.js';
import { type DemoArticle, articles } from './demo-data.js';
import type { SeedIds } from './seed.js';
import { uploadCover } from './seedCovers.js';

const DAY = 86_400_000;

/**
 * The demo's articles. Most arrive as already-published history through the content module's
 * import path (as a migration from an old CMS would); a handful go through the real workflow so
 * the console has work waiting: submissions to review, a returned draft, a scheduled notice and
 * department news pushed to the portal.
 */
export async function seedArticles(store: Store, config: Config, ids: SeedIds, now: Date): Promise<number> {
  const all = articles();
  // The newest texts of the right sites and columns go through the workflow; the rest is history.
  const pick = (site: string, columnPath?: string) => all.findLast((a) => a.site === site && (!columnPath || a.columnPath === columnPath) && !workflow.includes(a))!;
  const workflow: DemoArticle[] = [];
  for (const [site, col] of [['jyj', 'gzdt'], ['jyj', 'gzdt'], ['jyj', 'tzgg'], ['www', 'zxzx/tzgg'], ['www', 'zxzx/zwyw']] as const) workflow.push(pick(site, col));
  const history = all.filter((a) => !workflow.includes(a));
  const seedCtx = { actor: systemActor('seed'), ip: null, now, dialect: store.dialect };
  const covers = await coversFor(store, config, ids, now, history);
  for (const [i, a] of history.entries()) {
    const column = columnOf(ids, a);
    const cover = covers.get(a);
    const publishedAt = new Date(now.getTime() - a.daysAgo * DAY - (i % 9) * 3_600_000 - 1_800_000);
    await importPublishedArticle(
      store.db,
      { ...seedCtx, now: publishedAt },
      { columnId: column.id, fields: { ...fieldsOf(a), ...(cover && { coverMediaId: cover.mediaId, coverAlt: cover.alt }) }, publishedAt: iso(publishedAt), createdBy: authorOf(ids, a.site) },
      { announce: false },
    );
  }
  await seedWorkflow(store, config, ids, now, workflow);
  return all.length;
}

/** Headline pictures: the newest few articles of every site get an illustration, uploaded by the site's editor. */
const COVERS_PER_SITE = 4;
async function coversFor(store: Store, config: Config, ids: SeedIds, now: Date, history: DemoArticle[]): Promise<Map<DemoArticle, { mediaId: number; alt: string }>> {
  const out = new Map<DemoArticle, { mediaId: number; alt: string }>();
  let seed = 0;
  for (const [code, siteId] of ids.sites) {
    const newest = history.filter((a) => a.site === code).sort((x, y) => x.daysAgo - y.daysAgo).slice(0, COVERS_PER_SITE);
    if (newest.length === 0) continue;
    const ctx = await ctxFor(store, config, ids, `${code}_editor`, now);
    for (const a of newest) out.set(a, await uploadCover(ctx, siteId, seed++));
  }
  return out;
}

function columnOf(ids: SeedIds, a: DemoArticle) {
  const c = ids.columns.get(`${a.site}:${a.columnPath}`);
  if (!c) throw new Error(`demo column ${a.site}:${a.columnPath} missing`);
  return c;
}

const fieldsOf = (a: DemoArticle) => ({ title: a.title, subtitle: a.subtitle, summary: a.summary, body: a.body, source: a.source, author: a.author, tags: a.tags });

/** The site's editor (created for every site by the seed). */
function authorOf(ids: SeedIds, site: string): number {
  const id = ids.users.get(`${site}_editor`);
  if (!id) throw new Error(`demo user ${site}_editor missing`);
  return id;
}

/** A context acting as one demo user (the seed writes through the real commands, so everything is versioned, reviewed and audited). */
export async function ctxFor(store: Store, config: Config, ids: SeedIds, username: string, now: Date): Promise<Ctx> {
  const id = ids.users.get(username);
  if (!id) throw new Error(`demo user ${username} missing`);
  return {
    store,
    db: store.db,
    dialect: store.dialect,
    config,
    actor: { kind: 'user', id, username, displayName: username, grants: await loadGrants(store.db, id), via: 'token', mustChangePassword: false },
    ip: null,
    now,
    log: pino({ level: 'silent' }),
    lang: 'zh-CN',
  };
}

async function seedWorkflow(store: Store, config: Config, ids: SeedIds, now: Date, items: DemoArticle[]): Promise<void> {
  const as = (u: string, at = now) => ctxFor(store, config, ids, u, at);
  const [jyj1, jyj2, jyjNotice, wwwNotice, wwwNews] = items as [DemoArticle, DemoArticle, DemoArticle, DemoArticle, DemoArticle];
  const draft = async (user: string, a: DemoArticle, extra: Record<string, unknown> = {}) =>
    unwrap(await createArticle(await as(user), { columnId: columnOf(ids, a).id, ...fieldsOf(a), ...extra } as any));

  // Two submissions waiting for the education bureau's first-level reviewer.
  for (const a of [jyj1, jyj2]) {
    const d = await draft('jyj_editor', a);
    unwrap(await submitArticle(await as('jyj_editor'), d.id));
  }
  // A draft returned with a comment, waiting for the editor.
  const r = await draft('jyj_editor', jyjNotice);
  unwrap(await submitArticle(await as('jyj_editor'), r.id));
  unwrap(await reviewArticle(await as('jyj_reviewer'), r.id, { decision: 'return', comment: '请补充报名时间和咨询电话，并核对文中日期。' } as any));
  // A portal notice approved for publication in three days.
  const s = await draft('www_editor', wwwNotice, { publishAt: iso(new Date(now.getTime() + 3 * DAY)) });
  unwrap(await submitArticle(await as('www_editor'), s.id));
  for (let level = 1; level <= 3; level++) {
    const col = ids.columns.get('www:zxzx/tzgg')!;
    if (level > col.reviewLevels) break;
    unwrap(await reviewArticle(await as(`www_reviewer${level}`), s.id, { decision: 'approve' } as any));
  }
  // Department news pushed to the portal's 部门动态: one accepted, one waiting for the portal's reviewer.
  const bmdt = ids.columns.get('www:zxzx/bmdt')!;
  const jyjNews = await store.db
    .selectFrom('articles')
    .select('id')
    .where('site_id', '=', ids.sites.get('jyj')!)
    .where('live_version', 'is not', null)
    .orderBy('published_at', 'desc')
    .limit(2)
    .execute();
  for (const [i, art] of jyjNews.entries()) {
    const [syn] = unwrap(await syndicateArticle(await as('jyj_editor'), art.id, { columnIds: [bmdt.id] } as any));
    if (i === 0 && syn) for (let level = 1; level <= Math.max(1, bmdt.reviewLevels); level++) unwrap(await reviewSyndication(await as(`www_reviewer${level}`), syn.id, { decision: 'approve' } as any));
  }
  // A draft in progress on the portal.
  await draft('www_editor', wwwNews);
}
