import crypto from 'node:crypto';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { iso } from '../../../lib/time.js';
import { audit } from '../../accounts/index.js';
import { type MediaDto, mediaDto } from '../dto.js';
import {
  MEDIA_LIMITS,
  type MediaLimits,
  MediaError,
  detectType,
  generateStoredName,
  processImage,
  safeOriginalName,
  writeFileAtomic,
} from '../files.js';
import { canChangeMedia } from '../rules.js';
import { ALT_REQUIRED, fieldFailure } from '../schema.js';
import { removeFiles, storedPaths } from '../storage.js';

export interface UploadInput {
  /** null: shared media (system administrator only). */
  siteId: number | null;
  /** Already validated (trimmed, ≤ 200 characters); required for images. */
  alt: string;
  /** The name the browser sent; only ever used, sanitised, for display and downloads. */
  fileName: string;
  data: Buffer;
}

interface ToStore {
  main: Buffer;
  thumb: Buffer | null;
  mime: string;
  ext: string;
  width: number | null;
  height: number | null;
}

/**
 * Stores an uploaded file. What it is comes from its bytes (detectType), never its name; images
 * are re-encoded by us (processImage: metadata such as EXIF/GPS dropped, a WebP thumbnail made).
 * The files are written (atomically) BEFORE the row is inserted, so a crash leaves at most an
 * orphan file and never a row without its file; a failed insert removes the files again.
 */
export async function uploadMedia(ctx: Ctx, input: UploadInput, limits: Readonly<MediaLimits> = MEDIA_LIMITS): Promise<Result<MediaDto>> {
  const denied = canChangeMedia(ctx.actor, input.siteId);
  // Only the system administrator uploads shared media; everyone else must name the site.
  if (denied && input.siteId === null && denied.code === 'forbidden') return fieldFailure('siteId', '请选择文件所属的站点');
  if (denied) return denied;
  if (ctx.actor.kind !== 'user') return fail('forbidden', '只有登录用户可以上传文件');
  const createdBy = ctx.actor.id;
  if (input.siteId !== null) {
    const site = await ctx.db.selectFrom('sites').select('id').where('id', '=', input.siteId).executeTakeFirst();
    if (!site) return fail('not_found', '站点不存在');
  }

  const originalName = safeOriginalName(input.fileName.toWellFormed());
  const detected = await detectType(input.data, originalName, limits);
  if (!detected.ok) return fail(detected.code, detected.message);
  const { kind } = detected.value;
  if (kind === 'image' && input.alt === '') return fieldFailure('alt', ALT_REQUIRED);

  let store: ToStore;
  if (kind === 'image') {
    try {
      const p = await processImage(input.data);
      store = { main: p.main, thumb: p.thumb, mime: p.mime, ext: p.ext, width: p.width, height: p.height };
    } catch (err) {
      if (err instanceof MediaError) return fail(err.code, err.message);
      throw err;
    }
  } else {
    store = { main: input.data, thumb: null, mime: detected.value.mime, ext: detected.value.ext, width: null, height: null };
  }

  const storedName = generateStoredName(store.ext, ctx.now);
  const paths = storedPaths(ctx.config.dataDir, storedName);
  if (!paths) throw new Error(`generated stored name has an unexpected shape: ${storedName}`);
  const sha256 = crypto.createHash('sha256').update(store.main).digest('hex');
  const written: string[] = [];
  try {
    await writeFileAtomic(paths.main, store.main);
    written.push(paths.main);
    if (store.thumb) {
      await writeFileAtomic(paths.thumb, store.thumb);
      written.push(paths.thumb);
    }
    const row = await ctx.db.transaction().execute(async (tx) => {
      const r = await tx
        .insertInto('media')
        .values({
          site_id: input.siteId,
          kind,
          original_name: originalName,
          stored_name: storedName,
          mime: store.mime,
          ext: store.ext,
          size: store.main.length,
          sha256,
          width: store.width,
          height: store.height,
          alt: input.alt,
          created_by: createdBy,
          created_at: iso(ctx.now),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit.record(tx, ctx, 'media.upload', { type: 'media', id: r.id, siteId: r.site_id }, null, {
        originalName,
        size: r.size,
        kind,
        sha256,
      });
      return r;
    });
    return ok(mediaDto(row));
  } catch (err) {
    await removeFiles(written, ctx.log);
    throw err;
  }
}
