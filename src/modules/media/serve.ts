import { open } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Failure, fail } from '../../lib/errors.js';
import type { MediaRow } from './dto.js';
import { downloadHeaders } from './files.js';
import { storedPaths } from './storage.js';

/** Content never changes under an id (a new upload gets a new id), so images may be cached for good. */
export const IMAGE_CACHE = 'public, max-age=31536000, immutable';

/** Does `If-None-Match` name this entity tag (weak comparison, RFC 9110 §13.1.2)? */
export function etagMatches(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const list = (Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch).split(',').map((t) => t.trim());
  const bare = etag.replace(/^W\//, '');
  return list.some((t) => t === '*' || t.replace(/^W\//, '') === bare);
}

/**
 * Sends a stored file or its thumbnail. The path comes from the row's generated stored name,
 * never from the request, so nothing outside media/ can be reached. Headers from downloadHeaders:
 * `nosniff`, a sandboxing CSP, documents as attachments under their original (Chinese) name,
 * images inline. ETag is the SHA-256 of the stored bytes; `If-None-Match` gives 304.
 */
export async function sendMedia(req: FastifyRequest, reply: FastifyReply, dataDir: string, row: MediaRow, which: 'main' | 'thumb'): Promise<Failure | undefined> {
  if (which === 'thumb' && row.kind !== 'image') return fail('not_found', '该文件没有缩略图');
  const paths = storedPaths(dataDir, row.stored_name);
  if (!paths) {
    req.log.error({ mediaId: row.id }, 'media row has an invalid stored name');
    return fail('not_found', '文件不存在');
  }
  const headers =
    which === 'main'
      ? downloadHeaders({ mime: row.mime, original_name: row.original_name, kind: row.kind, ext: row.ext })
      : downloadHeaders({ mime: 'image/webp', original_name: row.original_name, kind: 'image', ext: 'webp' });
  const etag = which === 'main' ? `"${row.sha256}"` : `"${row.sha256}-thumb"`;
  const cache = row.kind === 'image' ? IMAGE_CACHE : (headers['Cache-Control'] ?? 'private, max-age=0');
  // Public files of a public website: pages of other hosts in the cluster may embed them.
  const common = { ETag: etag, 'Cache-Control': cache, 'Cross-Origin-Resource-Policy': 'cross-origin' };
  if (etagMatches(req.headers['if-none-match'], etag)) {
    reply.code(304).headers({ ...common, 'X-Content-Type-Options': 'nosniff' }).send();
    return undefined;
  }
  let fh;
  try {
    fh = await open(which === 'main' ? paths.main : paths.thumb, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      req.log.warn({ mediaId: row.id, which }, 'media file missing on disk');
      return fail('not_found', '文件不存在');
    }
    throw err;
  }
  try {
    const { size } = await fh.stat();
    reply
      .code(200)
      .headers({ ...headers, ...common, 'Content-Length': String(size) })
      .send(fh.createReadStream());
  } catch (err) {
    await fh.close();
    throw err;
  }
  return undefined;
}
