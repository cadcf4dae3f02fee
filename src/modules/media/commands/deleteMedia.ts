import { type SqlBool, sql } from 'kysely';
import type { DB } from '../../../db/index.js';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, AppError, fail, ok } from '../../../lib/errors.js';
import { audit } from '../../accounts/index.js';
import { mediaUrl } from '../dto.js';
import { MEDIA_NOT_FOUND, findMediaRow } from '../queries/getMedia.js';
import { canChangeMedia } from '../rules.js';
import { removeFiles, storedPaths } from '../storage.js';

/** Articles using the file: as cover, as attachment, or by its URL inside the body (`/media/12"`, `/media/12/thumb`…). */
export async function articlesUsingMedia(db: DB, id: number): Promise<number[]> {
  const url = mediaUrl(id);
  // The URL followed by a character that ends it, so /media/12 does not match /media/123.
  const inBody = ['"', "'", '/', '?', '#', ')', ' ', '<'].map((end) => sql<SqlBool>`${sql.ref('body')} like ${`%${url}${end}%`}`);
  const rows = await db
    .selectFrom('articles')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('cover_media_id', '=', id),
        eb.exists(eb.selectFrom('article_attachments').select('media_id').whereRef('article_attachments.article_id', '=', 'articles.id').where('media_id', '=', id)),
        ...inBody,
      ]),
    )
    .orderBy('id')
    .limit(20)
    .execute();
  return rows.map((r) => r.id);
}

const isForeignKeyViolation = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
};

const inUse = (ids: number[]) =>
  new AppError('conflict', `该文件正被文章使用（封面、附件或正文图片），不能删除。请先在这些文章中移除它：${ids.join('、')}`, { articleIds: ids });

/**
 * Deletes a file nothing uses: refused (409) while an article has it as cover or attachment or
 * shows it in its body. The row goes first (audited, in one transaction), then the files: a crash
 * in between leaves an orphan file, never a row without its file.
 */
export async function deleteMedia(ctx: Ctx, id: number): Promise<Result<{ id: number; deleted: true }>> {
  const row = await findMediaRow(ctx.db, id);
  if (!row) return fail('not_found', MEDIA_NOT_FOUND);
  const denied = canChangeMedia(ctx.actor, row.site_id);
  if (denied) return denied;
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const users = await articlesUsingMedia(tx, id);
      if (users.length > 0) throw inUse(users);
      await tx.deleteFrom('media').where('id', '=', id).execute();
      await audit.record(
        tx,
        ctx,
        'media.delete',
        { type: 'media', id, siteId: row.site_id },
        { originalName: row.original_name, storedName: row.stored_name, size: row.size, kind: row.kind, sha256: row.sha256 },
        null,
      );
    });
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message, err.details);
    // An attachment added concurrently (article_attachments restricts the delete).
    if (isForeignKeyViolation(err)) return fail('conflict', '该文件刚被文章引用，不能删除');
    throw err;
  }
  const paths = storedPaths(ctx.config.dataDir, row.stored_name);
  if (paths) await removeFiles([paths.main, paths.thumb], ctx.log);
  return ok({ id, deleted: true as const });
}
