/** 热搜屏蔽词: words that keep a query off the hot-search list (system administrators). */
import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit, can } from '../../accounts/index.js';
import type { BlockInput } from '../schema.js';
import { queueReindex, searchAdminWrite } from './write.js';

export interface BlockedWordView {
  id: number;
  word: string;
  createdAt: string;
}

const view = (r: { id: number; word: string; created_at: string }): BlockedWordView => ({ id: r.id, word: r.word, createdAt: r.created_at });
const target = (id: number) => ({ type: 'search_blocked_word', id });

export function blockWord(ctx: Ctx, input: BlockInput): Promise<Result<BlockedWordView>> {
  const word = input.word.normalize('NFKC').toLowerCase();
  return searchAdminWrite(ctx, { dictionary: false, conflict: `“${word}”已在屏蔽词中` }, async (tx) => {
    const row = await tx.insertInto('search_blocked_words').values({ word, created_at: iso(ctx.now) }).returningAll().executeTakeFirstOrThrow();
    await audit.record(tx, ctx, 'search.blocklist.add', target(row.id), null, view(row));
    return view(row);
  });
}

export function unblockWord(ctx: Ctx, id: number): Promise<Result<{ deleted: true }>> {
  return searchAdminWrite(ctx, { dictionary: false, conflict: '屏蔽词刚被他人修改' }, async (tx) => {
    const before = await tx.selectFrom('search_blocked_words').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('not_found', '屏蔽词不存在');
    await tx.deleteFrom('search_blocked_words').where('id', '=', id).execute();
    await audit.record(tx, ctx, 'search.blocklist.remove', target(id), view(before), null);
    return { deleted: true as const };
  });
}

/** Queues a full re-index (e.g. after restoring a backup made elsewhere). */
export async function requestReindex(ctx: Ctx): Promise<Result<{ queued: true }>> {
  const denied = can(ctx.actor, 'system.manage', 'global');
  if (denied) return denied;
  await ctx.db.transaction().execute(async (tx) => {
    await queueReindex(tx, ctx.now);
    await audit.record(tx, ctx, 'search.reindex', { type: 'search_index' }, null, { queued: true });
  });
  return ok({ queued: true as const });
}
