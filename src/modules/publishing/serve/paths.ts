/**
 * Pure rules of static serving: which request paths are static, how a request path becomes a
 * file under public/, own-host mapping, the 404 page of a path, and the local-path check for
 * redirect targets. No I/O: table-tested in paths.test.ts.
 */
import { PORTAL_CODE } from '../../sites/index.js';
import { TRADITIONAL_PREFIX } from '../model.js';

/**
 * First path segments always answered by the application, never by a file (CONTRACTS.md, HTTP).
 * The serving layer adds the first segment of every route registered on Fastify, and every
 * segment starting with "_" (live endpoints: /_mode, /_mode.css, /_v) is dynamic too.
 */
export const DYNAMIC_SEGMENTS: readonly string[] = ['api', 'admin', 'media', 'search', 'healthz', 'metrics'];

/** Static files at most this long in their URL; longer requests are refused. */
export const MAX_PATH_LENGTH = 1024;

/** The first segment of an absolute path: "/jyj/gzdt/" → "jyj", "/" → "". */
export function firstSegment(p: string): string {
  const i = p.indexOf('/', 1);
  return i < 0 ? p.slice(1) : p.slice(1, i);
}

/** Is a first path segment one the application answers (given the learned route segments)? */
export function isDynamicSegment(seg: string, learned: ReadonlySet<string>): boolean {
  return seg.charCodeAt(0) === 95 /* _ */ || learned.has(seg);
}

export type ParsedPath = { ok: true; path: string } | { ok: false; reason: string };

/* eslint-disable no-control-regex -- refusing control characters is the point */
const RAW_REFUSED = /[\\\u0000-\u001f\u007f]|%(?:5c|00)/i;
const DECODED_REFUSED = /[\\\u0000-\u001f\u007f]|%[0-9a-f]{2}/i;
/* eslint-enable no-control-regex */

/**
 * The raw path of a request (before "?") → the decoded public path it names, or a refusal (400):
 * `..` or `.` segments (plain, percent-encoded, double-encoded), backslashes, NUL and control
 * characters, malformed percent-encoding. Repeated slashes collapse (as nginx's merge_slashes).
 * The result starts with "/" and cannot leave public/ whatever the file system does with it.
 */
export function parseRequestPath(raw: string): ParsedPath {
  if (raw.charCodeAt(0) !== 47) return { ok: false, reason: 'not absolute' };
  if (raw.length > MAX_PATH_LENGTH) return { ok: false, reason: 'too long' };
  if (RAW_REFUSED.test(raw)) return { ok: false, reason: 'refused character' };
  let p = raw;
  if (p.includes('%')) {
    try {
      p = decodeURIComponent(p);
    } catch {
      return { ok: false, reason: 'bad encoding' };
    }
    if (DECODED_REFUSED.test(p)) return { ok: false, reason: 'refused character' };
  }
  if (p.includes('//')) p = p.replace(/\/{2,}/g, '/');
  if (p.includes('/.')) {
    for (const seg of p.split('/')) if (seg === '..' || seg === '.') return { ok: false, reason: 'dot segment' };
  }
  return { ok: true, path: p };
}

/** Files the platform keeps out of sight: dot-files (the publisher's temporary names) and the precompressed siblings. */
export function isHiddenFile(file: string): boolean {
  return file.includes('/.') || file.endsWith('.gz') || file.endsWith('.br');
}

/** The file a public path names: directories map to their index.html. */
export const fileOf = (p: string): string => (p.endsWith('/') ? `${p}index.html` : p);

/**
 * A request on one of a site's own host names sees that site's tree at "/":
 * `jyj.example.gov.cn/gzdt/` → `/jyj/gzdt/`, `/zh-hant/gzdt/` → `/zh-hant/jyj/gzdt/`.
 * Shared theme assets and links that already carry the site prefix (pages are rendered with
 * cluster paths) are left as they are. The portal's tree is the root already.
 */
export function ownHostPath(p: string, code: string): string {
  if (code === PORTAL_CODE || p.startsWith('/assets/')) return p;
  const prefix = `/${code}`;
  const under = (x: string) => x === prefix || x.startsWith(`${prefix}/`);
  if (under(p)) return p;
  if (p === TRADITIONAL_PREFIX || p.startsWith(`${TRADITIONAL_PREFIX}/`)) {
    const rest = p.slice(TRADITIONAL_PREFIX.length) || '/';
    return under(rest) ? p : `${TRADITIONAL_PREFIX}${prefix}${rest}`;
  }
  return prefix + p;
}

/**
 * The 404 pages to try for a missing path, best first: the site's own (its code is the first
 * segment), then the portal's — each in the path's script (`/zh-hant/…` → the Traditional one).
 */
export function notFoundPages(p: string, isSiteCode: (code: string) => boolean): string[] {
  const trad = p.startsWith(`${TRADITIONAL_PREFIX}/`);
  const base = trad ? TRADITIONAL_PREFIX : '';
  const seg = firstSegment(trad ? p.slice(TRADITIONAL_PREFIX.length) : p);
  const out: string[] = [];
  if (seg && seg !== PORTAL_CODE && isSiteCode(seg)) out.push(`${base}/${seg}/404.html`);
  out.push(`${base}/404.html`);
  return out;
}

/** The site code a public path belongs to (first segment, after the Traditional prefix), or the portal's. */
export function siteCodeOfPath(p: string, isSiteCode: (code: string) => boolean): string {
  const rest = p.startsWith(`${TRADITIONAL_PREFIX}/`) ? p.slice(TRADITIONAL_PREFIX.length) : p;
  const seg = firstSegment(rest);
  return seg && isSiteCode(seg) ? seg : PORTAL_CODE;
}

/** The article id in an article page's path (`…/t20261120_42.html` → 42), or null. */
export function articleIdOfPath(p: string): number | null {
  const m = /\/t\d{8}_(\d{1,10})\.html$/.exec(p);
  if (!m) return null;
  const id = Number(m[1]);
  return id > 0 && id <= 2_147_483_647 ? id : null;
}

/**
 * A redirect target that stays on this site: a path starting with exactly one "/", printable
 * ASCII only (no spaces, no backslash that browsers read as "/"). Anything else → "/".
 */
export function localPath(back: unknown): string {
  if (typeof back !== 'string' || back.length > 2000) return '/';
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(back) || back.includes('\\')) return '/';
  return back;
}

/** A page path worth counting: absolute, ≤ 300 characters, URL-safe characters, a page (".html" or a directory). */
export function isCountablePath(p: string): boolean {
  return p.length <= 300 && /^\/[A-Za-z0-9_.~/-]*$/.test(p) && !p.includes('//') && !p.includes('/.') && (p.endsWith('/') || p.endsWith('.html'));
}
