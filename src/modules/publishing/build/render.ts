/**
 * Renders page groups into files: group name → every file it produces now (possibly none: a
 * withdrawn article's group produces nothing, and the writer then deletes its old files).
 */
import type { RenderContext } from '../model.js';
import type { BuildData, FullArticle, MediaInfo, SiteInfo } from './data.js';
import { LISTING_KINDS } from './data.js';
import { type ModelBuilder, type PageOut, redirectPage } from './models.js';
import { type Group, LIST_PAGES_FIRST, RSS_SIZE, fileOf, listPageNumber, parseGroup, rssUrl, sitemapXmlUrl, traditional } from './pages.js';
import { toTraditional } from './traditional.js';
import { type GroupOutput, type OutFile, pool, sha256 } from './writer.js';

/** Groups rendered at the same time (their pages too): enough to keep a pool of render workers busy. */
const GROUP_CONCURRENCY = 8;

/** What the publisher needs of a theme engine (theme/engine.ts's ThemeEngine has this shape). */
export interface PageRenderer {
  /** Renders `template` ("home", "column", "page", "article", "sitemap", "notfound") for a site. */
  render(siteId: number, theme: string, template: string, ctx: RenderContext): Promise<string>;
  /** render + conversion to Traditional where the renderer can do both elsewhere (RenderPool's workers). */
  renderPage?(siteId: number, theme: string, template: string, ctx: RenderContext, convert: boolean): Promise<string>;
  /** The theme's static assets, name relative to `assets/` → bytes. */
  themeAssets?(theme: string): Map<string, Buffer>;
  /** Drops cached templates of a site (after its overrides changed), or of everything. */
  invalidate?(siteId?: number): void;
}

export interface RenderFailure {
  group: string;
  message: string;
}

const isTemplateError = (e: unknown): e is Error & { kind?: string; template?: string } => e instanceof Error && e.name === 'TemplateError';

/**
 * What each page was last rendered from (a hash of its template and model) and the hash of the
 * bytes it gave, by path. The same model through the same templates gives the same bytes, so a
 * page whose model did not change is not rendered again — typically all but one list page when an
 * article is edited. Templates changing is the one thing a model hash cannot see: the publisher
 * forgets a site's entries on template.changed and site.updated (and on `invalidate`).
 */
export type RenderMemo = Map<string, { key: string; sha: string; siteId: number }>;

/** Entries kept at most (about 150 bytes each); past that the memo starts over. */
const MEMO_LIMIT = 400_000;

export class GroupRenderer {
  constructor(
    readonly data: BuildData,
    readonly models: ModelBuilder,
    private readonly renderer: PageRenderer,
    private readonly memo?: RenderMemo,
  ) {}

  /**
   * Renders these groups. A group whose template fails is left out of the result (its files stay
   * as they are) and reported; anything else that fails (the database) throws.
   */
  async renderMany(names: readonly string[]): Promise<{ outputs: GroupOutput[]; failures: RenderFailure[] }> {
    const groups = names.map((n) => ({ name: n, g: parseGroup(n) })).filter((x): x is { name: string; g: Group } => x.g !== null);
    // Batch loads: the full text of every article shown on an article or placement page, and their media.
    const synIds = groups.flatMap((x) => (x.g.kind === 'placement' ? [x.g.syndicationId] : []));
    const syns = await this.data.syndications(synIds);
    const articleIds = [...groups.flatMap((x) => (x.g.kind === 'article' ? [x.g.articleId] : [])), ...[...syns.values()].map((s) => s.articleId)];
    const full = await this.data.fullArticles(articleIds);
    const media = await this.data.media([...full.values()].flatMap((a) => a.text.attachmentIds));

    // Several groups at a time: a renderer on worker threads keeps every core busy.
    const results: (GroupOutput | RenderFailure)[] = new Array(groups.length);
    await pool(
      groups.map((x, i) => ({ ...x, i })),
      GROUP_CONCURRENCY,
      async ({ name, g, i }) => {
        try {
          results[i] = await this.renderOne(name, g, { syns, full, media });
        } catch (e) {
          if (!isTemplateError(e)) throw e;
          results[i] = { group: name, message: `${e.template ?? ''}: ${e.message}` };
        }
      },
    );
    const outputs = results.filter((r): r is GroupOutput => 'files' in r);
    const failures = results.filter((r): r is RenderFailure => !('files' in r));
    return { outputs, failures };
  }

