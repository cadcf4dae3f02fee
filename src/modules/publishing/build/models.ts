/**
 * Render models: BuildData (what the database says) → RenderContext (what a template sees, see
 * ../model.ts). Pure once the data is loaded: the same data gives the same model, which is what
 * makes an incremental publish byte-identical to a full build.
 *
 * Variants: a Simplified (zh-CN) site's pages are built twice — the Simplified page, and its
 * Traditional twin whose URLs (to pages of Simplified sites) carry TRADITIONAL_PREFIX, whose
 * `page.lang` is 'zh-Hant' and whose HTML is converted afterwards. A zh-TW site has one
 * Traditional page (converted, no prefix, no twin), an English site one page.
 *
 * Related items are the article's nearest neighbours in its column (up to five older ones, topped
 * up with newer ones when fewer exist), not the column's latest five: with "latest five" every
 * publication would change every article page of its column (hundreds of pages re-rendered and
 * recompressed per publish); neighbours change only for the ten articles around the one that
 * changed (see affected.ts).
 */
import { beijingParts } from '../../../lib/time.js';
import { mediaUrl, thumbnailUrl } from '../../media/index.js';
import { PORTAL_CODE, columnUrl } from '../../sites/index.js';
import {
  type ArticleModel,
  type ArticleSummary,
  type Attachment,
  type ColumnModel,
  type HomeModel,
  type Link,
  type NavItem,
  type PageKind,
  type PageModel,
  type Pagination,
  type RenderContext,
  type SiteFooter,
  type SiteModel,
  TRADITIONAL_PREFIX,
} from '../model.js';
import {
  type BuildData,
  type ColumnInfo,
  type FullArticle,
  type Item,
  LISTING_KINDS,
  type MediaInfo,
  type SiteInfo,
  type SiteItems,
} from './data.js';
import { HEADLINES, HOME_BLOCK_SIZE, LIST_PAGE_SIZE, RELATED_SIZE, assetsUrl, fileOf, listPageUrl, notFoundUrl, pageCount, rssUrl, sitemapHtmlUrl, traditional } from './pages.js';

/** 我为政府网站找错: the national error-report service for government websites. */
export const REPORT_ERROR_URL = 'https://zfwzzc.www.gov.cn/';

export interface Variant {
  lang: 'zh-CN' | 'zh-Hant' | 'en';
  /** Links to Simplified sites' pages go to their Traditional twins; files go under TRADITIONAL_PREFIX. */
  prefixed: boolean;
  /** The finished HTML is converted to Traditional characters. */
  convert: boolean;
  /** The other script's page exists (the 简/繁 switch). */
  hasTwin: boolean;
}

export const SIMPLIFIED: Variant = { lang: 'zh-CN', prefixed: false, convert: false, hasTwin: true };
export const TRADITIONAL: Variant = { lang: 'zh-Hant', prefixed: true, convert: true, hasTwin: true };
const NATIVE_TRADITIONAL: Variant = { lang: 'zh-Hant', prefixed: false, convert: true, hasTwin: false };
const ENGLISH: Variant = { lang: 'en', prefixed: false, convert: false, hasTwin: false };

export function variantsOf(site: Pick<SiteInfo, 'language'>): Variant[] {
  if (site.language === 'zh-TW') return [NATIVE_TRADITIONAL];
  if (site.language === 'en') return [ENGLISH];
  return [SIMPLIFIED, TRADITIONAL];
}

/** The file a page of this variant is written to. */
export const variantFile = (v: Variant, url: string): string => (v.prefixed ? traditional(fileOf(url)) : fileOf(url));

/** A page of a group: where it goes and what it shows. */
export interface PageOut {
  file: string;
  template: string;
  ctx: RenderContext;
  convert: boolean;
}

const LABELS = {
  zh: { home: '首页', sitemap: '网站地图', notFound: '页面不存在', page: (n: number) => `（第${n}页）` },
  en: { home: 'Home', sitemap: 'Site map', notFound: 'Page not found', page: (n: number) => ` (page ${n})` },
};

