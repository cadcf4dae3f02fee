/**
 * Page groups and the paths they own. Every file under public/ belongs to exactly one group, and
 * a group is always rendered whole, so "which files exist" is the union of what the groups
 * produce and a stale file is one its group no longer produces. Pure: no I/O.
 *
 *   site:<id>:home        the site's index.html
 *   site:<id>:sitemap     the HTML site map (sitemap.html) and sitemap.xml
 *   site:<id>:404         the site's 404.html
 *   column:<id>           the first LIST_PAGES_FIRST list pages of a column (index.html,
 *                         index_2.html), or the single page of a 'page' column
 *   column:<id>:more      the column's deeper list pages (index_3.html …): a new article shifts
 *                         every one of them, so an event publishes them in a job of their own
 *                         after the pages a visitor sees first (Publisher.publishEvent `defer`)
 *   column:<id>:rss       the column's rss.xml
 *   article:<id>          an article's page
 *   placement:<synId>     a syndicated copy's page in the target column
 *   assets:<theme>        themes/<theme>/assets/** copied to /assets/<theme>/
 *   redirect:<fromPath>   a small page sending the old address of a moved page to its new one
 *
 * Inputs to publishGroups may also name `site:<id>:*` (every group of a site) and `*` (all).
 * HTML pages of Simplified sites have a Traditional twin at TRADITIONAL_PREFIX + path in the
 * same group.
 */
import { columnUrl, siteUrl } from '../../sites/index.js';
import { TRADITIONAL_PREFIX } from '../model.js';

/** Items per list page and in a column's feed. */
export const LIST_PAGE_SIZE = 20;
/** List pages in a column's own group; the rest are in its `:more` group. */
export const LIST_PAGES_FIRST = 2;
export const RSS_SIZE = 50;
/** Items per home-page block, and headline pictures on a home page. */
export const HOME_BLOCK_SIZE = 8;
export const HEADLINES = 5;
/** Related items on an article page (its nearest neighbours in the column, see models.ts). */
export const RELATED_SIZE = 5;

export type Group =
  | { kind: 'home' | 'sitemap' | '404'; siteId: number }
  | { kind: 'column' | 'columnMore' | 'rss'; columnId: number }
  | { kind: 'article'; articleId: number }
  | { kind: 'placement'; syndicationId: number }
  | { kind: 'assets'; theme: string }
  | { kind: 'redirect'; fromPath: string };

export const homeGroup = (siteId: number): string => `site:${siteId}:home`;
export const sitemapGroup = (siteId: number): string => `site:${siteId}:sitemap`;
export const notFoundGroup = (siteId: number): string => `site:${siteId}:404`;
export const columnGroup = (columnId: number): string => `column:${columnId}`;
export const rssGroup = (columnId: number): string => `column:${columnId}:rss`;
export const columnMoreGroup = (columnId: number): string => `column:${columnId}:more`;
/** Groups an event may publish in a follow-up job (they only shift; nobody waits for them). */
export const isDeferrable = (name: string): boolean => name.endsWith(':more');
export const articleGroup = (articleId: number): string => `article:${articleId}`;
export const placementGroup = (syndicationId: number): string => `placement:${syndicationId}`;
export const assetsGroup = (theme: string): string => `assets:${theme}`;
export const redirectGroup = (fromPath: string): string => `redirect:${fromPath}`;
/** Not a group: asks publishGroups for every group of a site. */
export const wholeSite = (siteId: number): string => `site:${siteId}:*`;
/** Not a group: asks publishGroups for everything (a full build). */
export const EVERYTHING = '*';

const ID = '([1-9][0-9]{0,9})';
const GROUP_RE = [
  [new RegExp(`^site:${ID}:(home|sitemap|404)$`), (m: RegExpExecArray): Group => ({ kind: m[2] as 'home' | 'sitemap' | '404', siteId: Number(m[1]) })],
  [new RegExp(`^column:${ID}$`), (m: RegExpExecArray): Group => ({ kind: 'column', columnId: Number(m[1]) })],
  [new RegExp(`^column:${ID}:rss$`), (m: RegExpExecArray): Group => ({ kind: 'rss', columnId: Number(m[1]) })],
  [new RegExp(`^column:${ID}:more$`), (m: RegExpExecArray): Group => ({ kind: 'columnMore', columnId: Number(m[1]) })],
  [new RegExp(`^article:${ID}$`), (m: RegExpExecArray): Group => ({ kind: 'article', articleId: Number(m[1]) })],
  [new RegExp(`^placement:${ID}$`), (m: RegExpExecArray): Group => ({ kind: 'placement', syndicationId: Number(m[1]) })],
  [/^assets:([a-z0-9][a-z0-9_-]{0,40})$/, (m: RegExpExecArray): Group => ({ kind: 'assets', theme: m[1]! })],
  [/^redirect:(\/[A-Za-z0-9_./-]{0,500})$/, (m: RegExpExecArray): Group => ({ kind: 'redirect', fromPath: m[1]! })],
] as const;

