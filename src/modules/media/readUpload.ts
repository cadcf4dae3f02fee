import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { type Failure, type Result, fail, ok } from '../../lib/errors.js';

/** The form field that carries the file. */
export const FILE_FIELD = 'file';

export interface Upload {
  /** Text fields, in whatever order the browser sent them. */
  fields: Record<string, string>;
  file: { name: string; data: Buffer } | null;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
const tooLarge = (max: number) => fail('payload_too_large', `文件过大，上传上限为 ${mb(max)}。`);

/**
 * Reads a multipart/form-data upload (one file and a few text fields) into memory, stopping as
 * soon as the file passes `maxBytes` — the caller knows the file's kind (and its own, possibly
 * lower limit) only after reading it. `beforeFile` sees the fields sent before the file and may
 * refuse at once (e.g. no permission on the site), before a single byte of the file is read.
 * Limits of @fastify/multipart (file size, files, fields, parts) become 413; anything the parser
 * cannot read becomes 400; a request that is not multipart 415.
 */
export async function readUpload(
  req: FastifyRequest,
  maxBytes: number,
  beforeFile: (fields: Record<string, string>) => Failure | null = () => null,
): Promise<Result<Upload>> {
  if (!req.isMultipart()) return fail('unsupported_media_type', '请以 multipart/form-data 格式上传文件');
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let file: Upload['file'] = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value !== 'string' || part.fieldnameTruncated || part.valueTruncated) {
          return fail('bad_request', `表单字段“${part.fieldname.slice(0, 50)}”格式有误或过长`);
        }
        if (part.fieldname in fields) return fail('bad_request', `表单字段“${part.fieldname.slice(0, 50)}”重复`);
        fields[part.fieldname] = part.value;
        continue;
      }
      if (part.fieldname !== FILE_FIELD) {
        part.file.destroy();
        return fail('bad_request', `文件须以表单字段“${FILE_FIELD}”上传`);
      }
      const denied = beforeFile(fields);
      if (denied) {
        part.file.destroy();
        return denied;
      }
      const data = await readLimited(part.file, maxBytes);
      if (!data) return tooLarge(maxBytes);
      file = { name: part.filename ?? '', data };
    }
  } catch (err) {
    const f = multipartFailure(err, maxBytes);
    req.log.info({ err }, 'upload refused while reading the request');
    return f;
  }
  return ok({ fields: { ...fields }, file });
}

/**
 * The whole stream, or null as soon as it passes `max` bytes or the parser cuts it at its own
 * limit (busboy then emits 'limit' and drops the rest of the part, but the stream would only end
 * at the next boundary, i.e. after the whole oversize body had arrived: stop at once instead).
 */
async function readLimited(stream: Readable & { truncated?: boolean }, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  let limited = false;
  stream.once('limit', () => {
    limited = true;
    stream.destroy();
  });
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (limited || total > max) {
        stream.destroy();
        return null;
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (limited) return null;
    throw err;
  }
  if (limited || stream.truncated) return null;
  return Buffer.concat(chunks, total);
}

/**
 * After refusing an upload part-way: the client may still be sending. Discard (never buffer) what
 * keeps arriving for a little while — so the client, still writing, gets to read our 4xx instead
 * of a connection reset (a "lingering close") — then drop the connection if it goes on.
 */
export function discardRest(req: FastifyRequest, graceBytes = 16 * 1024 * 1024, graceMs = 10_000): void {
  const raw = req.raw;
  if (raw.complete || raw.readableEnded) return;
  raw.unpipe(); // from the multipart parser, which may still be attached
  let seen = 0;
  const drop = () => {
    clearTimeout(timer);
    raw.socket?.destroy();
  };
  const timer = setTimeout(drop, graceMs);
  timer.unref();
  raw.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > graceBytes) drop();
  });
  raw.once('end', () => clearTimeout(timer));
  raw.once('close', () => clearTimeout(timer));
  raw.resume();
}

function multipartFailure(err: unknown, maxBytes: number): Failure {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(maxBytes);
  if (code === 'FST_FILES_LIMIT') return fail('payload_too_large', '一次只能上传一个文件');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return fail('payload_too_large', '表单字段过多');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return fail('unsupported_media_type', '请以 multipart/form-data 格式上传文件');
  return fail('bad_request', '上传内容格式有误，无法解析');
}