/** ColumnType meta values by column kind (the monitoring crawlers' column categories). */
const COLUMN_TYPE: Record<ColumnInfo['kind'], string> = {
  list: '信息列表',
  page: '单页',
  link: '链接',
  disclosure: '信息公开',
  service: '办事服务',
  interaction: '互动交流',
};

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** Reading text of sanitised HTML, whitespace collapsed, cut to `max` characters (for Description). */
export function plainText(html: string, max: number): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => ENTITIES[m] ?? m)
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const beijingDate = (isoTime: string): string => {
  const p = beijingParts(new Date(isoTime));
  return `${p.y}-${p.m}-${p.d}`;
};
const beijingDateTime = (isoTime: string): string => {
  const p = beijingParts(new Date(isoTime));
  return `${p.y}-${p.m}-${p.d} ${p.hh}:${p.mm}`;
};

export interface ModelOptions {
  /** Origin of absolute URLs (the `Url` meta tag, feeds, sitemap.xml), e.g. "http://127.0.0.1:3000". */
  publicUrl: string;
}

export class ModelBuilder {
  readonly origin: string;
  private readonly publicHost: string;
  private readonly navMemo = new Map<string, NavItem[]>();
  private readonly clusterMemo = new Map<string, Link[]>();
  private readonly siteMemo = new Map<string, SiteModel>();

  constructor(
    readonly data: BuildData,
    opts: ModelOptions,
  ) {
    const u = new URL(opts.publicUrl);
    this.origin = u.origin;
    this.publicHost = u.host;
  }

  // ---------- links ----------

  /** A link to a page of `target` (a site) as seen from a page of variant `v`. */
  link(v: Variant, target: Pick<SiteInfo, 'language'> | undefined, url: string): string {
    return v.prefixed && target?.language === 'zh-CN' ? `${TRADITIONAL_PREFIX}${url}` : url;
  }

  private labels(site: SiteInfo) {
    return site.language === 'en' ? LABELS.en : LABELS.zh;
  }

  // ---------- site ----------

  private footer(site: SiteInfo): SiteFooter {
    const s = site.settings;
    return {
      sponsor: s.sponsor,
      organizer: s.organizer,
      contact: s.contact,
      address: s.address,
      phone: s.phone,
      email: s.email,
      siteIdCode: s.siteIdCode,
      icp: s.icp,
      psbNumber: s.psbNumber,
      reportErrorUrl: REPORT_ERROR_URL,
    };
  }

  domain(site: SiteInfo): string {
    return site.hosts[0] ?? this.publicHost;
  }

  /** Navigation of a site (active columns, nested), `current` marking the column and its ancestors. */
  async nav(site: SiteInfo, v: Variant, current: ColumnInfo | null): Promise<NavItem[]> {
    const key = `${site.id}|${v.lang}|${v.prefixed}|${current?.id ?? 0}`;
    let out = this.navMemo.get(key);
    if (out) return out;
    const columns = await this.data.columns();
    const item = (c: ColumnInfo): NavItem => {
      const external = c.kind === 'link';
      return {
        name: c.name,
        url: external ? (c.linkUrl ?? '#') : this.link(v, site, columnUrl(site.code, c.path)),
        current: !!current && current.idPath.startsWith(c.idPath),
        external,
        children: c.children.map((id) => columns.get(id)!).filter((k) => k.status === 'active').map(item),
      };
    };
    out = (await this.data.siteColumns(site.id)).filter((c) => c.parentId === null && c.status === 'active').map(item);
    this.navMemo.set(key, out);
    return out;
  }

  async cluster(v: Variant): Promise<Link[]> {
    const key = `${v.lang}|${v.prefixed}`;
    let out = this.clusterMemo.get(key);
    if (!out) {
      out = (await this.data.cluster()).map((s) => ({ name: s.name, url: this.link(v, s, s.url) }));
      this.clusterMemo.set(key, out);
    }
    return out;
  }

  /** The site part of a page's model; one shared object per site, variant and current column. */
  async siteModel(site: SiteInfo, v: Variant, current: ColumnInfo | null): Promise<SiteModel> {
    const key = `${site.id}|${v.lang}|${v.prefixed}|${current?.id ?? 0}`;
    let out = this.siteMemo.get(key);
    if (!out) {
      out = await this.buildSiteModel(site, v, current);
      this.siteMemo.set(key, out);
    }
    return out;
  }

  private async buildSiteModel(site: SiteInfo, v: Variant, current: ColumnInfo | null): Promise<SiteModel> {
    return {
      id: site.id,
      code: site.code,
      name: site.name,
      url: this.link(v, site, site.url),
      domain: this.domain(site),
      language: site.language,
      isPortal: site.code === PORTAL_CODE,
      footer: this.footer(site),
      nav: await this.nav(site, v, current),
      cluster: await this.cluster(v),
      sitemapUrl: this.link(v, site, sitemapHtmlUrl(site.code)),
    };
  }

