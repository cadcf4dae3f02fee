/**
 * The page graph: which groups an event changes. Two steps, each pure and table-tested:
 *
 * 1. `touchesOf(event, facts)`: what the event touched — an item (an article or a placement)
 *    appearing, changing or disappearing at a place in a column's list; a whole site; the whole
 *    cluster (a site's name or address is on every site's pages); single groups.
 * 2. `groupsOfItem(touch, column chain, sequence)`: the groups an item touch changes — the item's
 *    own page; the list pages and feeds of its column and of every listing ancestor that shows
 *    it; its site's home page and site maps; and the pages of its neighbours in the column,
 *    whose related items and previous/next links it is (see models.ts).
 *
 * `affectedGroups` gathers the facts from the database (at run time: the state after the event)
 * and applies both.
 */
import { articleUrl } from '../../content/index.js';
import { columnUrl, siteUrl } from '../../sites/index.js';
import { AGGREGATED_KINDS, type BuildData, type ColumnInfo, type Item, LISTING_KINDS } from './data.js';
import {
  RELATED_SIZE,
  articleGroup,
  columnGroup,
  columnMoreGroup,
  homeGroup,
  placementGroup,
  redirectGroup,
  rssGroup,
  sitemapGroup,
  wholeSite,
} from './pages.js';

/** The events the publisher reacts to, with their payloads. */
export const PUBLISHING_EVENTS = [
  'article.published',
  'article.withdrawn',
  'article.expired',
  'article.moved',
  'syndication.published',
  'syndication.withdrawn',
  'template.changed',
  'site.updated',
  'column.created',
  'column.updated',
  'column.moved',
  'column.deleted',
] as const;
export type PublishingEvent = (typeof PUBLISHING_EVENTS)[number];

/** Site fields shown on other sites' pages (the cluster menu, placements' origins): a change re-renders the cluster. */
export const CLUSTER_FIELDS = ['code', 'name', 'status', 'sort', 'language', 'created', 'deleted'];

/** An item's place in a column's list: enough to find its neighbours even after it left. */
export interface ItemRef {
  group: string;
  siteId: number;
  columnId: number;
  time: string;
  articleId: number;
}

export type Touch = { kind: 'item'; item: ItemRef } | { kind: 'site'; siteId: number } | { kind: 'cluster' } | { kind: 'group'; name: string };

/** What the database says about the article an event is about (its state now). */
export interface ArticleFacts {
  id: number;
  siteId: number;
  columnId: number;
  publishedAt: string | null;
  /** Its published placements in other sites' columns. */
  placements: { id: number; siteId: number; columnId: number; publishedAt: string }[];
}

export interface SyndicationFacts {
  id: number;
  articleId: number;
  siteId: number;
  columnId: number;
  publishedAt: string | null;
}

