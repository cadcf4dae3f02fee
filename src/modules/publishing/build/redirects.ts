/**
 * Old addresses of moved pages (table `redirects`): the publisher writes a small page there
 * (meta refresh + link, see models.ts) and the server answers 301. Kept flat: when a page moves
 * again, redirects pointing at its previous address are re-pointed to the new one, and a
 * redirect whose old address became a live page again is dropped.
 */
import type { DB } from '../../../db/index.js';
import { iso } from '../../../lib/time.js';
import { isSafePath, redirectGroup } from './pages.js';

export interface RedirectRow {
  from: string;
  to: string;
  siteId: number | null;
}

/** Records redirects (idempotent); returns the redirect groups whose pages change. */
export async function recordRedirects(db: DB, rows: readonly RedirectRow[], now: Date): Promise<string[]> {
  const valid = rows.filter((r) => r.from !== r.to && isSafePath(r.from) && isSafePath(r.to));
  if (valid.length === 0) return [];
  const groups = new Set<string>();
  await db.transaction().execute(async (tx) => {
    for (const r of valid) {
      // The new address is live again: no redirect may shadow it.
      const dropped = await tx.deleteFrom('redirects').where('from_path', '=', r.to).returning('from_path').execute();
      for (const d of dropped) groups.add(redirectGroup(d.from_path));
      // Chains stay one hop long.
      const repointed = await tx.updateTable('redirects').set({ to_path: r.to }).where('to_path', '=', r.from).returning('from_path').execute();
      for (const d of repointed) groups.add(redirectGroup(d.from_path));
      await tx
        .insertInto('redirects')
        .values({ from_path: r.from, to_path: r.to, site_id: r.siteId, created_at: iso(now) })
        .onConflict((oc) => oc.column('from_path').doUpdateSet({ to_path: r.to, site_id: r.siteId }))
        .execute();
      groups.add(redirectGroup(r.from));
      groups.add(redirectGroup(r.to));
    }
  });
  return [...groups].sort();
}