  // ---------- pieces ----------

  private siteMeta(site: SiteInfo): { name: string; content: string }[] {
    return [
      { name: 'SiteName', content: site.name },
      { name: 'SiteDomain', content: this.domain(site) },
      { name: 'SiteIDCode', content: site.settings.siteIdCode },
    ];
  }

  private columnMeta(c: ColumnInfo): { name: string; content: string }[] {
    return [
      { name: 'ColumnName', content: c.name },
      { name: 'ColumnDescription', content: c.description },
      { name: 'ColumnKeywords', content: c.keywords },
      { name: 'ColumnType', content: COLUMN_TYPE[c.kind] },
    ];
  }

  private page(
    site: SiteInfo,
    v: Variant,
    p: { kind: PageKind; title: string; url: string; breadcrumbs: Link[]; meta: { name: string; content: string }[]; feed: string | null },
  ): PageModel {
    const url = this.link(v, site, p.url);
    let alternate: PageModel['alternate'] = null;
    if (v.hasTwin) alternate = v.prefixed ? { url: p.url, label: '简体', lang: 'zh-CN' } : { url: traditional(p.url), label: '繁體', lang: 'zh-Hant' };
    return { kind: p.kind, title: p.title, url, lang: v.lang, alternate, breadcrumbs: p.breadcrumbs, meta: p.meta, feed: p.feed };
  }

  /** Home, then the column's ancestors and the column itself. */
  private async crumbs(site: SiteInfo, v: Variant, column: ColumnInfo | null): Promise<Link[]> {
    const out: Link[] = [{ name: this.labels(site).home, url: this.link(v, site, site.url) }];
    if (!column) return out;
    const columns = await this.data.columns();
    const chain: ColumnInfo[] = [];
    for (let c: ColumnInfo | undefined = column; c; c = c.parentId === null ? undefined : columns.get(c.parentId)) chain.unshift(c);
    for (const c of chain) out.push({ name: c.name, url: c.kind === 'link' ? (c.linkUrl ?? '#') : this.link(v, site, columnUrl(site.code, c.path)) });
    return out;
  }

  private async columnModel(site: SiteInfo, v: Variant, c: ColumnInfo): Promise<ColumnModel> {
    const columns = await this.data.columns();
    const children = c.children
      .map((id) => columns.get(id)!)
      .filter((k) => k.status === 'active')
      .map((k) => ({ name: k.name, url: k.kind === 'link' ? (k.linkUrl ?? '#') : this.link(v, site, columnUrl(site.code, k.path)) }));
    return {
      id: c.id,
      name: c.name,
      url: this.link(v, site, columnUrl(site.code, c.path)),
      path: c.path,
      kind: c.kind,
      description: c.description,
      keywords: c.keywords,
      children,
    };
  }

  private feedOf(site: SiteInfo, c: ColumnInfo): string | null {
    return LISTING_KINDS.includes(c.kind) ? rssUrl(site.code, c.path) : null;
  }

  async summary(v: Variant, it: Item): Promise<ArticleSummary> {
    const sites = await this.data.sites();
    return {
      id: it.articleId,
      title: it.title,
      url: this.link(v, sites.get(it.siteId), it.url),
      date: beijingDate(it.time),
      summary: it.summary,
      source: it.source,
      cover: it.cover ? { url: thumbnailUrl(it.cover.mediaId), alt: it.cover.alt } : null,
      fromSite: it.fromSiteId === null ? null : (sites.get(it.fromSiteId)?.name ?? null),
    };
  }

  private summaries(v: Variant, items: readonly Item[]): Promise<ArticleSummary[]> {
    return Promise.all(items.map((it) => this.summary(v, it)));
  }

  /** Template name for a page of a column: the column's override for this use, or the default. */
  static template(c: ColumnInfo | null, use: 'list' | 'page' | 'article', fallback: string): string {
    const t = c?.templates[use];
    return typeof t === 'string' && t !== '' ? t : fallback;
  }

  // ---------- pages ----------

