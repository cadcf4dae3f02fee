import type { Generated } from 'kysely';

export interface PublishedFileTable {
  /** Path under public/, with a leading slash: "/jyj/gzdt/index.html". */
  path: string;
  site_id: number | null;
  /** The page group that produced it (see pages.ts), e.g. "column:38", "article:460". */
  page_group: string;
  sha256: string;
  size: number;
  written_at: string;
}

export interface TemplateOverrideTable {
  id: Generated<number>;
  site_id: number;
  name: string;
  version: number;
  source: string;
  /** 0 once a later version exists or the override was removed (roll-back re-activates one). */
  active: number;
  created_by: number | null;
  created_at: string;
}

export interface PageViewTable {
  /** Beijing calendar day, "2026-11-22". */
  day: string;
  path: string;
  site_id: number | null;
  article_id: number | null;
  views: number;
}

export interface RedirectTable {
  from_path: string;
  to_path: string;
  site_id: number | null;
  created_at: string;
}
