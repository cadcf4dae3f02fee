/**
 * The publisher's read side: what the pages show, loaded from the database in batches (one
 * query per kind of thing per site or per chunk of articles, never one per article — a full
 * build of 20,000 articles does a few hundred queries).
 *
 * It reads `sites`, `site_hosts`, `columns`, `articles`, `article_versions`, `article_attachments`,
 * `syndications` and `media` directly, read-only, instead of going through the owning modules'
 * one-at-a-time lookups: a build needs them joined and in bulk. What the public sees of an article
 * is its `live_version` snapshot; when the row's working copy is that version (the common case)
 * the row itself is read (fast path), otherwise the snapshot in article_versions.
 *
 * A BuildData is one consistent-enough view for one publish run: it caches what it loaded, so
 * create a new one per run.
 */
import type { DB } from '../../../db/index.js';
import type { ArticleFields } from '../../content/index.js';
import { articleUrl } from '../../content/index.js';
import { PORTAL_CODE, columnUrl, siteUrl } from '../../sites/index.js';
import { parseStringArray } from '../../../lib/json.js';

export type SiteLanguage = 'zh-CN' | 'zh-TW' | 'en';
export type ColumnKind = 'list' | 'page' | 'link' | 'disclosure' | 'service' | 'interaction';

/** Column kinds whose pages list articles (their own and those of the list columns below them). */
export const LISTING_KINDS: readonly ColumnKind[] = ['list', 'disclosure', 'service', 'interaction'];
/** Column kinds whose articles appear in the lists of their ancestors and on the home page. */
export const AGGREGATED_KINDS: readonly ColumnKind[] = ['list'];

export interface SiteSettingsView {
  siteIdCode: string;
  icp: string;
  psbNumber: string;
  sponsor: string;
  organizer: string;
  contact: string;
  address: string;
  phone: string;
  email: string;
}

export interface SiteInfo {
  id: number;
  code: string;
  name: string;
  language: SiteLanguage;
  theme: string;
  status: 'open' | 'building' | 'closed';
  sort: number;
  settings: SiteSettingsView;
  hosts: string[];
  url: string;
}

export interface ColumnInfo {
  id: number;
  siteId: number;
  parentId: number | null;
  name: string;
  slug: string;
  path: string;
  idPath: string;
  kind: ColumnKind;
  sort: number;
  linkUrl: string | null;
  description: string;
  keywords: string;
  templates: Record<string, string>;
  status: 'active' | 'hidden';
  /** Child column ids, in order (sort, id). */
  children: number[];
}

/** One entry of a column's list: an article in its own column, or a syndicated copy (placement). */
export interface Item {
  kind: 'article' | 'placement';
  articleId: number;
  syndicationId: number | null;
  /** The column and site it appears in (the target, for a placement). */
  columnId: number;
  siteId: number;
  /** When it appeared there: the article's first publication, or the placement's. */
  time: string;
  title: string;
  summary: string;
  source: string;
  cover: { mediaId: number; alt: string } | null;
  /** A placement's source site. */
  fromSiteId: number | null;
  /** Public path (Simplified tree). */
  url: string;
}

/** Newest first; ties by article id, larger first (ids are unique within one column's list). */
export const byNewest = (a: Item, b: Item): number => (a.time < b.time ? 1 : a.time > b.time ? -1 : b.articleId - a.articleId);

/** The public text of an article (its live version). */
export interface LiveText {
  title: string;
  subtitle: string;
  summary: string;
  body: string;
  source: string;
  author: string;
  tags: string[];
  coverMediaId: number | null;
  coverAlt: string;
  attachmentIds: number[];
}

export interface FullArticle {
  id: number;
  siteId: number;
  columnId: number;
  publishedAt: string;
  text: LiveText;
}

export interface MediaInfo {
  id: number;
  name: string;
  ext: string;
  size: number;
  kind: 'image' | 'document';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function parseSiteSettings(json: string): SiteSettingsView {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(json);
    if (v && typeof v === 'object' && !Array.isArray(v)) raw = v as Record<string, unknown>;
  } catch {
    /* unreadable settings: all empty */
  }
  return {
    siteIdCode: str(raw.siteIdCode),
    icp: str(raw.icp),
    psbNumber: str(raw.psbNumber),
    sponsor: str(raw.sponsor),
    organizer: str(raw.organizer),
    contact: str(raw.contact),
    address: str(raw.address),
    phone: str(raw.phone),
    email: str(raw.email),
  };
}

