/** 同义词: groups of interchangeable words, expanded at query time (system administrators). */
import type { Tx } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { AppError, type Result } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit } from '../../accounts/index.js';
import { parseWords } from '../dictionary.js';
import type { SynonymInput } from '../schema.js';
import { normalise } from '../segment.js';
import { searchAdminWrite } from './write.js';

export interface SynonymView {
  id: number;
  words: string[];
  createdAt: string;
  updatedAt: string;
}

export const synonymView = (r: { id: number; words: string; created_at: string; updated_at: string }): SynonymView => ({ id: r.id, words: parseWords(r.words), createdAt: r.created_at, updatedAt: r.updated_at });
const target = (id: number) => ({ type: 'search_synonym', id });

/** The same set of words may not be a second group (a group that only repeats one is useless). */
async function refuseDuplicate(tx: Tx, words: string[], except: number | null): Promise<void> {
  const key = [...words].sort().join(' ');
  const all = await tx.selectFrom('search_synonyms').select(['id', 'words']).execute();
  const clash = all.find((g) => g.id !== except && [...parseWords(g.words)].sort().join(' ') === key);
  if (clash) throw new AppError('conflict', `这组同义词已存在（编号 ${clash.id}）`, { id: clash.id });
}

export function createSynonym(ctx: Ctx, input: SynonymInput): Promise<Result<SynonymView>> {
  const words = input.words.map(normalise);
  return searchAdminWrite(ctx, { dictionary: true, conflict: '这组同义词已存在' }, async (tx) => {
    await refuseDuplicate(tx, words, null);
    const row = await tx.insertInto('search_synonyms').values({ words: JSON.stringify(words), created_at: iso(ctx.now), updated_at: iso(ctx.now) }).returningAll().executeTakeFirstOrThrow();
    const view = synonymView(row);
    await audit.record(tx, ctx, 'search.synonym.create', target(row.id), null, view);
    return view;
  });
}

export function updateSynonym(ctx: Ctx, id: number, input: SynonymInput): Promise<Result<SynonymView>> {
  const words = input.words.map(normalise);
  return searchAdminWrite(ctx, { dictionary: true, conflict: '这组同义词已存在' }, async (tx) => {
    const before = await tx.selectFrom('search_synonyms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('not_found', '同义词组不存在');
    await refuseDuplicate(tx, words, id);
    const row = await tx.updateTable('search_synonyms').set({ words: JSON.stringify(words), updated_at: iso(ctx.now) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    const view = synonymView(row);
    await audit.record(tx, ctx, 'search.synonym.update', target(id), synonymView(before), view);
    return view;
  });
}

export function deleteSynonym(ctx: Ctx, id: number): Promise<Result<{ deleted: true }>> {
  return searchAdminWrite(ctx, { dictionary: true, conflict: '同义词组刚被他人修改' }, async (tx) => {
    const before = await tx.selectFrom('search_synonyms').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('not_found', '同义词组不存在');
    await tx.deleteFrom('search_synonyms').where('id', '=', id).execute();
    await audit.record(tx, ctx, 'search.synonym.delete', target(id), synonymView(before), null);
    return { deleted: true as const };
  });
}
