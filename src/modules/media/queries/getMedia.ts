import type { DB } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { type MediaDto, type MediaRow, mediaDto } from '../dto.js';
import { canSeeMedia } from '../rules.js';

export const MEDIA_NOT_FOUND = '文件不存在';

export async function findMediaRow(db: DB, id: number): Promise<MediaRow | undefined> {
  return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One file of the library: 404 when unknown, 403 when it belongs to a site the caller cannot read. */
export async function getMedia(ctx: Ctx, id: number): Promise<Result<MediaDto>> {
  const row = await findMediaRow(ctx.db, id);
  if (!row) return fail('not_found', MEDIA_NOT_FOUND);
  const denied = canSeeMedia(ctx.actor, row.site_id);
  if (denied) return denied;
  return ok(mediaDto(row));
}

/**
 * The media rows with these ids (unknown ids are simply missing), for the content module to check
 * that covers and attachments exist and belong to the article's site or to no site
 * (`isUsableBySite`). Duplicate ids are fine.
 */
export async function getMediaForSite(db: DB, ids: number[]): Promise<MediaRow[]> {
  const unique = [...new Set(ids)].filter((id) => Number.isInteger(id) && id > 0 && id <= 2_147_483_647);
  if (unique.length === 0) return [];
  return db.selectFrom('media').selectAll().where('id', 'in', unique).orderBy('id').execute();
}