function parseTemplates(json: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, string> = {};
    for (const [k, t] of Object.entries(v)) if (typeof t === 'string') out[k] = t;
    return out;
  } catch {
    return {};
  }
}

const CHUNK = 400;
function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Snapshot fields as stored (older snapshots may lack a field). */
function textOfSnapshot(json: string): LiveText {
  let f: Partial<ArticleFields> = {};
  try {
    f = JSON.parse(json) as Partial<ArticleFields>;
  } catch {
    /* a broken snapshot shows as empty rather than breaking the build */
  }
  return {
    title: str(f.title),
    subtitle: str(f.subtitle),
    summary: str(f.summary),
    body: str(f.body),
    source: str(f.source),
    author: str(f.author),
    tags: Array.isArray(f.tags) ? f.tags.filter((t): t is string => typeof t === 'string') : [],
    coverMediaId: typeof f.coverMediaId === 'number' ? f.coverMediaId : null,
    coverAlt: str(f.coverAlt),
    attachmentIds: Array.isArray(f.attachmentIds) ? f.attachmentIds.filter((t): t is number => typeof t === 'number') : [],
  };
}

/** The items of one site, by column, and its aggregated lists. */
export class SiteItems {
  readonly byColumn = new Map<number, Item[]>();
  readonly native = new Map<number, Item>();
  readonly placement = new Map<number, Item>();
  private readonly aggregates = new Map<number, Item[]>();

  constructor(
    items: Item[],
    private readonly columns: Map<number, ColumnInfo>,
  ) {
    items.sort(byNewest);
    for (const it of items) {
      const list = this.byColumn.get(it.columnId);
      if (list) list.push(it);
      else this.byColumn.set(it.columnId, [it]);
      if (it.kind === 'article') this.native.set(it.articleId, it);
      else this.placement.set(it.syndicationId!, it);
    }
  }

  /** A column's own list (its articles and placements), newest first. */
  sequence(columnId: number): Item[] {
    return this.byColumn.get(columnId) ?? [];
  }

  /**
   * What a listing column shows: its own items and those of every list column below it,
   * newest first.
   */
  aggregate(columnId: number): Item[] {
    let out = this.aggregates.get(columnId);
    if (out) return out;
    const root = this.columns.get(columnId);
    if (!root) return [];
    const ids = [...this.byColumn.keys()].filter((id) => {
      if (id === columnId) return true;
      const c = this.columns.get(id);
      return !!c && c.idPath.startsWith(root.idPath) && AGGREGATED_KINDS.includes(c.kind);
    });
    out = ids.length === 1 ? this.sequence(ids[0]!) : ids.flatMap((id) => this.sequence(id)).sort(byNewest);
    this.aggregates.set(columnId, out);
    return out;
  }

  /** Every item in a list column of the site (home-page headlines), newest first. */
  listed(): Item[] {
    const out: Item[] = [];
    for (const [id, items] of this.byColumn) if (AGGREGATED_KINDS.includes(this.columns.get(id)?.kind ?? 'link')) out.push(...items);
    return out.sort(byNewest);
  }

  all(): Item[] {
    return [...this.byColumn.values()].flat().sort(byNewest);
  }
}

export class BuildData {
  private sitesP: Promise<Map<number, SiteInfo>> | undefined;
  private columnsP: Promise<Map<number, ColumnInfo>> | undefined;
  private readonly items = new Map<number, Promise<SiteItems>>();

  constructor(readonly db: DB) {}

  sites(): Promise<Map<number, SiteInfo>> {
    this.sitesP ??= (async () => {
      const rows = await this.db.selectFrom('sites').selectAll().orderBy('sort').orderBy('id').execute();
      const hosts = await this.db.selectFrom('site_hosts').select(['host', 'site_id']).orderBy('host').execute();
      const out = new Map<number, SiteInfo>();
      for (const r of rows) {
        out.set(r.id, {
          id: r.id,
          code: r.code,
          name: r.name,
          language: r.language,
          theme: r.theme,
          status: r.status,
          sort: r.sort,
          settings: parseSiteSettings(r.settings),
          hosts: hosts.filter((h) => h.site_id === r.id).map((h) => h.host),
          url: siteUrl(r.code),
        });
      }
      return out;
    })();
    return this.sitesP;
  }

