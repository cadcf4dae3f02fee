/**
 * The manifest: every file the publisher wrote under public/, with the group that produced it
 * and its content hash (table `published_files`). It decides what is stale, lets an unchanged
 * re-render skip the disk, and is the reference the tamper check compares the disk with.
 *
 * Two stores behind one interface: the database (the real one) and memory (a throw-away full
 * build into another directory, e.g. the property test's reference build).
 */
import { sql } from 'kysely';
import type { DB } from '../../../db/index.js';

export interface ManifestRow {
  /** Path under public/ with a leading slash. */
  path: string;
  siteId: number | null;
  group: string;
  sha256: string;
  size: number;
  writtenAt: string;
}

/** sha256 of a row whose file is being replaced: never equal to a real hash, so never skipped. */
export const PENDING = 'pending';

export interface Manifest {
  get(paths: readonly string[]): Promise<Map<string, ManifestRow>>;
  ofGroups(groups: readonly string[]): Promise<ManifestRow[]>;
  ofSite(siteId: number): Promise<ManifestRow[]>;
  all(): Promise<ManifestRow[]>;
  /** Distinct group names starting with `prefix` ("assets:"). */
  groupsWithPrefix(prefix: string): Promise<string[]>;
  upsert(rows: readonly ManifestRow[]): Promise<void>;
  /** Deletes the rows of these paths that still belong to `group`; returns the paths deleted. */
  deleteOfGroup(group: string, paths: readonly string[]): Promise<string[]>;
  /** Deletes rows whatever their group (a full build dropping what it no longer produces). */
  deletePaths(paths: readonly string[]): Promise<void>;
}

const CHUNK = 400;
function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

type Row = { path: string; site_id: number | null; page_group: string; sha256: string; size: number; written_at: string };
const fromRow = (r: Row): ManifestRow => ({ path: r.path, siteId: r.site_id, group: r.page_group, sha256: r.sha256, size: Number(r.size), writtenAt: r.written_at });

export class DbManifest implements Manifest {
  constructor(private readonly db: DB) {}

  async get(paths: readonly string[]): Promise<Map<string, ManifestRow>> {
    const out = new Map<string, ManifestRow>();
    for (const part of chunks([...new Set(paths)])) {
      const rows = await this.db.selectFrom('published_files').selectAll().where('path', 'in', part).execute();
      for (const r of rows) out.set(r.path, fromRow(r));
    }
    return out;
  }

  async ofGroups(groups: readonly string[]): Promise<ManifestRow[]> {
    const out: ManifestRow[] = [];
    for (const part of chunks([...new Set(groups)])) {
      const rows = await this.db.selectFrom('published_files').selectAll().where('page_group', 'in', part).execute();
      out.push(...rows.map(fromRow));
    }
    return out;
  }

  async ofSite(siteId: number): Promise<ManifestRow[]> {
    return (await this.db.selectFrom('published_files').selectAll().where('site_id', '=', siteId).execute()).map(fromRow);
  }

  async all(): Promise<ManifestRow[]> {
    return (await this.db.selectFrom('published_files').selectAll().execute()).map(fromRow);
  }

  async groupsWithPrefix(prefix: string): Promise<string[]> {
    const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.db
      .selectFrom('published_files')
      .select('page_group')
      .distinct()
      .where(sql<boolean>`page_group LIKE ${pattern} ESCAPE '\\'`)
      .execute();
    return rows.map((r) => r.page_group).sort();
  }

  async upsert(rows: readonly ManifestRow[]): Promise<void> {
    if (rows.length === 0) return;
    // The last row for a path wins (a batch may name a path twice only if a group moved it).
    const byPath = new Map(rows.map((r) => [r.path, r]));
    for (const part of chunks([...byPath.values()], 200)) {
      await this.db
        .insertInto('published_files')
        .values(part.map((r) => ({ path: r.path, site_id: r.siteId, page_group: r.group, sha256: r.sha256, size: r.size, written_at: r.writtenAt })))
        .onConflict((oc) =>
          oc.column('path').doUpdateSet((eb) => ({
            site_id: eb.ref('excluded.site_id'),
            page_group: eb.ref('excluded.page_group'),
            sha256: eb.ref('excluded.sha256'),
            size: eb.ref('excluded.size'),
            written_at: eb.ref('excluded.written_at'),
          })),
        )
        .execute();
    }
  }

  async deleteOfGroup(group: string, paths: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks([...new Set(paths)])) {
      const rows = await this.db.deleteFrom('published_files').where('page_group', '=', group).where('path', 'in', part).returning('path').execute();
      out.push(...rows.map((r) => r.path));
    }
    return out;
  }

  async deletePaths(paths: readonly string[]): Promise<void> {
    for (const part of chunks([...new Set(paths)])) await this.db.deleteFrom('published_files').where('path', 'in', part).execute();
  }
}

/** A manifest in memory: for a build that must not touch the real one. */
export class MemoryManifest implements Manifest {
  readonly rows = new Map<string, ManifestRow>();

  async get(paths: readonly string[]): Promise<Map<string, ManifestRow>> {
    const out = new Map<string, ManifestRow>();
    for (const p of paths) {
      const r = this.rows.get(p);
      if (r) out.set(p, { ...r });
    }
    return out;
  }
  async ofGroups(groups: readonly string[]): Promise<ManifestRow[]> {
    const gs = new Set(groups);
    return [...this.rows.values()].filter((r) => gs.has(r.group)).map((r) => ({ ...r }));
  }
  async ofSite(siteId: number): Promise<ManifestRow[]> {
    return [...this.rows.values()].filter((r) => r.siteId === siteId).map((r) => ({ ...r }));
  }
  async all(): Promise<ManifestRow[]> {
    return [...this.rows.values()].map((r) => ({ ...r }));
  }
  async groupsWithPrefix(prefix: string): Promise<string[]> {
    return [...new Set([...this.rows.values()].map((r) => r.group).filter((g) => g.startsWith(prefix)))].sort();
  }
  async upsert(rows: readonly ManifestRow[]): Promise<void> {
    for (const r of rows) this.rows.set(r.path, { ...r });
  }
  async deleteOfGroup(group: string, paths: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const p of new Set(paths)) {
      if (this.rows.get(p)?.group === group) {
        this.rows.delete(p);
        out.push(p);
      }
    }
    return out;
  }
  async deletePaths(paths: readonly string[]): Promise<void> {
    for (const p of paths) this.rows.delete(p);
  }
}
