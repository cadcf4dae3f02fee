/**
 * Drafts kept in this browser (localStorage) while typing, so nothing typed is lost to a closed
 * tab, a crash or a refused save. One entry per user and article ("new" articles per site).
 */
export interface LocalDraft<V> {
  savedAt: string;
  /** The server version the draft started from (null for a new article). */
  baseVersion: number | null;
  values: V;
}

const PREFIX = 'jiyue.draft.';

export const draftKey = (userId: number, articleId: number | null, siteId: number | null): string =>
  `${PREFIX}${userId}.${articleId === null ? `new-${siteId ?? 0}` : articleId}`;

export function readDraft<V>(key: string): LocalDraft<V> | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const d = JSON.parse(raw) as LocalDraft<V>;
    return d && typeof d.savedAt === 'string' && d.values ? d : null;
  } catch {
    return null;
  }
}

/** Returns false when the browser refused (storage full or disabled). */
export function writeDraft<V>(key: string, d: LocalDraft<V>): boolean {
  try {
    localStorage.setItem(key, JSON.stringify(d));
    return true;
  } catch {
    return false;
  }
}

export function dropDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* storage unavailable: nothing to drop */
  }
}