export interface EventFacts {
  article?: ArticleFacts;
  syndication?: SyndicationFacts;
  /** Redirect groups recorded while handling the event (moves). */
  redirects?: string[];
  /** Placements whose source is in the site (their origin links follow the source's address). */
  placementsFromSite?: number[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/** Step 1: what an event touched (pure). */
export function touchesOf(event: string, payload: Record<string, unknown>, facts: EventFacts): Touch[] {
  const out: Touch[] = [];
  const a = facts.article;
  const item = (group: string, siteId: number, columnId: number, time: string | null, articleId: number) => {
    if (time) out.push({ kind: 'item', item: { group, siteId, columnId, time, articleId } });
    else out.push({ kind: 'group', name: group });
  };
  switch (event) {
    case 'article.published': {
      if (!a) break;
      item(articleGroup(a.id), a.siteId, a.columnId, a.publishedAt, a.id);
      // Its placements show its text: their pages, their lists, their neighbours.
      for (const p of a.placements) item(placementGroup(p.id), p.siteId, p.columnId, p.publishedAt, a.id);
      break;
    }
    case 'article.withdrawn':
    case 'article.expired': {
      if (!a) break;
      const at = num(payload.columnId) ?? a.columnId;
      item(articleGroup(a.id), a.siteId, at, a.publishedAt, a.id);
      if (at !== a.columnId) item(articleGroup(a.id), a.siteId, a.columnId, a.publishedAt, a.id);
      for (const p of a.placements) item(placementGroup(p.id), p.siteId, p.columnId, p.publishedAt, a.id);
      break;
    }
    case 'article.moved': {
      if (!a) break;
      const from = num(payload.fromColumnId);
      const to = num(payload.toColumnId) ?? a.columnId;
      if (from !== null) item(articleGroup(a.id), a.siteId, from, a.publishedAt, a.id);
      item(articleGroup(a.id), a.siteId, to, a.publishedAt, a.id);
      if (to !== a.columnId) item(articleGroup(a.id), a.siteId, a.columnId, a.publishedAt, a.id);
      // Placements link back to the source's (new) address; their lists do not change.
      for (const p of a.placements) out.push({ kind: 'group', name: placementGroup(p.id) });
      break;
    }
    case 'syndication.published':
    case 'syndication.withdrawn': {
      const s = facts.syndication;
      if (!s) break;
      item(placementGroup(s.id), s.siteId, num(payload.columnId) ?? s.columnId, s.publishedAt, s.articleId);
      break;
    }
    case 'template.changed': {
      const siteId = num(payload.siteId);
      if (siteId !== null) out.push({ kind: 'site', siteId });
      break;
    }
    case 'site.updated': {
      const siteId = num(payload.siteId);
      const changed = Array.isArray(payload.changed) ? payload.changed.filter((x): x is string => typeof x === 'string') : null;
      // Without a list of changed fields, assume the worst.
      if (changed === null || changed.some((f) => CLUSTER_FIELDS.includes(f))) out.push({ kind: 'cluster' });
      else if (siteId !== null) out.push({ kind: 'site', siteId });
      break;
    }
    case 'column.created':
    case 'column.updated':
    case 'column.moved':
    case 'column.deleted': {
      const siteId = num(payload.siteId);
      if (siteId !== null) out.push({ kind: 'site', siteId });
      for (const id of facts.placementsFromSite ?? []) out.push({ kind: 'group', name: placementGroup(id) });
      break;
    }
  }
  for (const r of facts.redirects ?? []) out.push({ kind: 'group', name: r });
  return out;
}

/** The groups of the items within RELATED_SIZE places either side of (time, articleId) in a column's list (pure). */
export function neighbourGroups(sequence: readonly Pick<Item, 'time' | 'articleId' | 'kind' | 'syndicationId'>[], time: string, articleId: number): string[] {
  // Newest first: find the first index that sorts after the reference point.
  const after = (x: Pick<Item, 'time' | 'articleId'>) => x.time < time || (x.time === time && x.articleId < articleId);
  let i = sequence.findIndex(after);
  if (i < 0) i = sequence.length;
  const newer = sequence.slice(Math.max(0, i - RELATED_SIZE - 1), i).filter((x) => x.articleId !== articleId);
  const older = sequence.slice(i, i + RELATED_SIZE);
  return [...newer, ...older].map((x) => (x.kind === 'article' ? articleGroup(x.articleId) : placementGroup(x.syndicationId!)));
}

/**
 * Step 2 for one item touch (pure): `chain` is the item's column followed by its ancestors,
 * nearest first; `sequence` the column's list now.
 */
export function groupsOfItem(item: ItemRef, chain: readonly Pick<ColumnInfo, 'id' | 'kind'>[], sequence: readonly Item[]): string[] {
  const out = [item.group, homeGroup(item.siteId), sitemapGroup(item.siteId)];
  const [own, ...ancestors] = chain;
  if (own) {
    out.push(columnGroup(own.id));
    if (LISTING_KINDS.includes(own.kind)) out.push(columnMoreGroup(own.id), rssGroup(own.id));
    // Only list columns' items show in their ancestors' lists.
    if (AGGREGATED_KINDS.includes(own.kind)) for (const c of ancestors) if (LISTING_KINDS.includes(c.kind)) out.push(columnGroup(c.id), columnMoreGroup(c.id), rssGroup(c.id));
  }
  out.push(...neighbourGroups(sequence, item.time, item.articleId));
  return out;
}

/** The column and its ancestors, nearest first. */
export function columnChain(columns: ReadonlyMap<number, ColumnInfo>, columnId: number): ColumnInfo[] {
  const out: ColumnInfo[] = [];
  const seen = new Set<number>();
  for (let c = columns.get(columnId); c && !seen.has(c.id); c = c.parentId === null ? undefined : columns.get(c.parentId)) {
    out.push(c);
    seen.add(c.id);
  }
  return out;
}

// ---------- facts from the database ----------

async function articleFacts(data: BuildData, id: number): Promise<ArticleFacts | undefined> {
  const a = await data.db.selectFrom('articles').select(['id', 'site_id', 'column_id', 'published_at']).where('id', '=', id).executeTakeFirst();
  if (!a) return undefined;
  const syns = await data.db
    .selectFrom('syndications')
    .select(['id', 'site_id', 'column_id', 'published_at'])
    .where('article_id', '=', id)
    .where('status', '=', 'published')
    .orderBy('id')
    .execute();
  return {
    id: a.id,
    siteId: a.site_id,
    columnId: a.column_id,
    publishedAt: a.published_at,
    placements: syns.flatMap((s) => (s.published_at ? [{ id: s.id, siteId: s.site_id, columnId: s.column_id, publishedAt: s.published_at }] : [])),
  };
}

async function syndicationFacts(data: BuildData, id: number): Promise<SyndicationFacts | undefined> {
  const s = (await data.syndications([id])).get(id);
  return s && { id: s.id, articleId: s.articleId, siteId: s.siteId, columnId: s.columnId, publishedAt: s.publishedAt };
}

/**
 * Gathers the facts of an event, records the redirects a move leaves behind (`recordRedirects`
 * is given by the publisher: it writes rows and returns their groups), and returns the groups
 * to publish. `site:<id>:*` and '*' entries are expanded by the publisher.
 */
export async function affectedGroups(
  data: BuildData,
  event: string,
  payload: Record<string, unknown>,
  recordRedirects: (rows: { from: string; to: string; siteId: number }[]) => Promise<string[]>,
): Promise<string[]> {
  const facts: EventFacts = {};
  if (event.startsWith('article.')) {
    const id = num(payload.id);
    if (id !== null) facts.article = await articleFacts(data, id);
  }
  if (event.startsWith('syndication.')) {
    const id = num(payload.id);
    if (id !== null) facts.syndication = await syndicationFacts(data, id);
  }
  if (event.startsWith('column.')) {
    const siteId = num(payload.siteId);
    if (siteId !== null) facts.placementsFromSite = await data.placementsFromSite(siteId);
  }
  facts.redirects = await recordRedirects(await redirectsOf(data, event, payload, facts));

  const groups: string[] = [];
  const columns = await data.columns();
  for (const t of touchesOf(event, payload, facts)) {
    if (t.kind === 'group') groups.push(t.name);
    else if (t.kind === 'site') groups.push(wholeSite(t.siteId));
    else if (t.kind === 'cluster') for (const s of (await data.sites()).values()) groups.push(wholeSite(s.id));
    else {
      const seq = (await data.siteItems(t.item.siteId)).sequence(t.item.columnId);
      groups.push(...groupsOfItem(t.item, columnChain(columns, t.item.columnId), seq));
    }
  }
  return [...new Set(groups)].sort();
}

/** The old addresses a move leaves behind, each pointing to where the page is now. */
async function redirectsOf(data: BuildData, event: string, payload: Record<string, unknown>, facts: EventFacts): Promise<{ from: string; to: string; siteId: number }[]> {
  const columns = await data.columns();
  const a = facts.article;
  if (event === 'article.moved' && a?.publishedAt) {
    const publishedAt = a.publishedAt;
    const site = await data.site(a.siteId);
    const from = columns.get(num(payload.fromColumnId) ?? 0);
    const now = (await data.siteItems(a.siteId)).native.get(a.id);
    if (!site || !from || !now) return [];
    return [{ from: articleUrl(site.code, from.path, publishedAt, a.id), to: now.url, siteId: site.id }];
  }
  if ((event === 'column.updated' || event === 'column.moved') && typeof payload.fromPath === 'string') {
    const col = columns.get(num(payload.columnId) ?? 0);
    const site = col ? await data.site(col.siteId) : undefined;
    if (!col || !site || payload.fromPath === col.path) return [];
    const oldPath = payload.fromPath;
    const oldOf = (path: string) => oldPath + path.slice(col.path.length);
    const subtree = [...columns.values()].filter((c) => c.siteId === site.id && c.idPath.startsWith(col.idPath));
    const out = subtree.filter((c) => c.kind !== 'link').map((c) => ({ from: columnUrl(site.code, oldOf(c.path)), to: columnUrl(site.code, c.path), siteId: site.id }));
    // The articles and placements below it moved too.
    const ids = new Set(subtree.map((c) => c.id));
    for (const it of (await data.siteItems(site.id)).all()) {
      const c = columns.get(it.columnId);
      if (c && ids.has(c.id)) out.push({ from: articleUrl(site.code, oldOf(c.path), it.time, it.articleId), to: it.url, siteId: site.id });
    }
    return out;
  }
  if (event === 'site.updated' && typeof payload.fromCode === 'string') {
    const site = await data.site(num(payload.siteId) ?? 0);
    if (!site || site.code === payload.fromCode) return [];
    return [{ from: siteUrl(payload.fromCode), to: site.url, siteId: site.id }];
  }
  return [];
}

export { redirectGroup };