  async home(site: SiteInfo, items: SiteItems): Promise<PageOut[]> {
    const columns = await this.data.siteColumns(site.id);
    const tops = columns.filter((c) => c.parentId === null && c.kind === 'list' && c.status === 'active');
    const headlineItems = items
      .listed()
      .filter((it) => it.cover)
      .slice(0, HEADLINES);
    const out: PageOut[] = [];
    for (const v of variantsOf(site)) {
      const home: HomeModel = {
        headlines: await this.summaries(v, headlineItems),
        blocks: await Promise.all(
          tops.map(async (c) => ({ column: { name: c.name, url: this.link(v, site, columnUrl(site.code, c.path)) }, items: await this.summaries(v, items.aggregate(c.id).slice(0, HOME_BLOCK_SIZE)) })),
        ),
        entries:
          site.code === PORTAL_CODE
            ? [
                { name: '信息公开', url: '/xxgk/', description: '政府信息公开目录、政策文件与解读、依申请公开' },
                { name: '办事服务', url: '/bsfw/', description: '办事指南、在线申报、办件查询与预约' },
                { name: '互动交流', url: '/hdjl/', description: '市长信箱、咨询投诉、民意征集与在线访谈' },
              ]
            : [],
        rankings: [],
      };
      const ctx: RenderContext = {
        site: await this.siteModel(site, v, null),
        page: this.page(site, v, { kind: 'home', title: site.name, url: site.url, breadcrumbs: [], meta: this.siteMeta(site), feed: null }),
        home,
        assets: assetsUrl(site.theme),
      };
      out.push({ file: variantFile(v, site.url), template: 'home', ctx, convert: v.convert });
    }
    return out;
  }

  /** Every list page of a listing column. */
  async listPages(site: SiteInfo, c: ColumnInfo, items: SiteItems): Promise<PageOut[]> {
    const all = items.aggregate(c.id);
    const total = pageCount(all.length);
    const out: PageOut[] = [];
    for (const v of variantsOf(site)) {
      const siteModel = await this.siteModel(site, v, c);
      const column = await this.columnModel(site, v, c);
      const breadcrumbs = await this.crumbs(site, v, c);
      const meta = [...this.siteMeta(site), ...this.columnMeta(c)];
      const urlOf = (n: number) => this.link(v, site, listPageUrl(site.code, c.path, n));
      for (let n = 1; n <= total; n++) {
        const url = listPageUrl(site.code, c.path, n);
        const pagination: Pagination = {
          current: n,
          total,
          prev: n > 1 ? urlOf(n - 1) : null,
          next: n < total ? urlOf(n + 1) : null,
          pages: Array.from({ length: total }, (_, i) => ({ number: i + 1, url: urlOf(i + 1), current: i + 1 === n })),
        };
        const title = `${c.name}${n > 1 ? this.labels(site).page(n) : ''}_${site.name}`;
        const ctx: RenderContext = {
          site: siteModel,
          page: this.page(site, v, { kind: 'column', title, url, breadcrumbs, meta, feed: this.feedOf(site, c) }),
          column,
          articles: await this.summaries(v, all.slice((n - 1) * LIST_PAGE_SIZE, n * LIST_PAGE_SIZE)),
          pagination,
          assets: assetsUrl(site.theme),
        };
        out.push({ file: variantFile(v, url), template: ModelBuilder.template(c, 'list', 'column'), ctx, convert: v.convert });
      }
    }
    return out;
  }

  /** The single page of a 'page' column: its latest live article. */
  async pageColumn(site: SiteInfo, c: ColumnInfo, items: SiteItems): Promise<PageOut[]> {
    const latest = items.sequence(c.id).find((it) => it.kind === 'article');
    const full = latest ? (await this.data.fullArticles([latest.articleId])).get(latest.articleId) : undefined;
    const media = full ? await this.data.media(full.text.attachmentIds) : new Map<number, MediaInfo>();
    const out: PageOut[] = [];
    for (const v of variantsOf(site)) {
      const url = columnUrl(site.code, c.path);
      const ctx: RenderContext = {
        site: await this.siteModel(site, v, c),
        page: this.page(site, v, {
          kind: 'page',
          title: `${c.name}_${site.name}`,
          url,
          breadcrumbs: await this.crumbs(site, v, c),
          meta: [...this.siteMeta(site), ...this.columnMeta(c)],
          feed: null,
        }),
        column: await this.columnModel(site, v, c),
        ...(latest && full ? { article: await this.articleModel(v, latest, full, media, [], null) } : {}),
        assets: assetsUrl(site.theme),
      };
      out.push({ file: variantFile(v, url), template: ModelBuilder.template(c, 'page', 'page'), ctx, convert: v.convert });
    }
    return out;
  }

