/** API objects of the content module (camelCase), each built from its row by one function. */
import type { DB } from '../../db/index.js';
import { STATUS_NAMES } from './lifecycle.js';
import { columnPaths, siteCodes } from './refs.js';
import { type ArticleRow, type SyndicationRow } from './store.js';
import type { ArticleStatus, SyndicationStatus } from './tables.js';
import { articleUrl } from './url.js';
import { parseStringArray } from '../../lib/json.js';

export interface ArticleSummaryDto {
  id: number;
  siteId: number;
  columnId: number;
  columnName: string | null;
  title: string;
  subtitle: string;
  summary: string;
  source: string;
  author: string;
  publishAt: string | null;
  publishedAt: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  coverMediaId: number | null;
  coverAlt: string;
  tags: string[];
  status: ArticleStatus;
  statusName: string;
  reviewLevel: number;
  version: number;
  approvedVersion: number | null;
  liveVersion: number | null;
  isLive: boolean;
  /** Public address while live, else null. */
  url: string | null;
  createdBy: number;
  updatedBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface ArticleDto extends ArticleSummaryDto {
  body: string;
  attachments: { id: number; kind: string; name: string; mime: string; ext: string; size: number; alt: string }[];
  syndications: SyndicationDto[];
  reviews: ReviewDto[];
}

export interface ReviewDto {
  id: number;
  syndicationId: number | null;
  version: number;
  level: number;
  decision: 'approve' | 'return';
  comment: string;
  reviewerId: number;
  createdAt: string;
}

export interface SyndicationDto {
  id: number;
  articleId: number;
  articleTitle: string | null;
  sourceSiteId: number | null;
  siteId: number;
  columnId: number;
  columnName: string | null;
  status: SyndicationStatus;
  reviewLevel: number;
  requestedBy: number;
  publishedAt: string | null;
  /** The placement's public address while it is published and its source live, else null. */
  url: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Site codes and column paths the URLs of a page of rows need, fetched in two queries. */
export interface UrlRefs {
  sites: Map<number, string>;
  columns: Map<number, { path: string; name: string }>;
}

export async function urlRefs(db: DB, pairs: { siteId: number; columnId: number }[]): Promise<UrlRefs> {
  const [sites, columns] = await Promise.all([
    siteCodes(
      db,
      pairs.map((p) => p.siteId),
    ),
    columnPaths(
      db,
      pairs.map((p) => p.columnId),
    ),
  ]);
  return { sites, columns };
}

function liveUrl(refs: UrlRefs, siteId: number, columnId: number, publishedAt: string | null, id: number): string | null {
  const code = refs.sites.get(siteId);
  const col = refs.columns.get(columnId);
  if (!publishedAt || code === undefined || !col) return null;
  return articleUrl(code, col.path, publishedAt, id);
}

export function articleSummaryDto(r: ArticleRow, refs: UrlRefs): ArticleSummaryDto {
  const live = r.live_version !== null;
  return {
    id: r.id,
    siteId: r.site_id,
    columnId: r.column_id,
    columnName: refs.columns.get(r.column_id)?.name ?? null,
    title: r.title,
    subtitle: r.subtitle,
    summary: r.summary,
    source: r.source,
    author: r.author,
    publishAt: r.publish_at,
    publishedAt: r.published_at,
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
    coverMediaId: r.cover_media_id,
    coverAlt: r.cover_alt,
    tags: parseStringArray(r.tags),
    status: r.status,
    statusName: STATUS_NAMES[r.status],
    reviewLevel: r.review_level,
    version: r.version,
    approvedVersion: r.approved_version,
    liveVersion: r.live_version,
    isLive: live,
    url: live ? liveUrl(refs, r.site_id, r.column_id, r.published_at, r.id) : null,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function syndicationDto(s: SyndicationRow, refs: UrlRefs, source?: Pick<ArticleRow, 'title' | 'site_id' | 'live_version'>): SyndicationDto {
  const visible = s.status === 'published' && (source ? source.live_version !== null : true);
  return {
    id: s.id,
    articleId: s.article_id,
    articleTitle: source?.title ?? null,
    sourceSiteId: source?.site_id ?? null,
    siteId: s.site_id,
    columnId: s.column_id,
    columnName: refs.columns.get(s.column_id)?.name ?? null,
    status: s.status,
    reviewLevel: s.review_level,
    requestedBy: s.requested_by,
    publishedAt: s.published_at,
    url: visible ? liveUrl(refs, s.site_id, s.column_id, s.published_at, s.article_id) : null,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

/** Summaries of a page of syndications with their sources' titles. */
export async function syndicationDtos(db: DB, rows: SyndicationRow[]): Promise<SyndicationDto[]> {
  if (rows.length === 0) return [];
  const sources = await db
    .selectFrom('articles')
    .select(['id', 'title', 'site_id', 'live_version'])
    .where(
      'id',
      'in',
      rows.map((r) => r.article_id),
    )
    .execute();
  const byId = new Map(sources.map((a) => [a.id, a]));
  const refs = await urlRefs(
    db,
    rows.map((r) => ({ siteId: r.site_id, columnId: r.column_id })),
  );
  return rows.map((r) => syndicationDto(r, refs, byId.get(r.article_id)));
}

export async function articleSummaries(db: DB, rows: ArticleRow[]): Promise<ArticleSummaryDto[]> {
  const refs = await urlRefs(
    db,
    rows.map((r) => ({ siteId: r.site_id, columnId: r.column_id })),
  );
  return rows.map((r) => articleSummaryDto(r, refs));
}
