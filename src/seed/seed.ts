import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../db/index.js';
import { iso } from '../lib/time.js';
import { systemActor } from '../modules/accounts/actor.js';
import * as audit from '../modules/accounts/audit.js';
import { hashPassword } from '../modules/accounts/passwords.js';
import { insertUser } from '../modules/accounts/store.js';
import { type DemoColumn, type DemoUser, organisations, sites, users as demoUsers } from './demo-data.js';
import { seedArticles } from './seedArticles.js';
import { seedFaq } from './seedFaq.js';

/** Every demo user's password (the demo is for evaluation; start with JIYUE_DEMO=0 in production). */
export const DEMO_PASSWORD = 'Shifan-Demo-2026';

export interface SeededColumn {
  id: number;
  siteId: number;
  idPath: string;
  reviewLevels: number;
  kind: string;
}

export interface SeedIds {
  orgs: Map<string, number>;
  sites: Map<string, number>;
  /** "siteCode:column/path" → column */
  columns: Map<string, SeededColumn>;
  users: Map<string, number>;
}

/** Seeds the demo cluster 示范市 into an empty database; returns false if there already are sites. */
export async function seedIfEmpty(store: Store, config: Config, log: Logger, now: Date): Promise<boolean> {
  const any = await store.db.selectFrom('sites').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const t0 = performance.now();
  const ids = await seedStructure(store, now);
  const n = await seedArticles(store, config, ids, now);
  const faq = await seedFaq(store, config, ids, now);
  log.info({ sites: ids.sites.size, columns: ids.columns.size, users: ids.users.size, articles: n, faq, ms: Math.round(performance.now() - t0) }, 'demo cluster seeded');
  return true;
}

/**
 * The demo's users, plus an editor and a reviewer for every site that has none, so each site
 * has someone to write and approve its news.
 */
export function demoUserList(): DemoUser[] {
  const out = [...demoUsers];
  for (const s of sites) {
    if (!out.some((u) => u.site === s.code && u.role === 'editor' && u.column === null))
      out.push({ username: `${s.code}_editor`, displayName: `${s.name.replace(/^示范市/, '')}编辑`, role: 'editor', site: s.code, column: null });
    if (!out.some((u) => u.site === s.code && u.role === 'reviewer'))
      out.push({ username: `${s.code}_reviewer`, displayName: `${s.name.replace(/^示范市/, '')}审核员`, role: 'reviewer', site: s.code, column: null });
  }
  return out;
}

/** Organisations, sites, columns, users and grants, in one transaction. */
export async function seedStructure(store: Store, now: Date): Promise<SeedIds> {
  const t = iso(now);
  const ids: SeedIds = { orgs: new Map(), sites: new Map(), columns: new Map(), users: new Map() };
  const users = demoUserList();
  const hashes = await Promise.all(users.map(() => hashPassword(DEMO_PASSWORD)));
  await store.db.transaction().execute(async (tx) => {
    for (const [i, o] of organisations.entries()) {
      const r = await tx
        .insertInto('organisations')
        .values({ code: o.code, name: o.name, kind: o.kind, parent_id: o.parent ? ids.orgs.get(o.parent)! : null, sort: i, created_at: t, updated_at: t })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.orgs.set(o.code, r.id);
    }
    for (const [i, s] of sites.entries()) {
      const r = await tx
        .insertInto('sites')
        .values({ code: s.code, name: s.name, organisation_id: ids.orgs.get(s.org)!, language: 'zh-CN', theme: 'default', status: 'open', settings: JSON.stringify(s.settings), sort: i, created_at: t, updated_at: t })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.sites.set(s.code, r.id);
      const addColumns = async (cols: DemoColumn[], parent: { id: number; path: string; idPath: string } | null) => {
        for (const [j, c] of cols.entries()) {
          const colPath = parent ? `${parent.path}/${c.slug}` : c.slug;
          const row = await tx
            .insertInto('columns')
            .values({
              site_id: r.id,
              parent_id: parent?.id ?? null,
              name: c.name,
              slug: c.slug,
              path: colPath,
              id_path: '/',
              kind: c.kind,
              sort: j,
              update_interval_days: c.updateIntervalDays,
              review_levels: c.reviewLevels,
              link_url: c.linkUrl ?? null,
              description: c.description,
              keywords: c.keywords,
              templates: '{}',
              status: 'active',
              created_at: t,
              updated_at: t,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          const idPath = `${parent?.idPath ?? '/'}${row.id}/`;
          await tx.updateTable('columns').set({ id_path: idPath }).where('id', '=', row.id).execute();
          ids.columns.set(`${s.code}:${colPath}`, { id: row.id, siteId: r.id, idPath, reviewLevels: c.reviewLevels, kind: c.kind });
          if (c.children?.length) await addColumns(c.children, { id: row.id, path: colPath, idPath });
        }
      };
      await addColumns(s.columns, null);
    }
    for (const [i, u] of users.entries()) {
      const existing = await tx.selectFrom('users').select('id').where('username', '=', u.username).executeTakeFirst();
      let id = existing?.id;
      if (!id) {
        id = await insertUser(tx, {
          username: u.username,
          displayName: u.displayName,
          passwordHash: hashes[i]!,
          mustChangePassword: false,
          organisationId: u.site ? ids.orgs.get(sites.find((s) => s.code === u.site)!.org)! : null,
          now: t,
        });
      }
      ids.users.set(u.username, id);
      // The bootstrap administrators may share a name with a demo user: never grant a role twice.
      if (existing && (await tx.selectFrom('grants').select('id').where('user_id', '=', id).where('role', '=', u.role).executeTakeFirst())) continue;
      const column = u.site && u.column ? ids.columns.get(`${u.site}:${u.column}`) : undefined;
      await tx
        .insertInto('grants')
        .values({ user_id: id, role: u.role, site_id: u.site ? ids.sites.get(u.site)! : null, column_id: column?.id ?? null, review_level: u.reviewLevel ?? null, created_by: null, created_at: t })
        .execute();
    }
    await audit.record(tx, { actor: systemActor('seed'), ip: null, now, dialect: store.dialect }, 'demo.seed', { type: 'cluster' }, null, {
      organisations: ids.orgs.size,
      sites: ids.sites.size,
      columns: ids.columns.size,
      users: ids.users.size,
    });
  });
  return ids;
}
