/**
 * The live switches read by `/_mode.css` on every page view, so that they never wait for pages
 * to be re-rendered:
 * - the national-mourning switch (哀悼模式): on for a site when the site's `settings.mourning`
 *   is true or the cluster-wide setting `publishing.mourning` is;
 * - the emergency banner (紧急通告): the site's `settings.banner` and the cluster-wide setting
 *   `publishing.banner`, both shown when both are set.
 * Cached at most two seconds, so a switch made in any process is live within seconds.
 */
import type { Logger } from 'pino';
import type { DB } from '../../../db/index.js';

export const CLUSTER_MOURNING_KEY = 'publishing.mourning';
export const CLUSTER_BANNER_KEY = 'publishing.banner';
export const MOURNING_CACHE_MS = 2000;

export type BannerLevel = 'info' | 'warning' | 'emergency';
export interface Banner {
  text: string;
  level: BannerLevel;
}

/** A banner stored as JSON ({text, level}), or null when absent or unreadable. */
export function bannerOf(v: unknown): Banner | null {
  if (!v || typeof v !== 'object') return null;
  const b = v as { text?: unknown; level?: unknown };
  if (typeof b.text !== 'string' || b.text.trim() === '') return null;
  const level: BannerLevel = b.level === 'warning' || b.level === 'emergency' ? b.level : 'info';
  return { text: b.text, level };
}

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
};

/** `settings.banner` of a site's settings JSON. */
export const siteBanner = (settingsJson: string): Banner | null => bannerOf((parse(settingsJson) as { banner?: unknown } | null)?.banner);

export async function readClusterBanner(db: DB): Promise<Banner | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CLUSTER_BANNER_KEY).executeTakeFirst();
  return row ? bannerOf(parse(row.value)) : null;
}

export interface LiveView {
  mourning: boolean;
  /** The cluster's banner first, then the site's. */
  banners: Banner[];
}

/** `settings.mourning` of a site's settings JSON (anything unreadable counts as off). */
export function siteMourning(settingsJson: string): boolean {
  try {
    const s: unknown = JSON.parse(settingsJson);
    return typeof s === 'object' && s !== null && (s as { mourning?: unknown }).mourning === true;
  } catch {
    return false;
  }
}

export async function readClusterMourning(db: DB): Promise<boolean> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CLUSTER_MOURNING_KEY).executeTakeFirst();
  if (!row) return false;
  try {
    return JSON.parse(row.value) === true;
  } catch {
    return false;
  }
}

export class MourningState {
  private cluster = false;
  private sites = new Set<string>();
  private clusterBanner: Banner | null = null;
  private siteBanners = new Map<string, Banner>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: DB,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Is grey mode on for this site code (or for the cluster, when no site is given)? */
  async isOn(siteCode: string | undefined): Promise<boolean> {
    return (await this.view(siteCode)).mourning;
  }

  /** Mourning and banners for this site code (or the cluster alone, when no site is given). */
  async view(siteCode: string | undefined): Promise<LiveView> {
    if (this.now() - this.loadedAt >= MOURNING_CACHE_MS) await (this.loading ??= this.load().finally(() => (this.loading = null)));
    const banners: Banner[] = [];
    if (this.clusterBanner) banners.push(this.clusterBanner);
    const own = siteCode === undefined ? undefined : this.siteBanners.get(siteCode);
    if (own) banners.push(own);
    return { mourning: this.cluster || (siteCode !== undefined && this.sites.has(siteCode)), banners };
  }

  /** Forget the cached switches (after this process changed one). */
  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private async load(): Promise<void> {
    try {
      const [cluster, clusterBanner, sites] = await Promise.all([readClusterMourning(this.db), readClusterBanner(this.db), this.db.selectFrom('sites').select(['code', 'settings']).execute()]);
      this.cluster = cluster;
      this.clusterBanner = clusterBanner;
      this.sites = new Set(sites.filter((s) => siteMourning(s.settings)).map((s) => s.code));
      this.siteBanners = new Map(sites.flatMap((s) => {
        const b = siteBanner(s.settings);
        return b ? [[s.code, b] as const] : [];
      }));
      this.loadedAt = this.now();
    } catch (err) {
      this.log.warn({ err }, 'live switches (mourning, banners): could not read the settings; keeping the previous state');
      this.loadedAt = this.now() - MOURNING_CACHE_MS + 500;
    }
  }
}
