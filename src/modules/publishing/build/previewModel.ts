/**
 * The real model a template preview renders with: the site's own home page, first list column,
 * single page, newest article, site map or 404 page, exactly as the publisher would build it.
 * A site without such content (a new site, no single page) falls back to the fixture (null).
 */
import type { Ctx } from '../../../lib/ctx.js';
import type { RenderContext } from '../model.js';
import type { PreviewModelProvider } from '../theme/index.js';
import { BuildData, LISTING_KINDS } from './data.js';
import { ModelBuilder, type PageOut } from './models.js';

const first = (pages: PageOut[]): RenderContext | null => pages[0]?.ctx ?? null;

export const realPreviewModel: PreviewModelProvider = async (ctx: Ctx, themeSite, kind) => {
  const data = new BuildData(ctx.db);
  const site = await data.site(themeSite.id);
  if (!site) return null;
  const models = new ModelBuilder(data, { publicUrl: ctx.config.publicUrl });
  switch (kind) {
    case 'home':
      return first(await models.home(site, await data.siteItems(site.id)));
    case 'sitemap':
      return first(await models.sitemap(site));
    case 'notfound':
      return first(await models.notFound(site));
    case 'column':
    case 'page': {
      const columns = await data.siteColumns(site.id);
      const c = columns.find((x) => (kind === 'page' ? x.kind === 'page' : LISTING_KINDS.includes(x.kind)));
      if (!c) return null;
      const items = await data.siteItems(site.id);
      return first(kind === 'page' ? await models.pageColumn(site, c, items) : await models.listPages(site, c, items));
    }
    case 'article': {
      const items = await data.siteItems(site.id);
      const newest = [...items.native.values()].sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0))[0];
      if (!newest?.articleId) return null;
      const full = (await data.fullArticles([newest.articleId])).get(newest.articleId);
      if (!full) return null;
      return first(await models.article(site, newest, full, items, await data.media(full.text.attachmentIds)));
    }
  }
};
