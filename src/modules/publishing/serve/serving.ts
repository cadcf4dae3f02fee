/**
 * The static fast path: a request handler in front of Fastify (installed by src/app.ts through
 * `serverFactory`). GET/HEAD requests for static paths are answered from the in-memory cache
 * with `res.writeHead/res.end` — no routing, hooks or per-request logging; everything else
 * (the API, the console, media, search, `/_mode`, any registered route) goes to Fastify.
 * `/_v` (view pixel) and `/_mode.css` (visitor display overrides) are answered here too.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '../../../db/index.js';
import type { Clock } from '../../../lib/time.js';
import { type CacheEntry, type LargeFile, type Lookup, type Variant, DEFAULT_CACHE_BYTES, StaticCache } from './cache.js';
import { SiteDirectory } from './directory.js';
import { BR, GZIP, NOT_FOUND_CACHE, SECURITY_HEADERS, cacheControlOf, contentTypeOf, etagMatches, negotiate, notModifiedSince } from './headers.js';
import { modeCss, modesFromCookies } from './mode.js';
import { MourningState } from './mourning.js';
import { toTraditional } from '../build/traditional.js';
import { DYNAMIC_SEGMENTS, fileOf, firstSegment, isHiddenFile, notFoundPages, ownHostPath, parseRequestPath } from './paths.js';
import { PIXEL, ViewCounter } from './views.js';

export interface ServingOptions {
  dataDir: string;
  store: Store;
  log: Logger;
  clock: Clock;
  /** Byte budget of the page cache (default 256 MB). */
  cacheBytes?: number;
  /** The theme's elder-mode stylesheet, included in /_mode.css for elder visitors. */
  elderCssFile?: string;
}

/** themes/default/assets/elder.css, from the repository root. */
export const DEFAULT_ELDER_CSS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../themes/default/assets/elder.css');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The last resort when a site has no 404 page yet. */
export const PLAIN_NOT_FOUND = Buffer.from(
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>页面不存在</title></head><body><main><h1>页面不存在</h1><p>您访问的页面不存在或已被删除。<a href="/">返回首页</a></p></main></body></html>',
);
const BAD_REQUEST = Buffer.from('请求地址有误\n');
const SERVER_ERROR = Buffer.from('服务器内部错误，请稍后再试\n');

const PIXEL_HEADERS = {
  'Content-Type': 'image/gif',
  'Content-Length': String(PIXEL.length),
  'Cache-Control': 'no-store',
  ...SECURITY_HEADERS,
};

/** Every live instance, for the module-level invalidate() the publisher calls. */
const live = new Set<Serving>();

/**
 * Forget cached files (public paths; "/a/" means its index.html) in every serving instance of
 * this process, or everything, and reload redirects and host names. The publisher calls it after
 * renaming files into place; awaiting it is optional (the cache is cleared at once).
 */
export async function invalidate(paths?: Iterable<string>): Promise<void> {
  const list = paths === undefined ? undefined : [...paths];
  await Promise.all([...live].map((s) => s.invalidate(list)));
}

type Headers = Record<string, string>;
interface VariantExtras {
  h304?: Headers;
  h404?: Headers;
}

export class Serving {
  readonly cache: StaticCache;
  readonly directory: SiteDirectory;
  readonly views: ViewCounter;
  readonly mourning: MourningState;
  readonly publicDir: string;
  readonly log: Logger;
  readonly clock: Clock;
  readonly store: Store;
  elderCss = '';
  /** Paths of routes registered on Fastify outside the fixed dynamic segments (exact, and patterns of parametric ones). */
  private readonly routeExact = new Set<string>();
  private readonly routePatterns: RegExp[] = [];
  private readonly dynamicSegments = new Set(DYNAMIC_SEGMENTS);
  private closed = false;
  private readonly modeCssMemo = new Map<string, { body: Buffer; etag: string; headers: Headers }>();

