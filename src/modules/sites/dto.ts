import type { Selectable } from 'kysely';
import { columnUrl, siteUrl } from './rules.js';
import { SiteSettings } from './schema.js';
import type { ColumnTable, OrganisationTable, SiteTable } from './tables.js';

/** API objects of this module (camelCase), each built from its row by one function. */

export interface OrganisationView {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  kind: OrganisationTable['kind'];
  sort: number;
  createdAt: string;
  updatedAt: string;
}

export function organisationView(r: Selectable<OrganisationTable>): OrganisationView {
  return { id: r.id, parentId: r.parent_id, code: r.code, name: r.name, kind: r.kind, sort: r.sort, createdAt: r.created_at, updatedAt: r.updated_at };
}

export interface SiteView {
  id: number;
  code: string;
  name: string;
  organisationId: number;
  hosts: string[];
  language: SiteTable['language'];
  theme: string;
  status: SiteTable['status'];
  sort: number;
  settings: SiteSettings;
  /** Absolute path of the site's home page. */
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** Stored settings, read back through the schema; anything unreadable is dropped, never served raw. */
export function parseSettings(json: string): SiteSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  const r = SiteSettings.safeParse(raw);
  return r.success ? r.data : {};
}

export function siteView(r: Selectable<SiteTable>, hosts: string[]): SiteView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    organisationId: r.organisation_id,
    hosts,
    language: r.language,
    theme: r.theme,
    status: r.status,
    sort: r.sort,
    settings: parseSettings(r.settings),
    url: siteUrl(r.code),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface ColumnView {
  id: number;
  siteId: number;
  parentId: number | null;
  name: string;
  slug: string;
  path: string;
  idPath: string;
  kind: ColumnTable['kind'];
  sort: number;
  updateIntervalDays: number | null;
  reviewLevels: number;
  linkUrl: string | null;
  description: string;
  keywords: string;
  templates: Record<string, string>;
  status: ColumnTable['status'];
  /** Absolute path of the column's list page. */
  url: string;
  createdAt: string;
  updatedAt: string;
}

function parseTemplates(json: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

export function columnView(r: Selectable<ColumnTable>, siteCode: string): ColumnView {
  return {
    id: r.id,
    siteId: r.site_id,
    parentId: r.parent_id,
    name: r.name,
    slug: r.slug,
    path: r.path,
    idPath: r.id_path,
    kind: r.kind,
    sort: r.sort,
    updateIntervalDays: r.update_interval_days,
    reviewLevels: r.review_levels,
    linkUrl: r.link_url,
    description: r.description,
    keywords: r.keywords,
    templates: parseTemplates(r.templates),
    status: r.status,
    url: columnUrl(siteCode, r.path),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
