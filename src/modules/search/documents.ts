/**
 * The searchable document, engine-independent, and its id.
 *
 * A document's id orders documents by date and carries what ranking needs, so an engine can
 * rank and filter straight from its index without a join (an FTS5 rowid, a PostgreSQL bigint):
 *
 *   id = day × 2^35 + portal × 2^34 + typeIndex × 2^31 + sourceId
 *
 * `day` is the Beijing date as days since 1970 (an item's public date does not change), portal
 * is 1 for the portal's items, typeIndex the position in DOCUMENT_TYPES, sourceId the item's id in
 * its module (< 2^31). Largest id: 2^17 days (year 2328) → 2^52, exact in a double.
 */
import { authorityOf } from './ranking.js';

/** Every kind of public item the index can hold; new capabilities add theirs at the end (never reorder). */
export const DOCUMENT_TYPES = ['article', 'disclosure', 'service', 'letter', 'faq'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const TYPE_NAMES: Record<DocumentType, string> = { article: '信息', disclosure: '政府信息公开', service: '办事服务', letter: '互动交流', faq: '常见问题' };

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const P35 = 2 ** 35;
const P34 = 2 ** 34;
const P31 = 2 ** 31;
export const MAX_DAY = 2 ** 17 - 1;

/** Days since 1970-01-01 of the Beijing date of an instant (clamped to the id's range). */
export function beijingDay(isoTime: string | Date): number {
  const t = typeof isoTime === 'string' ? Date.parse(isoTime) : isoTime.getTime();
  const d = Math.floor((t + BEIJING_OFFSET_MS) / DAY_MS);
  return Number.isFinite(d) ? Math.min(MAX_DAY, Math.max(0, d)) : 0;
}

/** "YYYY-MM-DD" of a day number. */
export function dayDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of a "YYYY-MM-DD" (Beijing) date. */
export function dateDay(ymd: string): number {
  return Math.min(MAX_DAY, Math.max(0, Math.floor(Date.parse(`${ymd}T00:00:00Z`) / DAY_MS)));
}

export function documentId(day: number, isPortal: boolean, type: DocumentType, sourceId: number): number {
  if (!Number.isInteger(sourceId) || sourceId <= 0 || sourceId >= P31) throw new Error(`source id out of range: ${sourceId}`);
  return day * P35 + (isPortal ? P34 : 0) + DOCUMENT_TYPES.indexOf(type) * P31 + sourceId;
}

export function decodeId(id: number): { day: number; isPortal: boolean; type: DocumentType; sourceId: number } {
  const day = Math.floor(id / P35);
  const rest = id - day * P35;
  const isPortal = rest >= P34;
  const r2 = rest - (isPortal ? P34 : 0);
  const t = Math.floor(r2 / P31);
  return { day, isPortal, type: DOCUMENT_TYPES[t] ?? 'article', sourceId: r2 - t * P31 };
}

/** The smallest id of a day, and the first id after it: date-range filters are id ranges. */
export const firstIdOfDay = (day: number): number => day * P35;

/** What a source (articles, later FAQ, guides, letters) hands the index for one public item. */
export interface SourceItem {
  type: DocumentType;
  sourceId: number;
  siteId: number;
  isPortal: boolean;
  organisationId: number | null;
  columnId: number | null;
  /** ISO time it went public. */
  date: string;
  title: string;
  /** Reading text, no markup. */
  body: string;
  /** Words indexed with the body but not shown (issuing body, tags). */
  extra: string;
  url: string;
  /** Other sites it appears in. */
  placementSiteIds: number[];
}

/** A document ready for an engine: the row and its tokens. */
export interface IndexedDocument {
  id: number;
  type: DocumentType;
  sourceId: number;
  siteId: number;
  organisationId: number | null;
  columnId: number | null;
  date: string;
  day: number;
  title: string;
  body: string;
  url: string;
  authority: number;
  placementSiteIds: number[];
  /** The index tokens of the title, and of the body with its extra words, separated by spaces. */
  titleText: string;
  bodyText: string;
  /** Filter tokens: s<siteId> for its site and each placement, t<type>. */
  facets: string[];
}

export const siteFacet = (siteId: number): string => `s${siteId}`;
export const typeFacet = (type: string): string => `t${type}`;

/** The body kept for snippets: enough for any snippet window, not whole reports. */
export const MAX_STORED_BODY = 20_000;

export function toDocument(item: SourceItem, tokens: (text: string) => string[]): IndexedDocument {
  const day = beijingDay(item.date);
  const placements = [...new Set(item.placementSiteIds.filter((s) => s !== item.siteId))].sort((a, b) => a - b);
  return {
    id: documentId(day, item.isPortal, item.type, item.sourceId),
    type: item.type,
    sourceId: item.sourceId,
    siteId: item.siteId,
    organisationId: item.organisationId,
    columnId: item.columnId,
    date: new Date(item.date).toISOString(),
    day,
    title: item.title,
    body: item.body.slice(0, MAX_STORED_BODY),
    url: item.url,
    authority: authorityOf(item),
    placementSiteIds: placements,
    titleText: tokens(item.title).join(' '),
    bodyText: tokens(item.extra ? `${item.body}\n${item.extra}` : item.body).join(' '),
    facets: [siteFacet(item.siteId), ...placements.map(siteFacet), typeFacet(item.type)],
  };
}
