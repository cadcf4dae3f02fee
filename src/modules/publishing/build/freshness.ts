/**
 * Is the static output built from what is deployed now? The database says what is published;
 * the files follow. Two things can leave the files behind without any event: a first start (no
 * output at all) and a deployment that changed the theme files on disk or the renderer. The
 * signature of those — a hash of every theme file and the platform version — is kept in
 * `settings` after each full build; a start that finds it different asks for a rebuild.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DB } from '../../../db/index.js';
import { iso } from '../../../lib/time.js';

export const BUILD_SIGNATURE_KEY = 'publishing.build_signature';

/** sha256 over the relative path and bytes of every file under the themes folder, and `version`. */
export function buildSignature(themesDir: string, version: string): string {
  const h = crypto.createHash('sha256').update(`jiyue ${version}\n`);
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (e.isFile()) h.update(`${r}\0`).update(fs.readFileSync(path.join(dir, e.name))).update('\0');
    }
  };
  walk(themesDir, '');
  return h.digest('hex');
}

export async function recordedSignature(db: DB): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', BUILD_SIGNATURE_KEY).executeTakeFirst();
  if (!row) return null;
  try {
    const v: unknown = JSON.parse(row.value);
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

export async function recordSignature(db: DB, signature: string, now: Date): Promise<void> {
  const value = JSON.stringify(signature);
  await db
    .insertInto('settings')
    .values({ key: BUILD_SIGNATURE_KEY, value, updated_at: iso(now) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: iso(now) }))
    .execute();
}

/** Does the output exist at all (any row in the manifest)? */
export async function hasOutput(db: DB): Promise<boolean> {
  return !!(await db.selectFrom('published_files').select('path').limit(1).executeTakeFirst());
}
