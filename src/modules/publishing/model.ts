/**
 * The render model: everything a template can see. The publisher builds it from the database
 * (build/models.ts); the theme renders it (theme/). Plain JSON-able data only — templates get no
 * functions, no database, no prototypes (LiquidJS runs with ownPropertyOnly).
 *
 * URLs are absolute paths. For the Traditional Chinese variant every URL is prefixed with
 * TRADITIONAL_PREFIX and the finished HTML is converted by OpenCC; templates do not know.
 */

/** Path prefix of the Traditional Chinese variant of a Simplified site: "/zh-hant/jyj/…". */
export const TRADITIONAL_PREFIX = '/zh-hant';

export type PageKind = 'home' | 'column' | 'page' | 'article' | 'sitemap' | 'notfound';

export interface Link {
  name: string;
  url: string;
}

export interface NavItem extends Link {
  /** True on the item for the current column or one of its ancestors. */
  current: boolean;
  /** 'link' items go elsewhere (possibly off-site). */
  external: boolean;
  children: NavItem[];
}

export interface SiteFooter {
  sponsor: string; // 主办单位
  organizer: string; // 承办单位
  contact: string;
  address: string;
  phone: string;
  email: string;
  siteIdCode: string; // 网站标识码
  icp: string; // ICP 备案号 (linked to https://beian.miit.gov.cn/)
  psbNumber: string; // 公安备案号 (14 digits; linked to the public-security filing register)
  /** "我为政府网站找错" entry. */
  reportErrorUrl: string;
}

export interface SiteModel {
  id: number;
  code: string;
  name: string;
  url: string;
  /** Domain shown in the SiteDomain meta tag (first own host, or the public host). */
  domain: string;
  language: 'zh-CN' | 'zh-TW' | 'en';
  isPortal: boolean;
  footer: SiteFooter;
  /** Top-level navigation from the column tree (hidden columns left out). */
  nav: NavItem[];
  /** The portal and every open site, for the "site cluster" footer menu. */
  cluster: Link[];
  /** The site map page (网站地图), linked from the footer and the 404 page; omitted when absent. */
  sitemapUrl?: string;
}

export interface PageModel {
  kind: PageKind;
  /** <title> text, already composed ("标题_栏目_网站名"). */
  title: string;
  url: string;
  /** 'zh-CN' for Simplified pages, 'zh-Hant' for the converted variant. */
  lang: 'zh-CN' | 'zh-Hant' | 'en';
  /** The same page in the other script (the 简/繁 switch), or null when there is none. */
  alternate: { url: string; label: string; lang: string } | null;
  breadcrumbs: Link[];
  /**
   * The <meta name=… content=…> pairs national monitoring crawlers read, in order:
   * SiteName, SiteDomain, SiteIDCode, ColumnName, ColumnDescription, ColumnKeywords, ColumnType
   * and on article pages also ArticleTitle, PubDate (YYYY-MM-DD HH:MM), ContentSource, Keywords,
   * Author, Description, Url.
   */
  meta: { name: string; content: string }[];
  /** Path of the site's RSS feed for this column, when there is one. */
  feed: string | null;
}

export interface ArticleSummary {
  id: number;
  title: string;
  url: string;
  /** Beijing date "YYYY-MM-DD". */
  date: string;
  summary: string;
  source: string;
  /** Cover image for picture news. */
  cover: { url: string; alt: string } | null;
  /** Name of the site it comes from, for syndicated items on the portal ("来源：教育局"). */
  fromSite: string | null;
}

export interface Pagination {
  current: number;
  total: number;
  prev: string | null;
  next: string | null;
  /** Every page link (the theme may elide). */
  pages: { number: number; url: string; current: boolean }[];
}

export interface ColumnModel {
  id: number;
  name: string;
  url: string;
  path: string;
  kind: 'list' | 'page' | 'link' | 'disclosure' | 'service' | 'interaction';
  description: string;
  keywords: string;
  /** Child columns (for section index pages). */
  children: Link[];
}

export interface Attachment {
  name: string;
  url: string;
  ext: string;
  /** Human-readable size, "1.2 MB". */
  size: string;
}

export interface ArticleModel {
  id: number;
  title: string;
  subtitle: string;
  summary: string;
  /** Sanitised HTML (allow-list); the only value templates output unescaped. */
  body: string;
  source: string;
  author: string;
  /** Beijing time "YYYY-MM-DD HH:MM" and "YYYY-MM-DD". */
  datetime: string;
  date: string;
  /** ISO-8601 for <time datetime>. */
  isoDate: string;
  tags: string[];
  cover: { url: string; alt: string } | null;
  attachments: Attachment[];
  related: ArticleSummary[];
  /** Previous and next article in the column. */
  prev: Link | null;
  next: Link | null;
  /** For a syndicated placement: where the article comes from. */
  origin: Link | null;
}

/** Home-page blocks; a block with no items is left out by the theme. */
export interface HomeModel {
  /** Picture news with covers, for the headline carousel/grid. */
  headlines: ArticleSummary[];
  /** One block per top-level list column: its latest items. */
  blocks: { column: Link; items: ArticleSummary[] }[];
  /** Portal only: entries to the disclosure, services and interaction sections. */
  entries: { name: string; url: string; description: string }[];
  /** Slot for rankings (most-read departments …), filled by analytics later. */
  rankings: { title: string; items: Link[] }[];
}

/** The whole context of one page render. */
export interface RenderContext {
  site: SiteModel;
  page: PageModel;
  column?: ColumnModel;
  /** List pages: the items of this page. */
  articles?: ArticleSummary[];
  pagination?: Pagination;
  article?: ArticleModel;
  home?: HomeModel;
  /** Site map: the whole column tree. */
  tree?: NavItem[];
  /** Public asset base, e.g. "/assets/default/" (theme CSS/JS/images). */
  assets: string;
}
