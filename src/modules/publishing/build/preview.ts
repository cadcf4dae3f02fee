/**
 * Preview: an unpublished article (its working copy or any saved version), or a column's list,
 * rendered in the real theme exactly as it would be published — and nothing written anywhere.
 * For editors: whoever may read content in the column (content.read).
 */
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { can } from '../../accounts/index.js';
import { articleUrl, readArticleVersion } from '../../content/index.js';
import { DEFAULT_THEMES_DIR, ThemeEngine, loadActiveOverrides } from '../theme/index.js';
import { BuildData, type FullArticle, type Item, LISTING_KINDS, type LiveText, SiteItems } from './data.js';
import { ModelBuilder, type PageOut } from './models.js';
import type { PageRenderer } from './render.js';
import { toTraditional } from './traditional.js';

export interface Preview {
  html: string;
  /** Where the page would be published. */
  url: string;
}

/** The theme engine a preview renders with when the caller gives none. */
const defaultRenderer = (ctx: Ctx): PageRenderer => new ThemeEngine({ themesDir: DEFAULT_THEMES_DIR, loadOverrides: (siteId) => loadActiveOverrides(ctx.db, siteId) });

async function html(renderer: PageRenderer, siteId: number, theme: string, page: PageOut): Promise<string> {
  const out = await renderer.render(siteId, theme, page.template, page.ctx);
  return page.convert ? toTraditional(out) : out;
}

const isTemplateError = (e: unknown): e is Error => e instanceof Error && e.name === 'TemplateError';

/**
 * 预览稿件: the article's working copy (or saved `version`) as its page would look, with the
 * column's live articles around it. Dated now if it was never published.
 */
export async function renderArticlePreview(ctx: Ctx, articleId: number, version?: number, renderer: PageRenderer = defaultRenderer(ctx)): Promise<Result<Preview>> {
  const a = await ctx.db.selectFrom('articles').selectAll().where('id', '=', articleId).executeTakeFirst();
  if (!a) return fail('not_found', '稿件不存在');
  const data = new BuildData(ctx.db);
  const column = (await data.columns()).get(a.column_id);
  const site = await data.site(a.site_id);
  if (!column || !site) return fail('not_found', '稿件不存在');
  const denied = can(ctx.actor, 'content.read', { siteId: site.id, columnIdPath: column.idPath });
  if (denied) return denied;

  let text: LiveText;
  if (version !== undefined) {
    const v = await readArticleVersion(ctx.db, articleId, version);
    if (!v) return fail('not_found', `稿件没有第 ${version} 版`);
    const f = v.fields;
    text = { ...f, tags: f.tags ?? [], attachmentIds: f.attachmentIds ?? [] };
  } else {
    const att = await ctx.db.selectFrom('article_attachments').select('media_id').where('article_id', '=', articleId).orderBy('sort').execute();
    let tags: string[] = [];
    try {
      const t: unknown = JSON.parse(a.tags);
      if (Array.isArray(t)) tags = t.filter((x): x is string => typeof x === 'string');
    } catch {
      /* no tags */
    }
    text = {
      title: a.title,
      subtitle: a.subtitle,
      summary: a.summary,
      body: a.body,
      source: a.source,
      author: a.author,
      tags,
      coverMediaId: a.cover_media_id,
      coverAlt: a.cover_alt,
      attachmentIds: att.map((r) => r.media_id),
    };
  }
  const time = a.published_at ?? iso(ctx.now);
  const url = articleUrl(site.code, column.path, time, a.id);
  const item: Item = {
    kind: 'article',
    articleId: a.id,
    syndicationId: null,
    columnId: column.id,
    siteId: site.id,
    time,
    title: text.title,
    summary: text.summary,
    source: text.source,
    cover: text.coverMediaId ? { mediaId: text.coverMediaId, alt: text.coverAlt } : null,
    fromSiteId: null,
    url,
  };
  // The column's live list with this version in its place.
  const live = await data.siteItems(site.id);
  const items = new SiteItems([...live.all().filter((x) => !(x.kind === 'article' && x.articleId === a.id)), item], await data.columns());
  const full: FullArticle = { id: a.id, siteId: site.id, columnId: column.id, publishedAt: time, text };
  const models = new ModelBuilder(data, { publicUrl: ctx.config.publicUrl });
  const [page] = await models.article(site, item, full, items, await data.media(text.attachmentIds));
  if (!page) return fail('not_found', '稿件不存在');
  try {
    return ok({ html: await html(renderer, site.id, site.theme, page), url });
  } catch (e) {
    if (isTemplateError(e)) return fail('validation_failed', `模板渲染失败：${e.message}`);
    throw e;
  }
}

/** 预览栏目: page `page` of a column's list as it would be published now. */
export async function renderColumnPreview(ctx: Ctx, columnId: number, page = 1, renderer: PageRenderer = defaultRenderer(ctx)): Promise<Result<Preview>> {
  const data = new BuildData(ctx.db);
  const column = (await data.columns()).get(columnId);
  const site = column ? await data.site(column.siteId) : undefined;
  if (!column || !site) return fail('not_found', '栏目不存在');
  const denied = can(ctx.actor, 'content.read', { siteId: site.id, columnIdPath: column.idPath });
  if (denied) return denied;
  const models = new ModelBuilder(data, { publicUrl: ctx.config.publicUrl });
  const items = await data.siteItems(site.id);
  let pages: PageOut[];
  if (column.kind === 'page') pages = await models.pageColumn(site, column, items);
  else if (LISTING_KINDS.includes(column.kind)) pages = await models.listPages(site, column, items);
  else return fail('validation_failed', '链接类栏目没有页面');
  // The first variant's pages (Simplified, or the site's only one), page `page`.
  const own = pages.filter((p) => p.ctx.page.lang === pages[0]!.ctx.page.lang);
  const chosen = own[Math.min(Math.max(1, page), own.length) - 1]!;
  try {
    return ok({ html: await html(renderer, site.id, site.theme, chosen), url: chosen.ctx.page.url });
  } catch (e) {
    if (isTemplateError(e)) return fail('validation_failed', `模板渲染失败：${e.message}`);
    throw e;
  }
}
