import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { audit } from '../../accounts/index.js';
import { type MediaDto, mediaDto } from '../dto.js';
import { MEDIA_NOT_FOUND, findMediaRow } from '../queries/getMedia.js';
import { canChangeMedia } from '../rules.js';
import { ALT_REQUIRED, type UpdateMediaInput, fieldFailure } from '../schema.js';

/** Changes a file's alternative text (the file itself never changes under its id). Images keep a non-empty alt. */
export async function updateMedia(ctx: Ctx, id: number, input: UpdateMediaInput): Promise<Result<MediaDto>> {
  const before = await findMediaRow(ctx.db, id);
  if (!before) return fail('not_found', MEDIA_NOT_FOUND);
  const denied = canChangeMedia(ctx.actor, before.site_id);
  if (denied) return denied;
  if (before.kind === 'image' && input.alt === '') return fieldFailure('alt', ALT_REQUIRED);
  if (input.alt === before.alt) return ok(mediaDto(before));
  const after = await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.updateTable('media').set({ alt: input.alt }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await audit.record(tx, ctx, 'media.update', { type: 'media', id, siteId: row.site_id }, { alt: before.alt }, { alt: row.alt });
    return row;
  });
  return ok(mediaDto(after));
}
