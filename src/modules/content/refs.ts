/**
 * What this module needs to know about things other modules own: columns and sites (the sites
 * module) and media. Single lookups go through the sites module's index; the batch reads a
 * paginated list needs (site codes and column paths for URLs, column subtrees for scoping) and
 * the media checks are read-only queries collected here, so they are easy to move behind those
 * modules' interfaces when they offer batch versions.
 */
import type { ExpressionBuilder } from 'kysely';
import type { DB } from '../../db/index.js';
import type { Database } from '../../db/schema.js';
import type { Scope } from '../accounts/index.js';
import { getColumnForScope } from '../sites/index.js';
import type { FieldIssue } from './schema.js';

export interface ColumnRef {
  id: number;
  siteId: number;
  idPath: string;
  path: string;
  reviewLevels: number;
  kind: string;
  name: string;
}

export async function columnRef(db: DB, columnId: number): Promise<ColumnRef | undefined> {
  const c = await getColumnForScope(db, columnId);
  return c ? { id: c.id, siteId: c.siteId, idPath: c.idPath, path: c.path, reviewLevels: c.reviewLevels, kind: c.kind, name: c.name } : undefined;
}

export const scopeOf = (c: Pick<ColumnRef, 'siteId' | 'idPath'>): Scope => ({ siteId: c.siteId, columnIdPath: c.idPath });

/** Column kinds that hold articles. */
export const ARTICLE_COLUMN_KINDS = ['list', 'page'];

export async function siteCodes(db: DB, siteIds: number[]): Promise<Map<number, string>> {
  const ids = [...new Set(siteIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('sites').select(['id', 'code']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.code]));
}

export async function columnPaths(db: DB, columnIds: number[]): Promise<Map<number, { path: string; name: string; siteId: number; idPath: string }>> {
  const ids = [...new Set(columnIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('columns').select(['id', 'path', 'name', 'site_id', 'id_path']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { path: r.path, name: r.name, siteId: r.site_id, idPath: r.id_path }]));
}

/** Subquery: ids of the columns of a site under any of these id_path prefixes. */
export function columnsUnder(eb: ExpressionBuilder<Database, any>, siteId: number, idPathPrefixes: string[]) {
  return eb
    .selectFrom('columns')
    .select('columns.id')
    .where('columns.site_id', '=', siteId)
    .where((w) => w.or(idPathPrefixes.map((p) => w('columns.id_path', 'like', `${p.replace(/[%_!]/g, '')}%`))));
}

/**
 * Media an article may use: attachments must be documents or images, the cover an image; both
 * of the article's site or shared (site null).
 */
export async function mediaIssues(db: DB, siteId: number, f: { coverMediaId?: number | null; attachmentIds?: number[] }): Promise<FieldIssue[]> {
  const ids = [...new Set([...(f.attachmentIds ?? []), ...(f.coverMediaId ? [f.coverMediaId] : [])])];
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('media').select(['id', 'kind', 'site_id']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const issues: FieldIssue[] = [];
  const usable = (id: number) => {
    const m = byId.get(id);
    return m && (m.site_id === null || m.site_id === siteId) ? m : undefined;
  };
  (f.attachmentIds ?? []).forEach((id, i) => {
    const m = usable(id);
    if (!m) issues.push({ path: `attachmentIds.${i}`, message: `附件 ${id} 不存在或不属于本站` });
    else if (m.kind !== 'document' && m.kind !== 'image') issues.push({ path: `attachmentIds.${i}`, message: `附件 ${id} 不是文档或图片` });
  });
  if (f.coverMediaId) {
    const m = usable(f.coverMediaId);
    if (!m) issues.push({ path: 'coverMediaId', message: '封面图片不存在或不属于本站' });
    else if (m.kind !== 'image') issues.push({ path: 'coverMediaId', message: '封面必须是图片' });
  }
  return issues;
}

export async function mediaSummaries(db: DB, ids: number[]) {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('media').select(['id', 'kind', 'original_name', 'mime', 'ext', 'size', 'alt']).where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((m) => m !== undefined)
    .map((m) => ({ id: m.id, kind: m.kind, name: m.original_name, mime: m.mime, ext: m.ext, size: m.size, alt: m.alt }));
}
