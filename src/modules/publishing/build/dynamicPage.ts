/**
 * Pages the application renders per request (the search page now; letters, applications …
 * later) in a site's look: the same site model — navigation, footer identity, cluster menu,
 * banner — and the same 简/繁 variants as the published pages, built from the database by
 * ModelBuilder exactly as for a static page. The caller adds its own part of the model.
 */
import type { DB } from '../../../db/index.js';
import { PORTAL_CODE } from '../../sites/index.js';
import { type Link, type PageKind, type PageModel, type RenderContext, TRADITIONAL_PREFIX } from '../model.js';
import { BuildData, type SiteInfo } from './data.js';
import { ModelBuilder, SIMPLIFIED, TRADITIONAL, type Variant, variantsOf } from './models.js';
import { assetsUrl } from './pages.js';

export interface DynamicPageOptions {
  /** The site whose look the page takes (its code); null or unknown: the portal. */
  siteCode: string | null;
  /** The 繁體 variant (/zh-hant/…). */
  traditional: boolean;
  /** Page kind (the <body> class "page-<kind>"); dynamic kinds such as "search" are not static page kinds. */
  kind: string;
  title: string;
  /** The page's own address in the Simplified tree, query included, URL-encoded. */
  path: string;
  /** Crumbs after the home page (Simplified addresses). */
  crumbs: Link[];
  publicUrl: string;
}

export interface DynamicPage {
  site: SiteInfo;
  ctx: RenderContext;
  /** The finished HTML must be converted to Traditional characters. */
  convert: boolean;
  /** A link to a page of the site with this id, as seen from this page (Traditional twins for a 繁體 page). */
  link(siteId: number, url: string): string;
  /** Open sites of the cluster, portal first. */
  cluster: SiteInfo[];
}

/** The model of a dynamic page of an open site, or null when no open site (not even the portal) exists. */
export async function dynamicPage(db: DB, opts: DynamicPageOptions): Promise<DynamicPage | null> {
  const data = new BuildData(db);
  const builder = new ModelBuilder(data, { publicUrl: opts.publicUrl });
  const cluster = await data.cluster();
  const site = cluster.find((s) => s.code === opts.siteCode) ?? cluster.find((s) => s.code === PORTAL_CODE);
  if (!site) return null;
  const variants = variantsOf(site);
  const v: Variant = site.language === 'zh-CN' ? (opts.traditional ? TRADITIONAL : SIMPLIFIED) : variants[0]!;
  const sites = await data.sites();
  const link = (siteId: number, url: string) => builder.link(v, sites.get(siteId), url);
  let alternate: PageModel['alternate'] = null;
  if (v.hasTwin) alternate = v.prefixed ? { url: opts.path, label: '简体', lang: 'zh-CN' } : { url: `${TRADITIONAL_PREFIX}${opts.path}`, label: '繁體', lang: 'zh-Hant' };
  const page: PageModel = {
    kind: opts.kind as PageKind,
    title: opts.title,
    url: v.prefixed ? `${TRADITIONAL_PREFIX}${opts.path}` : opts.path,
    lang: v.lang,
    alternate,
    breadcrumbs: [{ name: site.language === 'en' ? 'Home' : '首页', url: link(site.id, site.url) }, ...opts.crumbs.map((c) => ({ name: c.name, url: v.prefixed ? `${TRADITIONAL_PREFIX}${c.url}` : c.url }))],
    meta: [
      { name: 'SiteName', content: site.name },
      { name: 'SiteDomain', content: builder.domain(site) },
      { name: 'SiteIDCode', content: site.settings.siteIdCode },
    ],
    feed: null,
  };
  const ctx: RenderContext = { site: await builder.siteModel(site, v, null), page, assets: assetsUrl(site.theme) };
  return { site, ctx, convert: v.convert, link, cluster };
}
