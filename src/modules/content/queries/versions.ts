import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type Page, type PageQuery, offsetOf } from '../../../http/pagination.js';
import { loadArticleForRead } from '../access.js';
import { type FieldDiff, diffFields } from '../diff.js';
import type { ArticleFields } from '../schema.js';
import { readVersion } from '../store.js';

export interface VersionSummary {
  version: number;
  createdBy: number;
  createdAt: string;
  /** This version is the one the public sees. */
  isLive: boolean;
  /** This version is the one last approved. */
  isApproved: boolean;
}

export interface VersionDto extends VersionSummary {
  articleId: number;
  data: ArticleFields;
}

const versionNotFound = (v: number) => fail('not_found', `版本 ${v} 不存在`);

export async function listVersions(ctx: Ctx, id: number, q: PageQuery): Promise<Result<Page<VersionSummary>>> {
  const loaded = await loadArticleForRead(ctx, id);
  if (!loaded.ok) return loaded;
  const a = loaded.value.article;
  const base = ctx.db.selectFrom('article_versions').where('article_id', '=', id);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.select(['version', 'created_by', 'created_at']).orderBy('version', 'desc').limit(q.pageSize).offset(offsetOf(q)).execute();
  return ok({
    total: Number(n),
    page: q.page,
    pageSize: q.pageSize,
    items: rows.map((r) => ({ version: r.version, createdBy: r.created_by, createdAt: r.created_at, isLive: r.version === a.live_version, isApproved: r.version === a.approved_version })),
  });
}

export async function getVersion(ctx: Ctx, id: number, version: number): Promise<Result<VersionDto>> {
  const loaded = await loadArticleForRead(ctx, id);
  if (!loaded.ok) return loaded;
  const a = loaded.value.article;
  const v = await readVersion(ctx.db, id, version);
  if (!v) return versionNotFound(version);
  return ok({ articleId: id, version, createdBy: v.createdBy, createdAt: v.createdAt, isLive: version === a.live_version, isApproved: version === a.approved_version, data: v.fields });
}

export interface VersionDiff {
  articleId: number;
  from: number;
  to: number;
  /** Only the fields that changed. */
  fields: FieldDiff[];
}

export async function diffVersions(ctx: Ctx, id: number, from: number, to: number): Promise<Result<VersionDiff>> {
  const loaded = await loadArticleForRead(ctx, id);
  if (!loaded.ok) return loaded;
  const [a, b] = await Promise.all([readVersion(ctx.db, id, from), readVersion(ctx.db, id, to)]);
  if (!a) return versionNotFound(from);
  if (!b) return versionNotFound(to);
  return ok({ articleId: id, from, to, fields: diffFields(a.fields, b.fields) });
}
