import type { Generated } from 'kysely';

export interface OrganisationTable {
  id: Generated<number>;
  parent_id: number | null;
  code: string;
  name: string;
  kind: 'government' | 'department' | 'district' | 'other';
  sort: number;
  created_at: string;
  updated_at: string;
}

export interface SiteTable {
  id: Generated<number>;
  code: string;
  name: string;
  organisation_id: number;
  language: 'zh-CN' | 'zh-TW' | 'en';
  theme: string;
  status: 'open' | 'building' | 'closed';
  /** JSON: typed per-site settings (footer identity, contact …), see sites/schema.ts. */
  settings: string;
  sort: number;
  created_at: string;
  updated_at: string;
}

/** Own host names of a site; the primary key keeps a host on one site only. */
export interface SiteHostTable {
  host: string;
  site_id: number;
}

export interface ColumnTable {
  id: Generated<number>;
  site_id: number;
  parent_id: number | null;
  name: string;
  /** Path segment of this column, e.g. "tzgg". */
  slug: string;
  /** Full path inside the site, e.g. "zwgk/tzgg" (unique per site). */
  path: string;
  /** Ancestor ids including this one, "/3/17/", for subtree checks by prefix. */
  id_path: string;
  kind: 'list' | 'page' | 'link' | 'disclosure' | 'service' | 'interaction';
  sort: number;
  /** Required update interval in days (null: no requirement). */
  update_interval_days: number | null;
  review_levels: number;
  link_url: string | null;
  description: string;
  keywords: string;
  /** JSON object of template overrides, e.g. {"list":"list-news","article":"article-wide"}. */
  templates: string;
  status: 'active' | 'hidden';
  created_at: string;
  updated_at: string;
}