  async site(id: number): Promise<SiteInfo | undefined> {
    return (await this.sites()).get(id);
  }

  async openSite(id: number): Promise<SiteInfo | undefined> {
    const s = await this.site(id);
    return s?.status === 'open' ? s : undefined;
  }

  /** The portal and every open site, portal first. */
  async cluster(): Promise<SiteInfo[]> {
    const open = [...(await this.sites()).values()].filter((s) => s.status === 'open');
    return [...open.filter((s) => s.code === PORTAL_CODE), ...open.filter((s) => s.code !== PORTAL_CODE)];
  }

  columns(): Promise<Map<number, ColumnInfo>> {
    this.columnsP ??= (async () => {
      const rows = await this.db.selectFrom('columns').selectAll().orderBy('sort').orderBy('id').execute();
      const out = new Map<number, ColumnInfo>();
      for (const r of rows) {
        out.set(r.id, {
          id: r.id,
          siteId: r.site_id,
          parentId: r.parent_id,
          name: r.name,
          slug: r.slug,
          path: r.path,
          idPath: r.id_path,
          kind: r.kind,
          sort: r.sort,
          linkUrl: r.link_url,
          description: r.description,
          keywords: r.keywords,
          templates: parseTemplates(r.templates),
          status: r.status,
          children: [],
        });
      }
      for (const c of out.values()) if (c.parentId !== null) out.get(c.parentId)?.children.push(c.id);
      return out;
    })();
    return this.columnsP;
  }

  /** Columns of one site in tree order (parents before children, siblings by sort then id). */
  async siteColumns(siteId: number): Promise<ColumnInfo[]> {
    const all = await this.columns();
    const out: ColumnInfo[] = [];
    const visit = (c: ColumnInfo) => {
      out.push(c);
      for (const id of c.children) visit(all.get(id)!);
    };
    for (const c of all.values()) if (c.siteId === siteId && c.parentId === null) visit(c);
    return out;
  }

  /** The live items of a site's columns (its own articles and the placements pushed into it). */
  siteItems(siteId: number): Promise<SiteItems> {
    let p = this.items.get(siteId);
    if (!p) {
      p = this.loadSiteItems(siteId);
      this.items.set(siteId, p);
    }
    return p;
  }

  /** Lets a long build drop what it no longer needs. */
  forgetSite(siteId: number): void {
    this.items.delete(siteId);
  }

  private async loadSiteItems(siteId: number): Promise<SiteItems> {
    const [sites, columns] = await Promise.all([this.sites(), this.columns()]);
    const site = sites.get(siteId);
    if (!site) return new SiteItems([], columns);
    const summaryCols = ['a.id', 'a.site_id', 'a.column_id', 'a.published_at', 'a.version', 'a.live_version', 'a.title', 'a.summary', 'a.source', 'a.cover_media_id', 'a.cover_alt'] as const;

    const natives = await this.db.selectFrom('articles as a').select(summaryCols).where('a.site_id', '=', siteId).where('a.live_version', 'is not', null).execute();
    const placements = await this.db
      .selectFrom('syndications as s')
      .innerJoin('articles as a', 'a.id', 's.article_id')
      .select(summaryCols)
      .select(['s.id as syn_id', 's.column_id as syn_column_id', 's.published_at as syn_published_at'])
      .where('s.site_id', '=', siteId)
      .where('s.status', '=', 'published')
      .where('a.live_version', 'is not', null)
      .execute();
    // Live snapshots of the articles whose working copy moved on since publication.
    const stale = [...natives, ...placements].filter((r) => r.version !== r.live_version).map((r) => r.id);
    const snapshots = await this.snapshots(stale);

    const items: Item[] = [];
    const summaryOf = (r: (typeof natives)[number]) => {
      const snap = r.version !== r.live_version ? snapshots.get(r.id) : undefined;
      if (snap) return { title: snap.title, summary: snap.summary, source: snap.source, cover: snap.coverMediaId ? { mediaId: snap.coverMediaId, alt: snap.coverAlt } : null };
      return { title: r.title, summary: r.summary, source: r.source, cover: r.cover_media_id ? { mediaId: r.cover_media_id, alt: r.cover_alt } : null };
    };
    for (const r of natives) {
      const col = columns.get(r.column_id);
      if (!col || !r.published_at) continue;
      items.push({
        kind: 'article',
        articleId: r.id,
        syndicationId: null,
        columnId: r.column_id,
        siteId,
        time: r.published_at,
        ...summaryOf(r),
        fromSiteId: null,
        url: articleUrl(site.code, col.path, r.published_at, r.id),
      });
    }
    for (const r of placements) {
      const col = columns.get(r.syn_column_id);
      if (!col || col.siteId !== siteId || !r.syn_published_at) continue;
      items.push({
        kind: 'placement',
        articleId: r.id,
        syndicationId: r.syn_id,
        columnId: r.syn_column_id,
        siteId,
        time: r.syn_published_at,
        ...summaryOf(r),
        fromSiteId: r.site_id,
        url: articleUrl(site.code, col.path, r.syn_published_at, r.id),
      });
    }
    return new SiteItems(items, columns);
  }