  constructor(opts: ServingOptions) {
    this.publicDir = path.resolve(opts.dataDir, 'public');
    this.log = opts.log;
    this.clock = opts.clock;
    this.store = opts.store;
    this.cache = new StaticCache(this.publicDir, { maxBytes: opts.cacheBytes ?? DEFAULT_CACHE_BYTES });
    this.directory = new SiteDirectory(opts.store.db, opts.log);
    this.views = new ViewCounter(opts.store.db, this.directory, opts.log, opts.clock);
    this.mourning = new MourningState(opts.store.db, opts.log);
    const elder = opts.elderCssFile ?? DEFAULT_ELDER_CSS;
    try {
      this.elderCss = fs.readFileSync(elder, 'utf8');
    } catch {
      opts.log.debug({ file: elder }, 'elder-mode stylesheet not found; elder mode only enlarges type');
    }
    live.add(this);
  }

  /** For Fastify's `serverFactory`: an HTTP server that tries the fast path first. */
  readonly serverFactory = (handler: (req: IncomingMessage, res: ServerResponse) => void, opts: FastifyServerOptions): http.Server => {
    const server = http.createServer((req, res) => {
      if (!this.handle(req, res)) handler(req, res);
    });
    server.keepAliveTimeout = opts.keepAliveTimeout ?? 72_000;
    if (opts.requestTimeout) server.requestTimeout = opts.requestTimeout;
    if (opts.connectionTimeout) server.setTimeout(opts.connectionTimeout);
    return server;
  };

  /**
   * Notes a route registered on Fastify, so that its paths are never taken for files. Routes
   * whose first segment is a parameter or a wildcard (catch-alls like the static fallback) are
   * not: they would claim every path.
   */
  learnRoute(url: string): void {
    const seg = firstSegment(url);
    if (!seg || seg.startsWith(':') || seg.startsWith('*') || this.isDynamicSegment(seg)) return;
    if (!/[:*]/.test(url)) return void this.routeExact.add(url);
    // "/letters/:id/reply" → ^/letters/[^/]+/reply$ ("*" matches the rest).
    const source = url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    if (!this.routePatterns.some((r) => r.source === `^${source}$`)) this.routePatterns.push(new RegExp(`^${source}$`));
  }

  private isDynamicSegment(seg: string): boolean {
    return seg.charCodeAt(0) === 95 /* _ */ || this.dynamicSegments.has(seg);
  }

  /** Is this request for the fast path: GET/HEAD of a static path, or the view pixel? */
  wants(req: IncomingMessage): boolean {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const url = req.url ?? '';
    if (url.charCodeAt(0) !== 47) return false;
    const q = url.indexOf('?');
    const raw = q < 0 ? url : url.slice(0, q);
    if (raw === '/_v' || raw === '/_mode.css') return true;
    if (this.isDynamicSegment(firstSegment(raw))) return false;
    if (this.routeExact.size > 0 && this.routeExact.has(raw)) return false;
    for (const r of this.routePatterns) if (r.test(raw)) return false;
    return true;
  }