  private async articleModel(
    v: Variant,
    it: Item,
    full: FullArticle,
    media: Map<number, MediaInfo>,
    neighbours: { related: Item[]; prev: Item | null; next: Item | null } | [],
    origin: Link | null,
  ): Promise<ArticleModel> {
    const t = full.text;
    const n = Array.isArray(neighbours) ? { related: [], prev: null, next: null } : neighbours;
    const sites = await this.data.sites();
    const linkOf = (x: Item | null): Link | null => (x ? { name: x.title, url: this.link(v, sites.get(x.siteId), x.url) } : null);
    const attachments: Attachment[] = t.attachmentIds
      .map((id) => media.get(id))
      .filter((m): m is MediaInfo => !!m)
      .map((m) => ({ name: m.name, url: mediaUrl(m.id), ext: m.ext, size: humanSize(m.size) }));
    return {
      id: full.id,
      title: t.title,
      subtitle: t.subtitle,
      summary: t.summary,
      body: t.body,
      source: t.source,
      author: t.author,
      datetime: beijingDateTime(it.time),
      date: beijingDate(it.time),
      isoDate: new Date(it.time).toISOString(),
      tags: t.tags,
      cover: t.coverMediaId ? { url: mediaUrl(t.coverMediaId), alt: t.coverAlt } : null,
      attachments,
      related: await this.summaries(v, n.related),
      prev: linkOf(n.prev),
      next: linkOf(n.next),
      origin,
    };
  }

  /** The article's nearest neighbours in its column's list (see the file comment). */
  static neighbours(seq: readonly Item[], it: Item): { related: Item[]; prev: Item | null; next: Item | null } {
    const i = seq.indexOf(it);
    if (i < 0) return { related: [], prev: null, next: null };
    const related = seq.slice(i + 1, i + 1 + RELATED_SIZE);
    for (let j = i - 1; j >= 0 && related.length < RELATED_SIZE; j--) related.push(seq[j]!);
    return { related, prev: seq[i - 1] ?? null, next: seq[i + 1] ?? null };
  }

  /**
   * An article's page (kind 'article'), for an article in its own site or a placement (then
   * `origin` links to the source's page, which is also the canonical address).
   */
  async article(site: SiteInfo, it: Item, full: FullArticle, items: SiteItems, media: Map<number, MediaInfo>): Promise<PageOut[]> {
    const columns = await this.data.columns();
    const c = columns.get(it.columnId);
    if (!c) return [];
    const sites = await this.data.sites();
    const sourceSite = it.kind === 'placement' ? sites.get(full.siteId) : undefined;
    const sourceUrl = it.kind === 'placement' ? await this.data.articleUrlOf(full) : null;
    const neighbours = ModelBuilder.neighbours(items.sequence(c.id), it);
    const out: PageOut[] = [];
    for (const v of variantsOf(site)) {
      const t = full.text;
      const origin = sourceSite && sourceUrl ? { name: sourceSite.name, url: this.link(v, sourceSite, sourceUrl) } : null;
      const pageUrl = this.link(v, site, it.url);
      const meta = [
        ...this.siteMeta(site),
        ...this.columnMeta(c),
        { name: 'ArticleTitle', content: t.title },
        { name: 'PubDate', content: beijingDateTime(it.time) },
        { name: 'ContentSource', content: t.source },
        { name: 'Keywords', content: t.tags.join(',') },
        { name: 'Author', content: t.author },
        { name: 'Description', content: t.summary || plainText(t.body, 120) },
        { name: 'Url', content: `${this.origin}${pageUrl}` },
      ];
      const ctx: RenderContext = {
        site: await this.siteModel(site, v, c),
        page: this.page(site, v, {
          kind: 'article',
          title: `${t.title}_${c.name}_${site.name}`,
          url: it.url,
          breadcrumbs: await this.crumbs(site, v, c),
          meta,
          feed: this.feedOf(site, c),
        }),
        column: await this.columnModel(site, v, c),
        article: await this.articleModel(v, it, full, media, neighbours, origin),
        assets: assetsUrl(site.theme),
      };
      out.push({ file: variantFile(v, it.url), template: ModelBuilder.template(c, 'article', 'article'), ctx, convert: v.convert });
    }
    return out;
  }

