import type { FastifyError, FastifyReply } from 'fastify';
import type { Lang } from '../lib/ctx.js';
import { type ErrorCode, type Failure, httpStatus } from '../lib/errors.js';

/** English messages by code, for callers asking `Accept-Language: en`; Chinese is the default. */
const EN: Record<ErrorCode, string> = {
  bad_request: 'Bad request.',
  validation_failed: 'Invalid input.',
  unauthenticated: 'Please log in.',
  forbidden: 'You are not allowed to do this.',
  csrf_failed: 'Missing or wrong CSRF token.',
  not_found: 'Not found.',
  conflict: 'Conflict with the current state.',
  invalid_transition: 'This action is not allowed in the current state.',
  locked: 'Account locked after repeated failed logins.',
  payload_too_large: 'Request body too large.',
  unsupported_media_type: 'Unsupported media type.',
  password_change_required: 'You must change your password first.',
  mfa_required: 'Second factor required.',
  rate_limited: 'Too many requests.',
};

export function sendFailure(reply: FastifyReply, f: Failure, lang: Lang): FastifyReply {
  // Validation messages are already localised; other domain messages are Chinese, so English
  // callers get the generic message by code (the Chinese one stays in details for support).
  const message = lang === 'en' && f.code !== 'validation_failed' ? EN[f.code] : f.message;
  const details = lang === 'en' && f.code !== 'validation_failed' ? { ...(asObject(f.details) ?? {}), zh: f.message } : f.details;
  return reply
    .code(httpStatus(f.code))
    .type('application/json; charset=utf-8')
    .send({ error: { code: f.code, message, ...(details === undefined ? {} : { details }) } });
}

const asObject = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Errors Fastify raises before our handler runs (bad JSON, body too large, wrong content type). */
export function frameworkFailure(err: FastifyError): Failure | null {
  const code = err.code ?? '';
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
    return { ok: false, code: 'payload_too_large', message: '请求内容过大' };
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415)
    return { ok: false, code: 'unsupported_media_type', message: '不支持的请求内容类型' };
  if (code.startsWith('FST_ERR_CTP') || code === 'FST_ERR_VALIDATION' || err instanceof SyntaxError)
    return { ok: false, code: 'bad_request', message: '请求格式有误（JSON 无法解析）' };
  if (code.startsWith('FST_REQ_FILE_TOO_LARGE') || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
    return { ok: false, code: 'payload_too_large', message: '上传文件过大或过多' };
  if (code.startsWith('FST_INVALID_MULTIPART') || code === 'FST_NO_FORM_DATA')
    return { ok: false, code: 'bad_request', message: '上传内容格式有误' };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return { ok: false, code: 'bad_request', message: `请求有误：${err.message}` };
  return null;
}