  /** Answers the request when it is for the fast path; false hands it to Fastify untouched. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.wants(req)) return false;
    const url = req.url!;
    const q = url.indexOf('?');
    const raw = q < 0 ? url : url.slice(0, q);
    try {
      if (raw === '/_v') this.pixel(req, res, q < 0 ? '' : url.slice(q + 1));
      else if (raw === '/_mode.css') this.modeStylesheet(req, res, q < 0 ? '' : url.slice(q + 1));
      else this.serveStatic(req, res, raw, q < 0 ? '' : url.slice(q));
    } catch (err) {
      this.fail(res, err);
    }
    return true;
  }

  private pixel(req: IncomingMessage, res: ServerResponse, query: string): void {
    if (req.method === 'GET' && query) this.views.count(new URLSearchParams(query).get('p'));
    res.writeHead(200, PIXEL_HEADERS);
    res.end(req.method === 'HEAD' ? undefined : PIXEL);
  }

  /**
   * `/_mode.css?site=<code>[&v=hant]`: the visitor's display overrides (elder mode, font size
   * from the cookies), the site's or cluster's mourning grey and emergency banners (converted to
   * Traditional for `v=hant` pages). Private and revalidated on every page.
   */
  private modeStylesheet(req: IncomingMessage, res: ServerResponse, query: string): void {
    const params = new URLSearchParams(query);
    const site = params.get('site');
    const code = site && /^[a-z][a-z0-9-]{1,30}$/.test(site) ? site : undefined;
    const hant = params.get('v') === 'hant';
    const modes = modesFromCookies(parseCookies(req.headers.cookie));
    this.mourning
      .view(code)
      .then(({ mourning, banners }) => {
        const key = `${modes.elder ? 1 : 0}${modes.size}${mourning ? 1 : 0}${hant ? 1 : 0}${JSON.stringify(banners)}`;
        let css = this.modeCssMemo.get(key);
        if (!css) {
          const body = Buffer.from(modeCss({ ...modes, mourning, elderCss: this.elderCss, banners, convert: hant ? toTraditional : undefined }));
          const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
          const headers = { 'Content-Type': 'text/css; charset=utf-8', 'Content-Length': String(body.length), ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Cookie', ...SECURITY_HEADERS };
          css = { body, etag, headers };
          // Old banner texts must not pile up: a handful of live combinations at a time.
          if (this.modeCssMemo.size >= 256) this.modeCssMemo.clear();
          this.modeCssMemo.set(key, css);
        }
        const inm = req.headers['if-none-match'];
        if (inm !== undefined && etagMatches(inm, css.etag)) {
          res.writeHead(304, notModifiedHeaders(css.headers));
          return void res.end();
        }
        res.writeHead(200, css.headers);
        res.end(req.method === 'HEAD' ? undefined : css.body);
      })
      .catch((err) => this.fail(res, err));
  }

  private serveStatic(req: IncomingMessage, res: ServerResponse, raw: string, query: string): void {
    this.directory.maybeRefresh();
    const parsed = parseRequestPath(raw);
    if (!parsed.ok) return this.sendPlain(req, res, 400, BAD_REQUEST, 'text/plain; charset=utf-8');
    const host = req.headers.host;
    const code = host ? this.directory.siteOfHost(host) : undefined;
    const p = code ? ownHostPath(parsed.path, code) : parsed.path;
    const to = this.directory.redirectFor(p);
    if (to) return this.redirect(req, res, to);
    const file = fileOf(p);
    if (isHiddenFile(file)) return void this.notFound(req, res, p).catch((err) => this.fail(res, err));
    const hot = this.cache.peek(file);
    if (hot) return this.sendEntry(req, res, hot, 200);
    this.cache
      .lookup(file)
      .then((found) => this.answer(req, res, found, parsed.path, p, query))
      .catch((err) => this.fail(res, err));
  }

  private async answer(req: IncomingMessage, res: ServerResponse, found: Lookup, requested: string, p: string, query: string): Promise<void> {
    switch (found.kind) {
      case 'file':
        return this.sendEntry(req, res, found.entry, 200);
      case 'large':
        return this.sendLarge(req, res, found.large);
      case 'dir':
        // "/jyj" is a directory: its pages link relative to "/jyj/".
        if (!p.endsWith('/')) return this.redirect(req, res, encodeURI(`${requested}/`) + query);
        return this.notFound(req, res, p);
      case 'missing':
        return this.notFound(req, res, p);
    }
  }

  /** The site's 404 page (else the portal's, else a plain one) with status 404. */
  private async notFound(req: IncomingMessage, res: ServerResponse, p: string): Promise<void> {
    for (const page of notFoundPages(p, this.directory.isSiteCode)) {
      const found = await this.cache.lookup(page);
      if (found.kind === 'file') return this.sendEntry(req, res, found.entry, 404);
    }
    this.sendPlain(req, res, 404, PLAIN_NOT_FOUND, 'text/html; charset=utf-8');
  }

  private pick(req: IncomingMessage, e: CacheEntry): Variant & VariantExtras {
    const accepted = negotiate(req.headers['accept-encoding']);
    if (accepted & BR && e.variants.br) return e.variants.br;
    if (accepted & GZIP && e.variants.gzip) return e.variants.gzip;
    return e.variants.identity;
  }

  private sendEntry(req: IncomingMessage, res: ServerResponse, e: CacheEntry, status: 200 | 404): void {
    const v = this.pick(req, e);
    if (status === 404) {
      v.h404 ??= notFoundHeaders(v.headers);
      res.writeHead(404, v.h404);
      res.end(req.method === 'HEAD' ? undefined : v.body);
      return;
    }
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (inm !== undefined ? etagMatches(inm, v.etag) : ims !== undefined && notModifiedSince(ims, e.mtimeMs)) {
      v.h304 ??= notModifiedHeaders(v.headers);
      res.writeHead(304, v.h304);
      res.end();
      return;
    }
    res.writeHead(200, v.headers);
    res.end(req.method === 'HEAD' ? undefined : v.body);
  }

  /** A file over the per-entry limit: streamed from disk, identity only. */
  private sendLarge(req: IncomingMessage, res: ServerResponse, f: LargeFile): void {
    const etag = `W/"${f.size.toString(36)}-${Math.floor(f.mtimeMs).toString(36)}"`;
    const headers: Headers = {
      'Content-Type': contentTypeOf(f.file),
      'Content-Length': String(f.size),
      ETag: etag,
      'Last-Modified': new Date(f.mtimeMs).toUTCString(),
      'Cache-Control': cacheControlOf(f.file),
      ...SECURITY_HEADERS,
    };
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (inm !== undefined ? etagMatches(inm, etag) : ims !== undefined && notModifiedSince(ims, f.mtimeMs)) {
      res.writeHead(304, notModifiedHeaders(headers));
      return void res.end();
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, headers);
      return void res.end();
    }
    const stream = fs.createReadStream(f.abs);
    stream.once('open', () => {
      res.writeHead(200, headers);
      stream.pipe(res);
    });
    stream.once('error', (err) => (res.headersSent ? res.destroy(err) : this.fail(res, err)));
  }

