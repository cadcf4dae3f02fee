/**
 * Domain errors are values (STYLE.md §7): commands return `Result<T>`; routes map a failed
 * result to HTTP in one place (http/errors.ts). Exceptions are for bugs and broken infrastructure,
 * with one exception: `AppError` may be thrown from deep inside a transaction to roll it back.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_failed'
  | 'not_found'
  | 'conflict'
  | 'invalid_transition'
  | 'locked'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'password_change_required'
  | 'mfa_required'
  | 'rate_limited';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  locked: 423,
  payload_too_large: 413,
  unsupported_media_type: 415,
  password_change_required: 403,
  mfa_required: 401,
  rate_limited: 429,
};

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: unknown;
}
export interface Success<T> {
  ok: true;
  value: T;
}
export type Result<T> = Success<T> | Failure;

export const ok = <T>(value: T): Success<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): Failure =>
  details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };

export const httpStatus = (code: ErrorCode): number => STATUS[code];

/** Thrown to abort a transaction with a domain error; the HTTP layer renders it like a Failure. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  static from(f: Failure): AppError {
    return new AppError(f.code, f.message, f.details);
  }
}

/** Unwraps a result, throwing its failure as an AppError (use inside transactions). */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw AppError.from(r);
  return r.value;
}
