import type { DB } from '../../../../db/index.js';
import type { FieldIssue } from '../../schema.js';

/** The answering department must exist. */
export async function organisationIssues(db: DB, organisationId: number | null | undefined): Promise<FieldIssue[]> {
  if (organisationId === null || organisationId === undefined) return [];
  const o = await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
  return o ? [] : [{ path: 'organisationId', message: '答复单位不存在' }];
}
