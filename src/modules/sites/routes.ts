import { z } from 'zod';
import type { JiyueApp } from '../../app.js';
import { IdParams } from '../../http/pagination.js';
import { fail, ok } from '../../lib/errors.js';
import { createColumn } from './commands/createColumn.js';
import { createOrganisation } from './commands/createOrganisation.js';
import { createSite } from './commands/createSite.js';
import { deleteColumn } from './commands/deleteColumn.js';
import { deleteOrganisation } from './commands/deleteOrganisation.js';
import { deleteSite } from './commands/deleteSite.js';
import { moveColumn } from './commands/moveColumn.js';
import { reorderColumns } from './commands/reorderColumns.js';
import { updateColumn } from './commands/updateColumn.js';
import { updateOrganisation } from './commands/updateOrganisation.js';
import { updateSite } from './commands/updateSite.js';
import { readColumn, readColumnTree } from './queries/columns.js';
import { getOrganisation, listOrganisations } from './queries/organisations.js';
import { getSite, listSites } from './queries/sites.js';
import {
  CreateColumnInput,
  CreateOrganisationInput,
  CreateSiteInput,
  ListSitesQuery,
  MoveColumnInput,
  ReorderColumnsInput,
  UpdateColumnInput,
  UpdateOrganisationInput,
  UpdateSiteInput,
} from './schema.js';

const tag = 'sites';
const EmptyQuery = z.object({});

export function sitesRoutes({ router }: JiyueApp): void {
  // ---------- organisations (单位) ----------
  router.add({
    method: 'GET',
    url: '/api/v1/organisations',
    summary: '单位列表（按树的顺序，含层级 depth）',
    tag,
    auth: 'user',
    query: EmptyQuery,
    handler: async (ctx) => ok({ items: await listOrganisations(ctx.db) }),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/organisations',
    summary: '新建单位（系统管理员）',
    tag,
    auth: 'user',
    body: CreateOrganisationInput,
    status: 201,
    handler: (ctx, { body }) => createOrganisation(ctx, body),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/organisations/:id',
    summary: '单位详情',
    tag,
    auth: 'user',
    params: IdParams,
    handler: async (ctx, { params }) => {
      const org = await getOrganisation(ctx.db, params.id);
      return org ? ok(org) : fail('not_found', '单位不存在');
    },
  });
  router.add({
    method: 'PATCH',
    url: '/api/v1/organisations/:id',
    summary: '修改单位（系统管理员）',
    tag,
    auth: 'user',
    params: IdParams,
    body: UpdateOrganisationInput,
    handler: (ctx, { params, body }) => updateOrganisation(ctx, params.id, body),
  });
  router.add({
    method: 'DELETE',
    url: '/api/v1/organisations/:id',
    summary: '删除单位（系统管理员；有下级单位、站点或用户时不能删除）',
    tag,
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => deleteOrganisation(ctx, params.id),
  });

  // ---------- sites (站点) ----------
  router.add({
    method: 'GET',
    url: '/api/v1/sites',
    summary: '站点列表（可按单位、状态、关键词筛选，分页）',
    tag,
    auth: 'user',
    query: ListSitesQuery,
    handler: async (ctx, { query }) => ok(await listSites(ctx.db, query)),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/sites',
    summary: '新建站点（系统管理员）',
    tag,
    auth: 'user',
    body: CreateSiteInput,
    status: 201,
    handler: (ctx, { body }) => createSite(ctx, body),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id',
    summary: '站点详情（含域名与站点设置）',
    tag,
    auth: 'user',
    params: IdParams,
    handler: async (ctx, { params }) => {
      const site = await getSite(ctx.db, params.id);
      return site ? ok(site) : fail('not_found', '站点不存在');
    },
  });
  router.add({
    method: 'PATCH',
    url: '/api/v1/sites/:id',
    summary: '修改站点（站点管理员；改代码、所属单位、域名须系统管理员）',
    tag,
    auth: 'user',
    params: IdParams,
    body: UpdateSiteInput,
    handler: (ctx, { params, body }) => updateSite(ctx, params.id, body),
  });
  router.add({
    method: 'DELETE',
    url: '/api/v1/sites/:id',
    summary: '删除站点（系统管理员；有栏目时不能删除）',
    tag,
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => deleteSite(ctx, params.id),
  });

  // ---------- columns (栏目) ----------
  router.add({
    method: 'GET',
    url: '/api/v1/sites/:id/columns',
    summary: '站点栏目树（只含本人有权查看或管理的栏目）',
    tag,
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => readColumnTree(ctx, params.id),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/sites/:id/columns/reorder',
    summary: '同级栏目排序',
    tag,
    auth: 'user',
    params: IdParams,
    body: ReorderColumnsInput,
    handler: (ctx, { params, body }) => reorderColumns(ctx, params.id, body),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/columns',
    summary: '新建栏目',
    tag,
    auth: 'user',
    body: CreateColumnInput,
    status: 201,
    handler: (ctx, { body }) => createColumn(ctx, body),
  });
  router.add({
    method: 'GET',
    url: '/api/v1/columns/:id',
    summary: '栏目详情',
    tag,
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => readColumn(ctx, params.id),
  });
  router.add({
    method: 'PATCH',
    url: '/api/v1/columns/:id',
    summary: '修改栏目（改别名时下级栏目的路径随之更新）',
    tag,
    auth: 'user',
    params: IdParams,
    body: UpdateColumnInput,
    handler: (ctx, { params, body }) => updateColumn(ctx, params.id, body),
  });
  router.add({
    method: 'DELETE',
    url: '/api/v1/columns/:id',
    summary: '删除栏目（有子栏目或信息时不能删除）',
    tag,
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => deleteColumn(ctx, params.id),
  });
  router.add({
    method: 'POST',
    url: '/api/v1/columns/:id/move',
    summary: '移动栏目（换上级栏目和/或位置）',
    tag,
    auth: 'user',
    params: IdParams,
    body: MoveColumnInput,
    handler: (ctx, { params, body }) => moveColumn(ctx, params.id, body),
  });
}