  /** Live-version snapshots of these articles (by article id). */
  private async snapshots(articleIds: number[]): Promise<Map<number, LiveText>> {
    const out = new Map<number, LiveText>();
    for (const part of chunks([...new Set(articleIds)])) {
      const rows = await this.db
        .selectFrom('article_versions as v')
        .innerJoin('articles as a', (j) => j.onRef('a.id', '=', 'v.article_id').onRef('a.live_version', '=', 'v.version'))
        .select(['v.article_id', 'v.data'])
        .where('v.article_id', 'in', part)
        .execute();
      for (const r of rows) out.set(r.article_id, textOfSnapshot(r.data));
    }
    return out;
  }

  /** The full public text of live articles (for their pages and their placements' pages). */
  async fullArticles(ids: readonly number[]): Promise<Map<number, FullArticle>> {
    const out = new Map<number, FullArticle>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db
        .selectFrom('articles')
        .select(['id', 'site_id', 'column_id', 'published_at', 'version', 'live_version', 'title', 'subtitle', 'summary', 'body', 'source', 'author', 'tags', 'cover_media_id', 'cover_alt'])
        .where('id', 'in', part)
        .where('live_version', 'is not', null)
        .execute();
      const fast = rows.filter((r) => r.version === r.live_version).map((r) => r.id);
      const attachments = new Map<number, number[]>();
      if (fast.length > 0) {
        const att = await this.db.selectFrom('article_attachments').select(['article_id', 'media_id']).where('article_id', 'in', fast).orderBy('article_id').orderBy('sort').execute();
        for (const a of att) attachments.set(a.article_id, [...(attachments.get(a.article_id) ?? []), a.media_id]);
      }
      const snaps = await this.snapshots(rows.filter((r) => r.version !== r.live_version).map((r) => r.id));
      for (const r of rows) {
        if (!r.published_at) continue;
        const text: LiveText | undefined =
          r.version === r.live_version
            ? {
                title: r.title,
                subtitle: r.subtitle,
                summary: r.summary,
                body: r.body,
                source: r.source,
                author: r.author,
                tags: parseStringArray(r.tags),
                coverMediaId: r.cover_media_id,
                coverAlt: r.cover_alt,
                attachmentIds: attachments.get(r.id) ?? [],
              }
            : snaps.get(r.id);
        if (text) out.set(r.id, { id: r.id, siteId: r.site_id, columnId: r.column_id, publishedAt: r.published_at, text });
      }
    }
    return out;
  }

  async media(ids: readonly number[]): Promise<Map<number, MediaInfo>> {
    const out = new Map<number, MediaInfo>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db.selectFrom('media').select(['id', 'original_name', 'ext', 'size', 'kind']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, { id: r.id, name: r.original_name, ext: r.ext, size: Number(r.size), kind: r.kind });
    }
    return out;
  }

  /** The public address of a live article in its own site, or null. */
  async articleUrlOf(a: Pick<FullArticle, 'id' | 'siteId' | 'columnId' | 'publishedAt'>): Promise<string | null> {
    const [site, col] = [await this.site(a.siteId), (await this.columns()).get(a.columnId)];
    return site && col ? articleUrl(site.code, col.path, a.publishedAt, a.id) : null;
  }

  /** Syndication rows by id. */
  async syndications(ids: readonly number[]): Promise<Map<number, { id: number; articleId: number; siteId: number; columnId: number; status: string; publishedAt: string | null }>> {
    const out = new Map<number, { id: number; articleId: number; siteId: number; columnId: number; status: string; publishedAt: string | null }>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db.selectFrom('syndications').select(['id', 'article_id', 'site_id', 'column_id', 'status', 'published_at']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, { id: r.id, articleId: r.article_id, siteId: r.site_id, columnId: r.column_id, status: r.status, publishedAt: r.published_at });
    }
    return out;
  }

  /** Site of each article (live or not), by id. */
  async articleSites(ids: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db.selectFrom('articles').select(['id', 'site_id']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, r.site_id);
    }
    return out;
  }

  /** Redirect rows by old path. */
  async redirects(paths: readonly string[]): Promise<Map<string, { toPath: string; siteId: number | null }>> {
    const out = new Map<string, { toPath: string; siteId: number | null }>();
    for (const part of chunks([...new Set(paths)])) {
      const rows = await this.db.selectFrom('redirects').select(['from_path', 'to_path', 'site_id']).where('from_path', 'in', part).execute();
      for (const r of rows) out.set(r.from_path, { toPath: r.to_path, siteId: r.site_id });
    }
    return out;
  }

  /**
   * Is this path (a URL or its file) the address of a live page other than a redirect: a site
   * home, a column, a live article or placement? A redirect is never written over one.
   */
  async isLivePath(url: string): Promise<boolean> {
    const file = url.endsWith('/') ? `${url}index.html` : url;
    const sites = await this.sites();
    const open = [...sites.values()].filter((s) => s.status === 'open');
    for (const s of open) if (file === `${s.url}index.html`) return true;
    for (const c of (await this.columns()).values()) {
      const s = sites.get(c.siteId);
      if (!s || s.status !== 'open' || c.kind === 'link') continue;
      const base = columnUrl(s.code, c.path);
      if (file === `${base}index.html` || (file.startsWith(`${base}index_`) && /^index_\d+\.html$/.test(file.slice(base.length)))) return true;
    }
    const m = /\/t\d{8}_([1-9]\d{0,9})\.html$/.exec(file);
    if (m) {
      const id = Number(m[1]);
      const siteOf = (await this.articleSites([id])).get(id);
      if (siteOf !== undefined && (await this.siteItems(siteOf)).native.get(id)?.url === file) return true;
      const syns = await this.db.selectFrom('syndications').select('site_id').where('article_id', '=', id).where('status', '=', 'published').execute();
      for (const s of syns) for (const it of (await this.siteItems(s.site_id)).placement.values()) if (it.url === file) return true;
    }
    return false;
  }

  /** Ids of the live articles of a site and of the published placements into it. */
  async siteItemIds(siteId: number): Promise<{ articles: number[]; placements: number[] }> {
    const items = await this.siteItems(siteId);
    return { articles: [...items.native.keys()].sort((a, b) => a - b), placements: [...items.placement.keys()].sort((a, b) => a - b) };
  }

  /** Published placements whose source article belongs to `siteId` (their pages link back to it). */
  async placementsFromSite(siteId: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('syndications as s')
      .innerJoin('articles as a', 'a.id', 's.article_id')
      .select('s.id')
      .where('a.site_id', '=', siteId)
      .where('s.status', '=', 'published')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Redirect rows of a site (or every row). */
  async redirectPaths(siteId?: number): Promise<string[]> {
    let q = this.db.selectFrom('redirects').select('from_path');
    if (siteId !== undefined) q = q.where('site_id', '=', siteId);
    return (await q.orderBy('from_path').execute()).map((r) => r.from_path);
  }
}
