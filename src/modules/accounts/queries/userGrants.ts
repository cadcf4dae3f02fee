import type { DB } from '../../../db/index.js';
import { type GrantDto, grantDto } from '../dto.js';

/** The grants of some users, with site and column names, by user id (users without grants map to []). */
export async function grantsOfUsers(db: DB, userIds: number[]): Promise<Map<number, GrantDto[]>> {
  const byUser = new Map<number, GrantDto[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom('grants')
    .leftJoin('sites', 'sites.id', 'grants.site_id')
    .leftJoin('columns', 'columns.id', 'grants.column_id')
    .select([
      'grants.id',
      'grants.user_id',
      'grants.role',
      'grants.site_id',
      'sites.name as site_name',
      'grants.column_id',
      'columns.name as column_name',
      'grants.review_level',
      'grants.created_at',
    ])
    .where('grants.user_id', 'in', userIds)
    .orderBy('grants.id')
    .execute();
  for (const r of rows) byUser.get(r.user_id)?.push(grantDto(r));
  return byUser;
}
