import type { JiyueApp } from '../../app.js';
import { IdParams } from '../../http/pagination.js';
import { findMalformedText, malformedTextFailure, parseInput } from '../../http/validate.js';
import { fail } from '../../lib/errors.js';
import { deleteMedia } from './commands/deleteMedia.js';
import { updateMedia } from './commands/updateMedia.js';
import { uploadMedia } from './commands/uploadMedia.js';
import { MEDIA_LIMITS } from './files.js';
import { MEDIA_NOT_FOUND, findMediaRow, getMedia } from './queries/getMedia.js';
import { listMedia } from './queries/listMedia.js';
import { FILE_FIELD, discardRest, readUpload } from './readUpload.js';
import { canChangeMedia } from './rules.js';
import { MediaListQuery, UpdateMediaInput, UploadFields, fieldFailure } from './schema.js';
import { sendMedia } from './serve.js';

const tag = 'media';

/**
 * The media library API under /api/v1/media, and the public file URLs /media/:id and
 * /media/:id/thumb (no listing there: only a known id reaches a file). HTTP only.
 */
export function mediaRoutes({ router }: JiyueApp): void {
  // While reading, only the larger (document) limit is known to apply; the command applies the
  // kind's own limit once the content says what the file is.
  const maxBytes = Math.max(MEDIA_LIMITS.imageBytes, MEDIA_LIMITS.documentBytes);

  router.add({
    method: 'POST',
    url: '/api/v1/media',
    summary: '上传文件（multipart/form-data：file 文件、siteId 所属站点、alt 替代文本；图片须填写 alt）',
    tag,
    auth: 'user',
    raw: true,
    status: 201,
    async handler(ctx, _input, req) {
      // Refuse a site the caller may not upload to before reading the file, when the form says it first.
      const beforeFile = (fields: Record<string, string>) => {
        const siteId = UploadFields.shape.siteId.safeParse(fields.siteId);
        return siteId.success && siteId.data !== undefined ? canChangeMedia(ctx.actor, siteId.data) : null;
      };
      const read = await readUpload(req, maxBytes, beforeFile);
      if (!read.ok) {
        discardRest(req); // the rest of the body may still be on its way
        return read;
      }
      const { fields, file } = read.value;
      const malformed = findMalformedText(fields);
      if (malformed) return malformedTextFailure(malformed, ctx.lang);
      const parsed = parseInput(UploadFields, fields, ctx.lang);
      if (!parsed.ok) return parsed;
      if (!file) return fieldFailure(FILE_FIELD, '请选择要上传的文件');
      return uploadMedia(ctx, { siteId: parsed.value.siteId ?? null, alt: parsed.value.alt, fileName: file.name, data: file.data });
    },
  });
  router.add({
    method: 'GET',
    url: '/api/v1/media',
    summary: '媒体库列表（可按站点、类型、文件名筛选；含共享文件）',
    tag,
    auth: 'user',
    query: MediaListQuery,
    handler: (ctx, { query }) => listMedia(ctx, query),
  });
  router.add({ method: 'GET', url: '/api/v1/media/:id', summary: '媒体文件详情', tag, auth: 'user', params: IdParams, handler: (ctx, { params }) => getMedia(ctx, params.id) });
  router.add({
    method: 'PATCH',
    url: '/api/v1/media/:id',
    summary: '修改替代文本（alt）',
    tag,
    auth: 'user',
    params: IdParams,
    body: UpdateMediaInput,
    handler: (ctx, { params, body }) => updateMedia(ctx, params.id, body),
  });
  router.add({
    method: 'DELETE',
    url: '/api/v1/media/:id',
    summary: '删除文件（被文章用作封面、附件或正文图片时不能删除）',
    tag,
    auth: 'user',
    params: IdParams,
    handler: (ctx, { params }) => deleteMedia(ctx, params.id),
  });

  for (const which of ['main', 'thumb'] as const) {
    router.add({
      method: 'GET',
      url: which === 'main' ? '/media/:id' : '/media/:id/thumb',
      summary: which === 'main' ? '公开访问文件（图片内联显示，文档以原文件名下载）' : '公开访问图片缩略图（WebP）',
      tag,
      auth: 'public',
      raw: true,
      params: IdParams,
      async handler(ctx, { params }, req, reply) {
        const row = await findMediaRow(ctx.db, params.id);
        if (!row) return fail('not_found', MEDIA_NOT_FOUND);
        return sendMedia(req, reply, ctx.config.dataDir, row, which);
      },
    });
  }
}
