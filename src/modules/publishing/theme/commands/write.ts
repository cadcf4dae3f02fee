import crypto from 'node:crypto';
import type { DB } from '../../../../db/index.js';
import type { Ctx } from '../../../../lib/ctx.js';
import { type Failure, fail } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { actorId } from '../../../accounts/actor.js';
import { emit } from '../../../jobs/index.js';
import type { ValidationResult } from '../engine.js';
import { latestVersion } from '../overrides.js';

/** The event a template change announces (the publisher re-renders the site's pages). */
export const TEMPLATE_CHANGED = 'template.changed';

export const sha256 = (s: string): string => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

/** Stores `source` as the next version of a site's template and makes it the active one. */
export async function writeVersion(tx: DB, ctx: Pick<Ctx, 'actor' | 'now'>, siteId: number, name: string, source: string): Promise<number> {
  const version = (await latestVersion(tx, siteId, name)) + 1;
  await tx.updateTable('template_overrides').set({ active: 0 }).where('site_id', '=', siteId).where('name', '=', name).where('active', '=', 1).execute();
  await tx
    .insertInto('template_overrides')
    .values({ site_id: siteId, name, version, source, active: 1, created_by: actorId(ctx.actor), created_at: iso(ctx.now) })
    .execute();
  return version;
}

export async function announce(tx: DB, ctx: Pick<Ctx, 'now'>, siteId: number, name: string): Promise<void> {
  await emit(tx, TEMPLATE_CHANGED, { siteId, name }, ctx.now);
}

/** A Liquid error as the API's validation failure: `details.issues[0] = {path, line, column, message}`. */
export function templateInvalid(v: Exclude<ValidationResult, { ok: true }>, path = 'source', what = '模板'): Failure {
  return fail('validation_failed', `${what}第 ${v.line} 行第 ${v.column} 列有误：${v.message}`, {
    issues: [{ path, line: v.line, column: v.column, message: v.message }],
  });
}
