/**
 * The in-memory cache of published files: public path → the bytes in every encoding with their
 * headers, ready for `res.end`. Bounded by total bytes (least recently used out first).
 *
 * Entries are loaded on first request (the publisher's .br/.gz siblings when they decompress to
 * exactly the file, else compressed here once) and revalidated at most once per second per path
 * by comparing the file's inode, size and mtime — the publisher may run in another process and
 * renames finished files into place. In the same process it also calls `invalidate(paths)`.
 */
import type { Stats } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { SECURITY_HEADERS, cacheControlOf, contentTypeOf, isCompressible } from './headers.js';

const gzipAsync = promisify(zlib.gzip);
const brotliAsync = promisify(zlib.brotliCompress);
const gunzipAsync = promisify(zlib.gunzip);
const unbrotliAsync = promisify(zlib.brotliDecompress);

export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
/** Bookkeeping per entry (keys, headers, objects), counted against the byte budget. */
const ENTRY_OVERHEAD = 1024;

export interface Variant {
  body: Buffer;
  etag: string;
  /** Complete headers of a 200 response of this variant. */
  headers: Record<string, string>;
}

export interface CacheEntry {
  /** Public path of the file, "/jyj/gzdt/index.html". */
  file: string;
  raw: Buffer;
  gzip: Buffer | null;
  br: Buffer | null;
  /** Strong entity tag of the identity bytes (content hash); variants add "-gz" / "-br". */
  etag: string;
  lastModified: string;
  contentType: string;
  size: number;
  mtimeMs: number;
  variants: { identity: Variant; gzip: Variant | null; br: Variant | null };
  /** Bytes counted against the cache budget. */
  cost: number;
  /** When the file on disk was last compared (performance.now()). */
  checkedAt: number;
  ino: number;
}

/** A file too large to keep in memory: streamed from disk each time. */
export interface LargeFile {
  file: string;
  abs: string;
  size: number;
  mtimeMs: number;
}

export type Lookup = { kind: 'file'; entry: CacheEntry } | { kind: 'large'; large: LargeFile } | { kind: 'dir' } | { kind: 'missing' };

const MISSING: Lookup = { kind: 'missing' };
const DIR: Lookup = { kind: 'dir' };

export interface CacheOptions {
  /** Total bytes kept (raw + compressed variants + overhead). */
  maxBytes?: number;
  /** Larger files are not kept but streamed (default: a quarter of maxBytes, at most 16 MB). */
  maxEntryBytes?: number;
  /** How often a path is compared with the disk, in ms (default 1000). */
  revalidateMs?: number;
  now?: () => number;
}

function variantHeaders(e: Pick<CacheEntry, 'file' | 'contentType' | 'lastModified'>, body: Buffer, etag: string, encoding: string | null, vary: boolean): Record<string, string> {
  const h: Record<string, string> = {
    'Content-Type': e.contentType,
    'Content-Length': String(body.length),
    ETag: etag,
    'Last-Modified': e.lastModified,
    'Cache-Control': cacheControlOf(e.file),
    ...SECURITY_HEADERS,
  };
  if (encoding) h['Content-Encoding'] = encoding;
  if (vary) h.Vary = 'Accept-Encoding';
  return h;
}

function errCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG', 'ELOOP', 'EACCES', 'EISDIR']);

export class StaticCache {
  readonly root: string;
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  private readonly revalidateMs: number;
  private readonly now: () => number;
  /** Insertion order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, CacheEntry>();
  /** Paths known to be missing or directories, with when that was seen. */
  private readonly absent = new Map<string, { lookup: Lookup; checkedAt: number }>();
  private readonly pending = new Map<string, Promise<Lookup>>();
  /** Bumped by invalidate(): a load that started before must not store its result. */
  private generation = 0;
  private bytes = 0;

  constructor(root: string, opts: CacheOptions = {}) {
    this.root = path.resolve(root);
    this.maxBytes = opts.maxBytes ?? DEFAULT_CACHE_BYTES;
    this.maxEntryBytes = opts.maxEntryBytes ?? Math.min(16 * 1024 * 1024, Math.floor(this.maxBytes / 4));
    this.revalidateMs = opts.revalidateMs ?? 1000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** The entry when it is cached and was compared with the disk less than a second ago (the hot path). */
  peek(file: string): CacheEntry | undefined {
    const e = this.entries.get(file);
    if (!e || this.now() - e.checkedAt >= this.revalidateMs) return undefined;
    this.entries.delete(file);
    this.entries.set(file, e);
    return e;
  }

  /** Looks a file up: from memory, after revalidation, or from disk. Concurrent lookups of a path share one. */
  lookup(file: string): Promise<Lookup> {
    const hot = this.peek(file);
    if (hot) return Promise.resolve({ kind: 'file', entry: hot });
    const known = this.absent.get(file);
    if (known && this.now() - known.checkedAt < this.revalidateMs) return Promise.resolve(known.lookup);
    let p = this.pending.get(file);
    if (!p) {
      p = this.refresh(file).finally(() => this.pending.delete(file));
      this.pending.set(file, p);
    }
    return p;
  }

  /** Forgets the given public paths ("/a/b.html"; "/a/" means "/a/index.html"), or everything. */
  invalidate(files?: Iterable<string>): void {
    this.generation++;
    if (!files) {
      this.entries.clear();
      this.absent.clear();
      this.bytes = 0;
      return;
    }
    for (const f of files) {
      const file = normaliseFile(f);
      const e = this.entries.get(file);
      if (e) this.remove(e);
      this.absent.delete(file);
    }
  }

  stats(): { entries: number; bytes: number; maxBytes: number } {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes };
  }