  private redirect(req: IncomingMessage, res: ServerResponse, location: string): void {
    const body = Buffer.from(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>页面已移动</title></head><body><p>页面已移动到 <a href="${esc(location)}">${esc(location)}</a>。</p></body></html>`);
    res.writeHead(301, {
      Location: location,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'public, max-age=60',
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private sendPlain(req: IncomingMessage, res: ServerResponse, status: number, body: Buffer, type: string): void {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length), 'Cache-Control': NOT_FOUND_CACHE, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private fail(res: ServerResponse, err: unknown): void {
    this.log.error({ err }, 'static serving failed');
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(SERVER_ERROR.length), ...SECURITY_HEADERS });
    res.end(SERVER_ERROR);
  }

  /** Forget cached files (or all) and reload hosts and redirects now. */
  invalidate(paths?: Iterable<string>): Promise<void> {
    this.cache.invalidate(paths);
    return this.directory.reload();
  }

  /** Flushes the view counts; the instance stops taking part in invalidate(). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    live.delete(this);
    await this.views.close();
  }
}

/** The cookies of a request (the few this layer reads; no decoding beyond what they need). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    if (k.startsWith('jiyue_') && !Object.hasOwn(out, k)) out[k] = part.slice(eq + 1).trim();
  }
  return out;
}

function notFoundHeaders(h: Headers): Headers {
  const out: Headers = { ...h, 'Cache-Control': NOT_FOUND_CACHE };
  delete out.ETag;
  delete out['Last-Modified'];
  return out;
}

function notModifiedHeaders(h: Headers): Headers {
  const out: Headers = {};
  for (const k of ['ETag', 'Last-Modified', 'Cache-Control', 'Vary', ...Object.keys(SECURITY_HEADERS)]) if (h[k] !== undefined) out[k] = h[k];
  return out;
}

export function createServing(opts: ServingOptions): Serving {
  return new Serving(opts);
}
