/**
 * Response headers of static files: types, caching, security (the same policy helmet gives the
 * application's own responses; serve.test.ts compares them), and Accept-Encoding negotiation.
 */

/** The Content-Security-Policy the app sends (helmet defaults plus src/app.ts's directives). */
export const CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Referrer-Policy': 'no-referrer',
};

/** Pages change when something is published; theme assets are not yet versioned in their URLs. */
export const PAGE_CACHE = 'public, max-age=60';
export const ASSET_CACHE = 'public, max-age=3600';
/** A 404 may become a page at the next publication. */
export const NOT_FOUND_CACHE = 'no-cache';

export const cacheControlOf = (file: string): string => (file.startsWith('/assets/') ? ASSET_CACHE : PAGE_CACHE);

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  pdf: 'application/pdf',
  map: 'application/json; charset=utf-8',
  webmanifest: 'application/manifest+json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['html', 'htm', 'css', 'js', 'mjs', 'json', 'xml', 'txt', 'svg', 'map', 'webmanifest', 'ico', 'ttf']);

const extOf = (file: string): string => {
  const slash = file.lastIndexOf('/');
  const dot = file.lastIndexOf('.');
  return dot > slash ? file.slice(dot + 1).toLowerCase() : '';
};
export const contentTypeOf = (file: string): string => TYPES[extOf(file)] ?? 'application/octet-stream';
/** Text formats worth compressing (the publisher writes .gz/.br beside exactly these). */
export const isCompressible = (file: string): boolean => COMPRESSIBLE.has(extOf(file));

/** Codings a client accepts, as bits: 1 gzip, 2 br (identity is always acceptable here). */
export const GZIP = 1;
export const BR = 2;

/** Parses one Accept-Encoding header into the codings with q > 0 (`*` stands for both unless refused). */
export function parseAcceptEncoding(header: string): number {
  let mask = 0;
  let star = false;
  const refused = new Set<string>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (!(q > 0)) {
      refused.add(coding);
      continue;
    }
    if (coding === 'br') mask |= BR;
    else if (coding === 'gzip' || coding === 'x-gzip') mask |= GZIP;
    else if (coding === '*') star = true;
  }
  if (star && !refused.has('br')) mask |= BR;
  if (star && !refused.has('gzip') && !refused.has('x-gzip')) mask |= GZIP;
  for (const c of refused) mask &= c === 'br' ? ~BR : c === 'gzip' || c === 'x-gzip' ? ~GZIP : ~0;
  return mask;
}

const negotiated = new Map<string, number>();
/** parseAcceptEncoding, memoised: browsers send a handful of distinct headers. Preference: br > gzip > identity. */
export function negotiate(header: string | undefined): number {
  if (!header) return 0;
  let mask = negotiated.get(header);
  if (mask === undefined) {
    mask = parseAcceptEncoding(header);
    if (negotiated.size > 500) negotiated.clear();
    negotiated.set(header, mask);
  }
  return mask;
}

/** Does an If-None-Match header name this entity tag (weak comparison, RFC 9110 §13.1.2)? */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch === etag) return true;
  const bare = etag.replace(/^W\//, '');
  for (const t of ifNoneMatch.split(',')) {
    const x = t.trim();
    if (x === '*' || x.replace(/^W\//, '') === bare) return true;
  }
  return false;
}

/** If-Modified-Since at or after the file's time (HTTP dates have whole seconds). */
export function notModifiedSince(ifModifiedSince: string, mtimeMs: number): boolean {
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(mtimeMs / 1000) * 1000 <= since;
}
