/**
 * What static serving needs to know about the cluster, kept in memory and refreshed every few
 * seconds (and at once on invalidate): own host names → site code, site codes → ids, and the
 * redirects left behind by moved columns and articles.
 */
import type { Logger } from 'pino';
import type { DB } from '../../../db/index.js';
import { normaliseHost } from '../../sites/index.js';

export const DIRECTORY_REFRESH_MS = 5000;

/* eslint-disable-next-line no-control-regex -- refusing control characters is the point */
const UNSAFE_LOCATION = /[\u0000-\u001f\u007f\\]/;

/** A redirect target fit for a Location header: a local path or an http(s) URL, percent-encoded. */
export function redirectLocation(to: string): string | null {
  if (UNSAFE_LOCATION.test(to)) return null;
  if (!(to.startsWith('/') && !to.startsWith('//')) && !/^https?:\/\/[^/]/i.test(to)) return null;
  try {
    return /[^\x21-\x7e]/.test(to) ? encodeURI(to) : to;
  } catch {
    return null;
  }
}

export class SiteDirectory {
  private hosts = new Map<string, string>();
  private codes = new Map<string, number>();
  private redirects = new Map<string, string>();
  /** Host header as sent → site code (or null): saves normalising the same header again. */
  private hostMemo = new Map<string, string | null>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: DB,
    private readonly log: Logger,
    private readonly refreshMs = DIRECTORY_REFRESH_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Loads everything again (concurrent calls share one load); errors are logged and the old maps kept. */
  reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Starts a reload in the background when the maps are older than the refresh interval. */
  maybeRefresh(): void {
    if (!this.loading && this.now() - this.loadedAt >= this.refreshMs) void this.reload();
  }

  private async load(): Promise<void> {
    try {
      const [sites, hosts, redirects] = await Promise.all([
        this.db.selectFrom('sites').select(['id', 'code']).execute(),
        this.db.selectFrom('site_hosts').innerJoin('sites', 'sites.id', 'site_hosts.site_id').select(['site_hosts.host', 'sites.code']).execute(),
        this.db.selectFrom('redirects').select(['from_path', 'to_path']).execute(),
      ]);
      this.codes = new Map(sites.map((s) => [s.code, s.id]));
      this.hosts = new Map(hosts.map((h) => [h.host.toLowerCase(), h.code]));
      const r = new Map<string, string>();
      for (const row of redirects) {
        const to = redirectLocation(row.to_path);
        if (to && row.from_path.startsWith('/') && to !== row.from_path) r.set(row.from_path, to);
      }
      this.redirects = r;
      this.hostMemo = new Map();
    } catch (err) {
      this.log.warn({ err }, 'static serving: could not load hosts and redirects; keeping the previous ones');
    } finally {
      this.loadedAt = this.now();
    }
  }

  /** The site whose own host the Host header names, if any. */
  siteOfHost(header: string): string | undefined {
    if (this.hosts.size === 0) return undefined;
    let code = this.hostMemo.get(header);
    if (code === undefined) {
      const h = normaliseHost(header);
      code = (h && this.hosts.get(h)) ?? null;
      if (this.hostMemo.size > 1000) this.hostMemo.clear();
      this.hostMemo.set(header, code);
    }
    return code ?? undefined;
  }

  isSiteCode = (code: string): boolean => this.codes.has(code);

  siteId(code: string): number | undefined {
    return this.codes.get(code);
  }

  /** Where a moved page now lives: exact path, or its directory / index.html twin. */
  redirectFor(p: string): string | undefined {
    if (this.redirects.size === 0) return undefined;
    const exact = this.redirects.get(p);
    if (exact) return exact;
    if (p.endsWith('/index.html')) return this.redirects.get(p.slice(0, -'index.html'.length));
    if (p.endsWith('/')) return this.redirects.get(`${p}index.html`);
    return this.redirects.get(`${p}/`);
  }
}