/** The group a name denotes, or null for anything malformed (names arrive in job payloads). */
export function parseGroup(name: string): Group | null {
  for (const [re, make] of GROUP_RE) {
    const m = re.exec(name);
    if (m) {
      const g = make(m);
      if (g.kind === 'redirect' && !isSafePath(g.fromPath)) return null;
      return g;
    }
  }
  return null;
}

export function groupName(g: Group): string {
  switch (g.kind) {
    case 'home':
      return homeGroup(g.siteId);
    case 'sitemap':
      return sitemapGroup(g.siteId);
    case '404':
      return notFoundGroup(g.siteId);
    case 'column':
      return columnGroup(g.columnId);
    case 'rss':
      return rssGroup(g.columnId);
    case 'columnMore':
      return columnMoreGroup(g.columnId);
    case 'article':
      return articleGroup(g.articleId);
    case 'placement':
      return placementGroup(g.syndicationId);
    case 'assets':
      return assetsGroup(g.theme);
    case 'redirect':
      return redirectGroup(g.fromPath);
  }
}

/** `site:<id>:*` → the site id, else null. */
export function wholeSiteOf(name: string): number | null {
  const m = /^site:([1-9][0-9]{0,9}):\*$/.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * A path the publisher may write: absolute, only URL-safe ASCII, no empty, "." or ".." segment,
 * no segment starting with "." (temporary files are dot-files). Paths come from validated codes,
 * slugs and numbers; this is the last line of defence before the file system.
 */
export function isSafePath(p: string): boolean {
  if (!/^\/[A-Za-z0-9_.~/-]*$/.test(p) || p.length > 1024) return false;
  const segs = p.split('/').slice(1);
  return segs.every((s, i) => (s === '' ? i === segs.length - 1 : !s.startsWith('.')));
}

/** The file a URL path names: directories map to their index.html. */
export const fileOf = (url: string): string => (url.endsWith('/') ? `${url}index.html` : url);

/** A URL in the Traditional Chinese tree. */
export const traditional = (url: string): string => `${TRADITIONAL_PREFIX}${url}`;

/** URL of list page `n` (1-based) of a column. */
export const listPageUrl = (siteCode: string, columnPath: string, n: number): string =>
  n <= 1 ? columnUrl(siteCode, columnPath) : `${columnUrl(siteCode, columnPath)}index_${n}.html`;

export const rssUrl = (siteCode: string, columnPath: string): string => `${columnUrl(siteCode, columnPath)}rss.xml`;
export const sitemapHtmlUrl = (siteCode: string): string => `${siteUrl(siteCode)}sitemap.html`;
export const sitemapXmlUrl = (siteCode: string): string => `${siteUrl(siteCode)}sitemap.xml`;
export const notFoundUrl = (siteCode: string): string => `${siteUrl(siteCode)}404.html`;
export const assetsUrl = (theme: string): string => `/assets/${theme}/`;

/** The list page number of a list page's file ("…/index_3.html" → 3, "…/index.html" → 1). */
export function listPageNumber(file: string): number {
  const m = /\/index_([0-9]+)\.html$/.exec(file);
  return m ? Number(m[1]) : 1;
}

/** Number of list pages for `count` items (an empty column still has its first page). */
export const pageCount = (count: number): number => Math.max(1, Math.ceil(count / LIST_PAGE_SIZE));

const TEXT_EXT = new Set(['html', 'xml', 'css', 'js', 'svg', 'txt', 'json']);

/** Text files get precompressed .gz and .br siblings; images and fonts are compressed already. */
export function isCompressible(p: string): boolean {
  const dot = p.lastIndexOf('.');
  return dot > p.lastIndexOf('/') && TEXT_EXT.has(p.slice(dot + 1).toLowerCase());
}

/** A precompressed sibling (`x.html.gz`, `x.html.br`). */
export const isDerived = (p: string): boolean => p.endsWith('.gz') || p.endsWith('.br');