  async sitemap(site: SiteInfo): Promise<PageOut[]> {
    const out: PageOut[] = [];
    const url = sitemapHtmlUrl(site.code);
    for (const v of variantsOf(site)) {
      const label = this.labels(site).sitemap;
      const ctx: RenderContext = {
        site: await this.siteModel(site, v, null),
        page: this.page(site, v, {
          kind: 'sitemap',
          title: `${label}_${site.name}`,
          url,
          breadcrumbs: [...(await this.crumbs(site, v, null)), { name: label, url: this.link(v, site, url) }],
          meta: this.siteMeta(site),
          feed: null,
        }),
        tree: await this.nav(site, v, null),
        assets: assetsUrl(site.theme),
      };
      out.push({ file: variantFile(v, url), template: 'sitemap', ctx, convert: v.convert });
    }
    return out;
  }

  async notFound(site: SiteInfo): Promise<PageOut[]> {
    const out: PageOut[] = [];
    const url = notFoundUrl(site.code);
    for (const v of variantsOf(site)) {
      const ctx: RenderContext = {
        site: await this.siteModel(site, v, null),
        page: this.page(site, v, {
          kind: 'notfound',
          title: `${this.labels(site).notFound}_${site.name}`,
          url,
          breadcrumbs: await this.crumbs(site, v, null),
          meta: this.siteMeta(site),
          feed: null,
        }),
        assets: assetsUrl(site.theme),
      };
      out.push({ file: variantFile(v, url), template: 'notfound', ctx, convert: v.convert });
    }
    return out;
  }

  // ---------- XML ----------

  /** sitemap.xml: the home page, every column page and every live article or placement of the site. */
  async sitemapXml(site: SiteInfo, items: SiteItems): Promise<string> {
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
    const loc = (url: string, lastmod?: string) => `<url><loc>${xml(this.origin + url)}</loc>${lastmod ? `<lastmod>${lastmod}</lastmod>` : ''}</url>`;
    lines.push(loc(site.url));
    for (const c of await this.data.siteColumns(site.id)) if (c.kind !== 'link') lines.push(loc(columnUrl(site.code, c.path)));
    for (const it of items.all()) lines.push(loc(it.url, beijingDate(it.time)));
    lines.push('</urlset>', '');
    return lines.join('\n');
  }

  /** rss.xml of a listing column: its latest items. */
  async rss(site: SiteInfo, c: ColumnInfo, items: SiteItems, size: number): Promise<string> {
    const sites = await this.data.sites();
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<rss version="2.0">',
      '<channel>',
      `<title>${xml(`${c.name}_${site.name}`)}</title>`,
      `<link>${xml(this.origin + columnUrl(site.code, c.path))}</link>`,
      `<description>${xml(c.description || c.name)}</description>`,
      `<language>${site.language === 'en' ? 'en' : site.language.toLowerCase()}</language>`,
    ];
    for (const it of items.aggregate(c.id).slice(0, size)) {
      const link = xml(this.origin + it.url);
      const from = it.fromSiteId === null ? '' : (sites.get(it.fromSiteId)?.name ?? '');
      lines.push(
        `<item><title>${xml(it.title)}</title><link>${link}</link><guid isPermaLink="true">${link}</guid><pubDate>${new Date(it.time).toUTCString()}</pubDate>` +
          `${it.summary ? `<description>${xml(it.summary)}</description>` : ''}${from || it.source ? `<source url="${link}">${xml(from || it.source)}</source>` : ''}</item>`,
      );
    }
    lines.push('</channel>', '</rss>', '');
    return lines.join('\n');
  }
}

/** Escapes text for XML character data and attribute values. */
export function xml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '"' ? '&quot;' : '&apos;'));
}

/** A redirect page: the browser follows the meta refresh; the server also answers 301. */
export function redirectPage(to: string, lang: 'zh-CN' | 'zh-Hant' | 'en'): string {
  const t = xml(to);
  const [title, text] = lang === 'en' ? ['Page moved', 'This page has moved to'] : ['页面已移动', '本页面已移动到'];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${t}">
<link rel="canonical" href="${t}">
<title>${title}</title>
</head>
<body>
<p>${text} <a href="${t}">${t}</a></p>
</body>
</html>
`;
}

