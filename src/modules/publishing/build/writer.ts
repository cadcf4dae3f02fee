/**
 * The output writer: puts a group's files under public/ so that a reader (or a crash) never
 * sees half a file, keeps precompressed siblings next to text files, and keeps the manifest in
 * step with the disk.
 *
 * One file: written to a temporary dot-file in the same directory (`.index.html.tmp-<pid>-<n>`,
 * never served), optionally fsynced, then renamed over the old one — rename within a directory
 * is atomic, so the path holds the old bytes or the new ones, whatever happens.
 *
 * The manifest row of a file that is about to change is first marked PENDING, then the files
 * are written, then the rows get their real hashes. A crash in between leaves PENDING rows,
 * which never match a rendered hash, so the next render rewrites those files; a row is never
 * ahead of its file. Removal goes the other way: the row first, then the file (a crash leaves
 * an orphan file, which the next full build and the tamper check delete).
 *
 * An unchanged render writes nothing: same hash and group as the manifest, and the file still
 * there with the manifest's size (publishing-api PR #1581: don't re-render what did not change).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { type Manifest, type ManifestRow, PENDING } from './manifest.js';
import { isCompressible, isSafePath } from './pages.js';

export interface OutFile {
  /** Path under public/, with a leading slash. */
  path: string;
  /** The bytes; or, for a page whose model has not changed since it was last rendered, … */
  data?: string | Buffer;
  /** … the hash its bytes are known to have, and how to render them should they be needed after all. */
  sha?: string;
  render?: () => Promise<string | Buffer>;
}

export interface GroupOutput {
  group: string;
  siteId: number | null;
  files: OutFile[];
}

export interface WriteResult {
  /** HTML pages produced (written or unchanged). */
  pages: number;
  /** Files produced, precompressed siblings included. */
  files: number;
  /** Paths actually written (main files and siblings). */
  written: string[];
  /** Paths deleted because their group no longer produces them. */
  removed: string[];
}

export interface WriterOptions {
  publicDir: string;
  manifest: Manifest;
  clock: () => Date;
  /** fsync every file before renaming it into place (durability across power loss). */
  fsync: boolean;
  /** Files written at once (compression runs on libuv's thread pool). */
  concurrency?: number;
}

/** gzip level 9 (the brief): ≈0.3 ms for a 10 KB page of the default theme. */
export const GZIP_LEVEL = 9;
/**
 * Brotli quality 5, not 11. Measured on the demo cluster's pages (default theme, 10 KB average):
 * quality 11 takes 15.4 ms per page (2,528 bytes), 10 takes 5.8 ms (2,579), 9 takes 10.2 ms, and
 * 5 takes 0.34 ms (3,027 bytes, 16% more than 11). At 11, compression alone would cost more than
 * everything else a page needs together (rendering, conversion, gzip, writing), in full builds
 * and in the latency of every publication; incremental and full builds must produce the same
 * bytes, so one quality serves both.
 */
export const BROTLI_QUALITY = 5;

