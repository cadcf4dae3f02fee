/**
 * Drafts kept in this browser (localStorage) while typing, so nothing typed is lost to a closed
 * tab, a crash or a refused save. One entry per user and article ("new" articles per site), or
 * FAQ entry; `useDraftCopy` is the editors' side of it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

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

/** How often an editor copies a changed form to this browser. */
export const AUTOSAVE_MS = 3000;

export interface DraftCopy<V> {
  /** Changes not saved to the server. */
  dirty: boolean;
  /** When the form was last copied to this browser (since the last save). */
  localSavedAt: string | null;
  /** A copy the server does not have, offered back: found on opening, or kept over a reload. */
  offer: LocalDraft<V> | null;
  markDirty(): void;
  /** Saved to the server (or withdrawn, submitted): nothing unsaved, the copy forgotten. */
  markClean(): void;
  /** The server's latest version replaced the form: the user's copy stays, offered back for merging. */
  replacedByLatest(): void;
  /** The offered copy was put back into the form. */
  restored(): void;
  /** The offered copy was thrown away. */
  discard(): void;
  /** Copies the form now, if it changed since the last copy. */
  saveLocal(): void;
}

/**
 * An editor's copy in this browser under `key`: every AUTOSAVE_MS while something changed, when
 * the page is left (the browser asks first if changes are unsaved) and when the editor closes.
 * `snapshot` gives what to keep: the form's values and the version they started from.
 */
export function useDraftCopy<V>(key: string, snapshot: () => Omit<LocalDraft<V>, 'savedAt'>, initiallyDirty = false): DraftCopy<V> {
  const [dirty, setDirty] = useState(initiallyDirty);
  const [localSavedAt, setLocalSavedAt] = useState<string | null>(null);
  const [offer, setOffer] = useState<LocalDraft<V> | null>(() => readDraft<V>(key));
  const dirtyRef = useRef(initiallyDirty);
  const changedRef = useRef(false);
  const snapshotRef = useRef(snapshot);
  snapshotRef.current = snapshot;

  const markDirty = useCallback(() => {
    dirtyRef.current = true;
    changedRef.current = true;
    setDirty(true);
  }, []);

  const saveLocal = useCallback(() => {
    if (!changedRef.current) return;
    changedRef.current = false;
    const savedAt = new Date().toISOString();
    if (writeDraft<V>(key, { savedAt, ...snapshotRef.current() })) setLocalSavedAt(savedAt);
  }, [key]);

  useEffect(() => {
    const t = window.setInterval(saveLocal, AUTOSAVE_MS);
    const onUnload = (e: BeforeUnloadEvent) => {
      saveLocal();
      if (dirtyRef.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.clearInterval(t);
      window.removeEventListener('beforeunload', onUnload);
      saveLocal();
    };
  }, [saveLocal]);

  const markClean = useCallback(() => {
    dirtyRef.current = false;
    changedRef.current = false;
    setDirty(false);
    setLocalSavedAt(null);
    dropDraft(key);
  }, [key]);

  const replacedByLatest = useCallback(() => {
    const mine = readDraft<V>(key);
    dirtyRef.current = false;
    setDirty(false);
    setOffer(mine);
  }, [key]);

  const restored = useCallback(() => {
    setOffer(null);
    markDirty();
  }, [markDirty]);

  const discard = useCallback(() => {
    dropDraft(key);
    setOffer(null);
  }, [key]);

  return { dirty, localSavedAt, offer, markDirty, markClean, replacedByLatest, restored, discard, saveLocal };
}
