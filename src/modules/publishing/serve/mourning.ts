/**
 * The national-mourning switch (哀悼模式), read by `/_mode.css` on every page view: on for a site
 * when the site's `settings.mourning` is true or the cluster-wide setting `publishing.mourning`
 * is. Cached at most two seconds, so a switch made in any process is live within seconds.
 */
import type { Logger } from 'pino';
import type { DB } from '../../../db/index.js';

export const CLUSTER_MOURNING_KEY = 'publishing.mourning';
export const MOURNING_CACHE_MS = 2000;

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
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: DB,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Is grey mode on for this site code (or for the cluster, when no site is given)? */
  async isOn(siteCode: string | undefined): Promise<boolean> {
    if (this.now() - this.loadedAt >= MOURNING_CACHE_MS) await (this.loading ??= this.load().finally(() => (this.loading = null)));
    return this.cluster || (siteCode !== undefined && this.sites.has(siteCode));
  }

  /** Forget the cached switches (after this process changed one). */
  invalidate(): void {
    this.loadedAt = -Infinity;
  }

  private async load(): Promise<void> {
    try {
      const [cluster, sites] = await Promise.all([readClusterMourning(this.db), this.db.selectFrom('sites').select(['code', 'settings']).execute()]);
      this.cluster = cluster;
      this.sites = new Set(sites.filter((s) => siteMourning(s.settings)).map((s) => s.code));
      this.loadedAt = this.now();
    } catch (err) {
      this.log.warn({ err }, 'mourning switch: could not read the settings; keeping the previous state');
      this.loadedAt = this.now() - MOURNING_CACHE_MS + 500;
    }
  }
}