export const sha256 = (data: Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * The precompressed siblings of a text file, computed on libuv's thread pool: the main thread
 * renders the next pages meanwhile (zlib's asynchronous API costs about twice the CPU of the
 * synchronous one, 1.7 against 0.9 ms for a 13 KB page, but on the otherwise idle second core).
 */
export async function compress(data: Buffer): Promise<{ gz: Buffer; br: Buffer }> {
  const [gz, br] = await Promise.all([
    gzip(data, { level: GZIP_LEVEL }),
    brotli(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  ]);
  return { gz, br };
}

let tmpSeq = 0;
/** Temporary name of a file being written: a dot-file in the same directory. */
export const tmpName = (abs: string): string => path.join(path.dirname(abs), `.${path.basename(abs)}.tmp-${process.pid}-${++tmpSeq}`);
export const isTmpName = (name: string): boolean => name.startsWith('.') && name.includes('.tmp-');

/**
 * Runs `fn` over `items` with at most `n` in flight. After a failure no new item starts, and the
 * first error is thrown once every started one has finished (nothing keeps writing afterwards).
 */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        await fn(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failure) throw failure.error;
}

interface Pending {
  group: string;
  siteId: number | null;
  path: string;
  data: Buffer;
  sha: string;
}

/** A main file before the unchanged check: its bytes may not be rendered yet. */
interface Candidate {
  group: string;
  siteId: number | null;
  path: string;
  data: Buffer | undefined;
  sha: string;
  render: (() => Promise<string | Buffer>) | undefined;
}

const toBuffer = (d: string | Buffer): Buffer => (typeof d === 'string' ? Buffer.from(d, 'utf8') : d);

export class Writer {
  readonly publicDir: string;
  private readonly manifest: Manifest;
  private readonly clock: () => Date;
  private readonly fsync: boolean;
  private readonly concurrency: number;
  /** Directories known to exist (saves a mkdir per file). */
  private readonly dirs = new Set<string>();

  constructor(opts: WriterOptions) {
    this.publicDir = path.resolve(opts.publicDir);
    this.manifest = opts.manifest;
    this.clock = opts.clock;
    this.fsync = opts.fsync;
    this.concurrency = opts.concurrency ?? 16;
  }

  /** Absolute file of a public path; refuses anything that is not a safe path under public/. */
  abs(p: string): string {
    if (!isSafePath(p) || p.endsWith('/')) throw new Error(`refusing to write unsafe path ${JSON.stringify(p)}`);
    const abs = path.join(this.publicDir, ...p.split('/').filter(Boolean));
    if (!abs.startsWith(this.publicDir + path.sep)) throw new Error(`path escapes public/: ${p}`);
    return abs;
  }

  /**
   * Writes the files of these groups (only those that changed, unless `force` names them) and
   * removes what each group no longer produces. Groups are complete: a group not producing a
   * path it produced before loses that file.
   */
  async write(outputs: readonly GroupOutput[], opts: { force?: ReadonlySet<string> } = {}): Promise<WriteResult> {
    const force = opts.force ?? new Set<string>();
    const mains: Candidate[] = [];
    const kept = new Map<string, Set<string>>();
    let pages = 0;
    let files = 0;
    for (const o of outputs) {
      const keep = kept.get(o.group) ?? new Set<string>();
      kept.set(o.group, keep);
      for (const f of o.files) {
        const data = f.data === undefined ? undefined : toBuffer(f.data);
        if (!data && !(f.sha && f.render)) throw new Error(`no content for ${f.path}`);
        this.abs(f.path); // validates
        mains.push({ group: o.group, siteId: o.siteId, path: f.path, data, sha: data ? sha256(data) : f.sha!, render: f.render });
        keep.add(f.path);
        files++;
        if (f.path.endsWith('.html')) pages++;
        if (isCompressible(f.path)) {
          keep.add(`${f.path}.gz`);
          keep.add(`${f.path}.br`);
          files += 2;
        }
      }
    }

    const allPaths = mains.flatMap((m) => (isCompressible(m.path) ? [m.path, `${m.path}.gz`, `${m.path}.br`] : [m.path]));
    const rows = await this.manifest.get(allPaths);
    const changed: Pending[] = [];
    await pool(mains, this.concurrency, async (m) => {
      if (!force.has(m.path) && (await this.isUnchanged(m, rows))) return;
      // Needed after all (changed on disk, forced, …): render the bytes now.
      const data = m.data ?? toBuffer(await m.render!());
      changed.push({ group: m.group, siteId: m.siteId, path: m.path, data, sha: m.data ? m.sha : sha256(data) });
    });
    changed.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const written: string[] = [];
    if (changed.length > 0) {
      const now = this.clock().toISOString();
      const all: Pending[] = [];
      await pool(changed, this.concurrency, async (m) => {
        all.push(m);
        if (isCompressible(m.path)) {
          const { gz, br } = await compress(m.data);
          all.push({ ...m, path: `${m.path}.gz`, data: gz, sha: sha256(gz) }, { ...m, path: `${m.path}.br`, data: br, sha: sha256(br) });
        }
      });
      const row = (p: Pending, sha: string, size: number): ManifestRow => ({ path: p.path, siteId: p.siteId, group: p.group, sha256: sha, size, writtenAt: now });
      await this.manifest.upsert(all.map((p) => row(p, PENDING, -1)));
      await pool(all, this.concurrency, (p) => this.writeAtomic(this.abs(p.path), p.data));
      await this.manifest.upsert(all.map((p) => row(p, p.sha, p.data.length)));
      written.push(...all.map((p) => p.path).sort());
    }

    const removed = await this.removeStaleMany(kept);
    return { pages, files, written, removed };
  }

  /** Deletes the files (and their manifest rows) of `group` that are not in `keptPaths`. */
  async removeStale(group: string, keptPaths: Iterable<string>): Promise<string[]> {
    return this.removeStaleMany(new Map([[group, new Set(keptPaths)]]));
  }

  /** removeStale for many groups at once (one manifest read). */
  async removeStaleMany(kept: ReadonlyMap<string, ReadonlySet<string>>): Promise<string[]> {
    const rows = await this.manifest.ofGroups([...kept.keys()]);
    const stale = new Map<string, string[]>();
    for (const r of rows) {
      if (kept.get(r.group)?.has(r.path)) continue;
      stale.set(r.group, [...(stale.get(r.group) ?? []), r.path]);
    }
    const deleted: string[] = [];
    // The row goes first, and only while it still belongs to the group (another group may have taken the path over).
    for (const [group, paths] of stale) deleted.push(...(await this.manifest.deleteOfGroup(group, paths)));
    await this.unlinkAll(deleted);
    return deleted.sort();
  }

  /**
   * The absolute file of any relative path found under public/ (by a walk): unlike abs(), odd
   * names (an intruder's `.htaccess`, a temporary file) are allowed, but never outside public/.
   */
  absFound(p: string): string {
    const abs = path.resolve(this.publicDir, `.${p}`);
    if (!abs.startsWith(this.publicDir + path.sep)) throw new Error(`path escapes public/: ${p}`);
    return abs;
  }

  /** Deletes files (already gone is fine) and then the directories they leave empty. */
  async unlinkAll(paths: readonly string[]): Promise<void> {
    const parents = new Set<string>();
    await pool(paths, this.concurrency, async (p) => {
      const abs = this.absFound(p);
      await fs.rm(abs, { force: true });
      parents.add(path.dirname(abs));
    });
    await this.pruneDirs(parents);
  }

  /** Removes empty directories from these upwards (never public/ itself). */
  async pruneDirs(dirs: Iterable<string>): Promise<void> {
    const sorted = [...new Set(dirs)].sort((a, b) => b.length - a.length);
    for (let d of sorted) {
      while (d.startsWith(this.publicDir + path.sep)) {
        try {
          await fs.rmdir(d);
        } catch {
          break; // not empty (or already gone): its parents are not empty either
        }
        this.forgetDir(d);
        d = path.dirname(d);
      }
    }
  }

  private forgetDir(d: string): void {
    for (const known of this.dirs) if (known === d || known.startsWith(d + path.sep)) this.dirs.delete(known);
  }

  private async isUnchanged(m: Candidate, rows: Map<string, ManifestRow>): Promise<boolean> {
    const r = rows.get(m.path);
    if (!r || r.sha256 !== m.sha || r.group !== m.group || r.siteId !== m.siteId) return false;
    if (isCompressible(m.path)) {
      for (const s of [`${m.path}.gz`, `${m.path}.br`]) {
        const d = rows.get(s);
        if (!d || d.sha256 === PENDING || d.group !== m.group) return false;
      }
    }
    try {
      const st = await fs.stat(this.abs(m.path));
      return st.isFile() && st.size === r.size;
    } catch {
      return false;
    }
  }

  /** Writes one file atomically (temporary dot-file, optional fsync, rename). */
  private async writeAtomic(abs: string, data: Buffer, retried = false): Promise<void> {
    const dir = path.dirname(abs);
    if (retried || !this.dirs.has(dir)) {
      await fs.mkdir(dir, { recursive: true });
      this.dirs.add(dir);
    }
    const tmp = tmpName(abs);
    try {
      const fh = await fs.open(tmp, 'w', 0o644);
      try {
        await fh.writeFile(data);
        if (this.fsync) await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, abs);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !retried) {
        // The directory went away behind our back (tamper, manual clean-up): once more, creating it.
        this.forgetDir(dir);
        return this.writeAtomic(abs, data, true);
      }
      throw err;
    }
  }
}

/** Relative public paths ("/jyj/index.html") of every file under `root`; symbolic links are reported as files, not followed. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(path.join(dir, e.name), r);
      else out.push(r);
    }
  };
  await walk(path.resolve(root), '');
  return out.sort();
}