  private async renderOne(
    name: string,
    g: Group,
    pre: { syns: Awaited<ReturnType<BuildData['syndications']>>; full: Map<number, FullArticle>; media: Map<number, MediaInfo> },
  ): Promise<GroupOutput> {
    const none = (siteId: number | null): GroupOutput => ({ group: name, siteId, files: [] });
    const d = this.data;
    const m = this.models;
    switch (g.kind) {
      case 'home':
      case 'sitemap':
      case '404': {
        const site = await d.openSite(g.siteId);
        if (!site) return none(g.siteId);
        if (g.kind === '404') return this.out(name, site, await m.notFound(site));
        const items = await d.siteItems(site.id);
        if (g.kind === 'home') return this.out(name, site, await m.home(site, items));
        const o = await this.out(name, site, await m.sitemap(site));
        o.files.push({ path: sitemapXmlUrl(site.code), data: await m.sitemapXml(site, items) });
        return o;
      }
      case 'column':
      case 'columnMore':
      case 'rss': {
        const c = (await d.columns()).get(g.columnId);
        const site = c ? await d.openSite(c.siteId) : undefined;
        if (!c || !site) return none(c?.siteId ?? null);
        const items = await d.siteItems(site.id);
        if (g.kind === 'rss') {
          if (!LISTING_KINDS.includes(c.kind)) return none(site.id);
          return { group: name, siteId: site.id, files: [{ path: rssUrl(site.code, c.path), data: await m.rss(site, c, items, RSS_SIZE) }] };
        }
        if (g.kind === 'columnMore') {
          if (!LISTING_KINDS.includes(c.kind)) return none(site.id);
          return this.out(name, site, (await m.listPages(site, c, items)).filter((p) => listPageNumber(p.file) > LIST_PAGES_FIRST));
        }
        if (c.kind === 'page') return this.out(name, site, await m.pageColumn(site, c, items));
        if (LISTING_KINDS.includes(c.kind)) return this.out(name, site, (await m.listPages(site, c, items)).filter((p) => listPageNumber(p.file) <= LIST_PAGES_FIRST));
        return none(site.id);
      }
      case 'article': {
        const a = pre.full.get(g.articleId);
        const site = a ? await d.openSite(a.siteId) : undefined;
        if (!a || !site) return none(a?.siteId ?? null);
        const items = await d.siteItems(site.id);
        const it = items.native.get(a.id);
        if (!it) return none(site.id);
        return this.out(name, site, await m.article(site, it, a, items, pre.media));
      }
      case 'placement': {
        const s = pre.syns.get(g.syndicationId);
        const site = s && s.status === 'published' ? await d.openSite(s.siteId) : undefined;
        const a = s ? pre.full.get(s.articleId) : undefined;
        if (!s || !site || !a) return none(s?.siteId ?? null);
        const items = await d.siteItems(site.id);
        const it = items.placement.get(s.id);
        if (!it) return none(site.id);
        return this.out(name, site, await m.article(site, it, a, items, pre.media));
      }
      case 'assets': {
        const used = (await d.cluster()).some((s) => s.theme === g.theme);
        if (!used || !this.renderer.themeAssets) return none(null);
        const files: OutFile[] = [...this.renderer.themeAssets(g.theme)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rel, data]) => ({ path: `/assets/${g.theme}/${rel}`, data }));
        return { group: name, siteId: null, files };
      }
      case 'redirect': {
        const row = (await d.redirects([g.fromPath])).get(g.fromPath);
        if (!row) return none(null);
        const site = row.siteId === null ? undefined : await d.site(row.siteId);
        if ((row.siteId !== null && site?.status !== 'open') || row.toPath === g.fromPath || (await d.isLivePath(g.fromPath))) return none(row.siteId);
        const files: OutFile[] = [{ path: fileOf(g.fromPath), data: redirectPage(row.toPath, site?.language === 'en' ? 'en' : site?.language === 'zh-TW' ? 'zh-Hant' : 'zh-CN') }];
        if (!site || site.language === 'zh-CN') files.push({ path: traditional(fileOf(g.fromPath)), data: toTraditional(redirectPage(traditional(row.toPath), 'zh-Hant')) });
        return { group: name, siteId: row.siteId, files };
      }
    }
  }

  /** Renders the pages of one group of a site through the theme. */
  private async out(group: string, site: SiteInfo, pages: PageOut[]): Promise<GroupOutput> {
    const files: OutFile[] = await Promise.all(
      pages.map(async (p): Promise<OutFile> => {
        const render = () => this.renderPage(site, p.template, p.ctx, p.convert);
        if (!this.memo) return { path: p.file, data: await render() };
        const key = sha256(Buffer.from(`${site.id}\n${site.theme}\n${p.template}\n${p.convert}\n${this.siteJson(p.ctx)}\n${JSON.stringify({ ...p.ctx, site: null })}`, 'utf8'));
        const seen = this.memo.get(p.file);
        if (seen && seen.key === key && seen.siteId === site.id) return { path: p.file, sha: seen.sha, render };
        const html = await render();
        if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
        this.memo.set(p.file, { key, sha: sha256(Buffer.from(html, 'utf8')), siteId: site.id });
        return { path: p.file, data: html };
      }),
    );
    return { group, siteId: site.id, files };
  }

  /** JSON of a page's site model: shared by many pages (ModelBuilder.siteModel), serialised once. */
  private siteJson(ctx: RenderContext): string {
    let json = this.siteJsonMemo.get(ctx.site);
    if (json === undefined) {
      json = JSON.stringify(ctx.site);
      this.siteJsonMemo.set(ctx.site, json);
    }
    return json;
  }
  private readonly siteJsonMemo = new WeakMap<object, string>();

  /** A column's template override that does not exist falls back to the theme's default one. */
  private async renderPage(site: SiteInfo, template: string, ctx: RenderContext, convert: boolean): Promise<string> {
    const once = async (name: string) => {
      if (this.renderer.renderPage) return this.renderer.renderPage(site.id, site.theme, name, ctx, convert);
      const html = await this.renderer.render(site.id, site.theme, name, ctx);
      return convert ? toTraditional(html) : html;
    };
    try {
      return await once(template);
    } catch (e) {
      const fallback = ctx.page.kind;
      if (isTemplateError(e) && e.kind === 'missing' && template !== fallback) return once(fallback);
      throw e;
    }
  }
}

