import type { JiyueApp } from '../../../app.js';
import { fail, ok } from '../../../lib/errors.js';
import { manageableSite } from './access.js';
import { importTheme } from './commands/importTheme.js';
import { removeTemplateOverride } from './commands/removeTemplateOverride.js';
import { rollbackTemplate } from './commands/rollbackTemplate.js';
import { saveTemplate } from './commands/saveTemplate.js';
import { exportTheme } from './exportTheme.js';
import { activeOverride, activeOverrideList, listVersions, overrideVersion } from './overrides.js';
import { previewTemplate } from './preview.js';
import {
  ImportThemeInput,
  PreviewInput,
  RollbackTemplateInput,
  SaveTemplateInput,
  SiteParams,
  TemplateParams,
  TemplateVersionParams,
  VersionsQuery,
} from './schema.js';
import { themeServices } from './services.js';

const tag = 'templates';

/**
 * Template overrides, preview, theme export/import. Every route needs `site.manage` on the site
 * (designers are site administrators). In URLs a template name's "/" is written "__":
 * `/api/v1/sites/3/templates/partials__header` (a percent-encoded "/" works too).
 */
export function registerThemeRoutes(app: JiyueApp): void {
  const { router } = app;
  const services = themeServices(app);
  const { engine } = services;

  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/templates',
    summary: '站点模板列表：主题自带的模板，以及本站覆盖的模板和当前版本',
    tag,
    auth: 'user',
    params: SiteParams,
    async handler(ctx, { params }) {
      const site = await manageableSite(ctx, params.id);
      if (!site.ok) return site;
      const themeNames = new Set(engine.themeTemplates(site.value.theme));
      const overrides = new Map((await activeOverrideList(ctx.db, params.id)).map((o) => [o.name, o]));
      const names = [...new Set([...themeNames, ...overrides.keys()])].sort();
      return ok({
        siteId: params.id,
        theme: site.value.theme,
        items: names.map((name) => {
          const o = overrides.get(name);
          return { name, urlName: name.replaceAll('/', '__'), inTheme: themeNames.has(name), overridden: !!o, version: o?.version ?? null, updatedAt: o?.created_at ?? null };
        }),
      });
    },
  });

  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/templates/:name',
    summary: '模板的当前内容（本站覆盖版本，或主题自带文件）；名称中的 “/” 写作 “__”',
    tag,
    auth: 'user',
    params: TemplateParams,
    async handler(ctx, { params }) {
      const site = await manageableSite(ctx, params.id);
      if (!site.ok) return site;
      const o = await activeOverride(ctx.db, params.id, params.name);
      const themeSource = engine.themeSource(site.value.theme, params.name);
      if (!o && themeSource === undefined) return fail('not_found', `模板 ${params.name} 不存在`);
      return ok({
        name: params.name,
        theme: site.value.theme,
        inTheme: themeSource !== undefined,
        overridden: !!o,
        version: o?.version ?? 0,
        updatedAt: o?.created_at ?? null,
        source: o ? o.source : themeSource,
      });
    },
  });

  router.add({
    method: 'PUT',
    url: '/api/v1/sites/:id/templates/:name',
    summary: '保存本站对模板的覆盖（先校验语法，保存为新版本）',
    tag,
    auth: 'user',
    params: TemplateParams,
    body: SaveTemplateInput,
    handler: (ctx, { params, body }) => saveTemplate(ctx, engine, params.id, params.name, body),
  });

  router.add({
    method: 'DELETE',
    url: '/api/v1/sites/:id/templates/:name',
    summary: '取消本站对模板的覆盖，恢复使用主题自带文件（历史版本保留）',
    tag,
    auth: 'user',
    params: TemplateParams,
    handler: (ctx, { params }) => removeTemplateOverride(ctx, engine, params.id, params.name),
  });

  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/templates/:name/versions',
    summary: '模板覆盖的历史版本（新的在前，分页）',
    tag,
    auth: 'user',
    params: TemplateParams,
    query: VersionsQuery,
    async handler(ctx, { params, query }) {
      const site = await manageableSite(ctx, params.id);
      if (!site.ok) return site;
      return ok(await listVersions(ctx.db, params.id, params.name, query));
    },
  });

  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/templates/:name/versions/:version',
    summary: '模板覆盖某一历史版本的内容',
    tag,
    auth: 'user',
    params: TemplateVersionParams,
    async handler(ctx, { params }) {
      const site = await manageableSite(ctx, params.id);
      if (!site.ok) return site;
      const row = await overrideVersion(ctx.db, params.id, params.name, params.version);
      if (!row) return fail('not_found', `模板 ${params.name} 没有第 ${params.version} 版`);
      return ok({ name: row.name, version: row.version, active: row.active === 1, createdAt: row.created_at, source: row.source });
    },
  });

  router.add({
    method: 'POST',
    url: '/api/v1/sites/:id/templates/:name/rollback',
    summary: '回滚模板覆盖到指定历史版本',
    tag,
    auth: 'user',
    params: TemplateParams,
    body: RollbackTemplateInput,
    handler: (ctx, { params, body }) => rollbackTemplate(ctx, engine, params.id, params.name, body.version),
  });

  router.add({
    method: 'POST',
    url: '/api/v1/templates/preview',
    summary: '预览未保存的模板：用示例数据（或发布模块提供的数据）在本站主题中渲染',
    tag,
    auth: 'user',
    body: PreviewInput,
    handler: (ctx, { body }) => previewTemplate(ctx, services, body),
  });

  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/theme/export',
    summary: '导出本站实际使用的主题（模板与静态资源）为 zip',
    tag,
    auth: 'user',
    params: SiteParams,
    async handler(ctx, { params }, _req, reply) {
      const r = await exportTheme(ctx, engine, params.id);
      if (!r.ok) return r;
      reply
        .code(200)
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${r.value.filename}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(r.value.data));
    },
  });

  router.add({
    method: 'POST',
    url: '/api/v1/sites/:id/theme/import',
    summary: '导入主题 zip（base64）：全部校验通过后在一个事务中保存为本站模板覆盖，否则不保存任何内容',
    tag,
    auth: 'user',
    // A 5 MB zip is about 6.7 MB as base64 JSON.
    bodyLimit: 7 * 1024 * 1024 + 1024,
    params: SiteParams,
    body: ImportThemeInput,
    handler: (ctx, { params, body }) => importTheme(ctx, engine, params.id, body.zipBase64),
  });
}
