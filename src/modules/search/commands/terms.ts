/** 检索词典: government terms added to segmentation (system administrators). */
import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit } from '../../accounts/index.js';
import type { CreateTermInput, UpdateTermInput } from '../schema.js';
import { normalise } from '../segment.js';
import { searchAdminWrite } from './write.js';

export interface TermView {
  id: number;
  word: string;
  kind: string;
  createdAt: string;
  updatedAt: string;
}

export const termView = (r: { id: number; word: string; kind: string; created_at: string; updated_at: string }): TermView => ({ id: r.id, word: r.word, kind: r.kind, createdAt: r.created_at, updatedAt: r.updated_at });
const target = (id: number) => ({ type: 'search_term', id });

export function createTerm(ctx: Ctx, input: CreateTermInput): Promise<Result<TermView>> {
  const word = normalise(input.word);
  return searchAdminWrite(ctx, { dictionary: true, conflict: `词语“${word}”已在词典中` }, async (tx) => {
    const row = await tx.insertInto('search_terms').values({ word, kind: input.kind, created_at: iso(ctx.now), updated_at: iso(ctx.now) }).returningAll().executeTakeFirstOrThrow();
    const view = termView(row);
    await audit.record(tx, ctx, 'search.term.create', target(row.id), null, view);
    return view;
  });
}

export function updateTerm(ctx: Ctx, id: number, input: UpdateTermInput): Promise<Result<TermView>> {
  return searchAdminWrite(ctx, { dictionary: true, conflict: '该词语已在词典中' }, async (tx) => {
    const before = await tx.selectFrom('search_terms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('not_found', '词语不存在');
    const row = await tx
      .updateTable('search_terms')
      .set({ ...(input.word !== undefined ? { word: normalise(input.word) } : {}), ...(input.kind !== undefined ? { kind: input.kind } : {}), updated_at: iso(ctx.now) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const view = termView(row);
    await audit.record(tx, ctx, 'search.term.update', target(id), termView(before), view);
    return view;
  });
}

export function deleteTerm(ctx: Ctx, id: number): Promise<Result<{ deleted: true }>> {
  return searchAdminWrite(ctx, { dictionary: true, conflict: '词语刚被他人修改' }, async (tx) => {
    const before = await tx.selectFrom('search_terms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('not_found', '词语不存在');
    await tx.deleteFrom('search_terms').where('id', '=', id).execute();
    await audit.record(tx, ctx, 'search.term.delete', target(id), termView(before), null);
    return { deleted: true as const };
  });
}
