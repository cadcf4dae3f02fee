import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * Where media files live: `<dataDir>/media/<stored_name>`, outside the static output that nginx
 * serves. Stored names come only from generateStoredName (`YYYY/MM/<32 hex>.<ext>`); the image
 * thumbnail sits beside the file as `<YYYY/MM/<32 hex>>.thumb.webp`.
 */
export const MEDIA_SUBDIR = 'media';
const STORED_NAME = /^\d{4}\/\d{2}\/[0-9a-f]{32}\.[a-z0-9]{1,10}$/;

export interface StoredPaths {
  main: string;
  thumb: string;
}

/**
 * The absolute paths of a stored file and its thumbnail. Refuses (null) any name that is not the
 * shape generateStoredName produces, so even a tampered row cannot point outside media/.
 */
export function storedPaths(dataDir: string, storedName: string): StoredPaths | null {
  if (!STORED_NAME.test(storedName)) return null;
  const root = path.join(dataDir, MEDIA_SUBDIR);
  const main = path.join(root, ...storedName.split('/'));
  const thumb = main.slice(0, main.lastIndexOf('.')) + '.thumb.webp';
  return { main, thumb };
}

/** Removes files, ignoring ones already gone; other failures are logged, never thrown (the row is what counts). */
export async function removeFiles(files: string[], log: Pick<Logger, 'warn'>): Promise<void> {
  for (const f of files) {
    try {
      await unlink(f);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err, file: f }, 'could not remove media file');
    }
  }
}
