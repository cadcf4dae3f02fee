import type { Tx } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, AppError, fail, ok } from '../../../lib/errors.js';
import { can } from '../../accounts/index.js';
import { enqueue } from '../../jobs/index.js';
import { bumpDictionaryVersion, forgetDictionary } from '../dictionary.js';
import { forgetHot } from '../queries/hot.js';

export const REINDEX_JOB = 'search.reindex';

const isUnique = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
};

/** Queues a full re-index (one at a time): segmentation changed, or an administrator asked. */
export async function queueReindex(tx: Tx, now: Date): Promise<void> {
  await enqueue(tx, REINDEX_JOB, {}, now, { dedupeKey: REINDEX_JOB, maxAttempts: 3 });
}

/**
 * A change of the search dictionary or blocklist by a system administrator: one transaction
 * with its audit entry; a dictionary change also bumps the version every process watches and
 * queues a re-index (words are cut differently now). `conflict` is the message of a duplicate.
 */
export async function searchAdminWrite<T>(ctx: Ctx, opts: { dictionary: boolean; conflict: string }, work: (tx: Tx) => Promise<T>): Promise<Result<T>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  try {
    const value = await ctx.db.transaction().execute(async (tx) => {
      const v = await work(tx);
      if (opts.dictionary) {
        await bumpDictionaryVersion(tx, ctx.now);
        await queueReindex(tx, ctx.now);
      }
      return v;
    });
    if (opts.dictionary) forgetDictionary(ctx.db);
    else forgetHot(ctx.db);
    return ok(value);
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message, err.details);
    if (isUnique(err)) return fail('conflict', opts.conflict);
    throw err;
  }
}