  has(file: string): boolean {
    return this.entries.has(file);
  }

  /** Absolute path of a public file, or null if it would leave the root. */
  absPath(file: string): string | null {
    const abs = path.join(this.root, file);
    return abs.startsWith(this.root + path.sep) ? abs : null;
  }

  private async refresh(file: string): Promise<Lookup> {
    const generation = this.generation;
    const current = this.entries.get(file);
    if (current) {
      const st = await statOrNull(this.absPath(file));
      if (st && st.isFile() && st.ino === current.ino && st.size === current.size && st.mtimeMs === current.mtimeMs) {
        current.checkedAt = this.now();
        return { kind: 'file', entry: current };
      }
      this.remove(current);
    }
    const found = await this.load(file);
    if (generation !== this.generation) return found; // invalidated meanwhile: answer, but do not keep
    if (found.kind === 'file') this.store(found.entry);
    else if (found.kind !== 'large') {
      if (this.absent.size >= 10_000) this.absent.clear();
      this.absent.set(file, { lookup: found, checkedAt: this.now() });
    }
    return found;
  }

  private async load(file: string): Promise<Lookup> {
    const abs = this.absPath(file);
    if (!abs) return MISSING;
    let fh: fsp.FileHandle;
    try {
      fh = await fsp.open(abs, 'r');
    } catch (err) {
      if (ABSENT.has(errCode(err) ?? '')) return MISSING;
      throw err;
    }
    let st: Stats;
    let raw: Buffer;
    try {
      st = await fh.stat();
      if (st.isDirectory()) return DIR;
      if (!st.isFile()) return MISSING;
      if (st.size > this.maxEntryBytes) return { kind: 'large', large: { file, abs, size: st.size, mtimeMs: st.mtimeMs } };
      raw = await fh.readFile();
    } finally {
      await fh.close();
    }
    const compressible = isCompressible(file);
    const [gzip, br] = compressible ? await Promise.all([this.sibling(`${abs}.gz`, raw, 'gzip'), this.sibling(`${abs}.br`, raw, 'br')]) : [null, null];
    const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`;
    const head = { file, contentType: contentTypeOf(file), lastModified: new Date(st.mtimeMs).toUTCString() };
    const variant = (body: Buffer, tag: string, encoding: string | null): Variant => ({ body, etag: tag, headers: variantHeaders(head, body, tag, encoding, compressible) });
    const entry: CacheEntry = {
      ...head,
      raw,
      gzip,
      br,
      etag,
      size: st.size,
      mtimeMs: st.mtimeMs,
      ino: st.ino,
      variants: {
        identity: variant(raw, etag, null),
        gzip: gzip ? variant(gzip, `${etag.slice(0, -1)}-gz"`, 'gzip') : null,
        br: br ? variant(br, `${etag.slice(0, -1)}-br"`, 'br') : null,
      },
      cost: raw.length + (gzip?.length ?? 0) + (br?.length ?? 0) + ENTRY_OVERHEAD,
      checkedAt: this.now(),
    };
    return { kind: 'file', entry };
  }

  /**
   * The precompressed sibling when it decodes to exactly `raw` (the publisher writes it next to
   * the file; a stale or half-written one is ignored), else `raw` compressed here. Null when
   * compression does not pay.
   */
  private async sibling(abs: string, raw: Buffer, coding: 'gzip' | 'br'): Promise<Buffer | null> {
    let packed: Buffer | null = null;
    try {
      const onDisk = await fsp.readFile(abs);
      const decoded = await (coding === 'gzip' ? gunzipAsync(onDisk) : unbrotliAsync(onDisk));
      if (decoded.equals(raw)) packed = onDisk;
    } catch {
      // absent or not valid: compress ourselves
    }
    packed ??=
      coding === 'gzip'
        ? await gzipAsync(raw, { level: 9 })
        : await brotliAsync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    return packed.length < raw.length ? packed : null;
  }

  private store(e: CacheEntry): void {
    if (e.cost > this.maxBytes) return;
    const old = this.entries.get(e.file);
    if (old) this.remove(old);
    this.entries.set(e.file, e);
    this.bytes += e.cost;
    this.absent.delete(e.file);
    for (const victim of this.entries.values()) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(victim);
    }
  }

  private remove(e: CacheEntry): void {
    if (this.entries.get(e.file) !== e) return;
    this.entries.delete(e.file);
    this.bytes -= e.cost;
  }
}

async function statOrNull(abs: string | null): Promise<Stats | null> {
  if (!abs) return null;
  try {
    return await fsp.stat(abs);
  } catch {
    return null;
  }
}

/** "/a/" → "/a/index.html"; a missing leading slash is added. */
export function normaliseFile(p: string): string {
  const withSlash = p.startsWith('/') ? p : `/${p}`;
  return withSlash.endsWith('/') ? `${withSlash}index.html` : withSlash;
}
