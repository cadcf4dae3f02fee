/**
 * The one way the console talks to the platform: `fetch` with the session cookie, the CSRF
 * token on every write, and the API's error shape `{error:{code,message,details}}` turned into
 * an `ApiError` whose message (already Chinese) is what the user is shown.
 */

export interface FieldIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Per-field problems of a validation failure (`details.issues[]`), if any. */
  get issues(): FieldIssue[] {
    const d = this.details as { issues?: unknown } | undefined;
    if (!d || !Array.isArray(d.issues)) return [];
    return d.issues.filter((i): i is FieldIssue => !!i && typeof i === 'object' && typeof (i as FieldIssue).message === 'string').map((i) => ({ path: String(i.path ?? ''), message: i.message }));
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

type Listener = (err: ApiError) => void;
const unauthenticatedListeners = new Set<Listener>();
/** Called when the session is gone (401 outside the login calls): the app goes back to login. */
export function onUnauthenticated(fn: Listener): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** `?a=1&b=x`, leaving out empty values. */
export function queryString(q: Query | undefined): string {
  if (!q) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** multipart/form-data (uploads); the browser sets the boundary. */
  form?: FormData;
  signal?: AbortSignal;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (WRITE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    return await fetch(`/api/v1${path}${queryString(opts.query)}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', '无法连接到服务器，请检查网络后重试');
  }
}

async function toError(res: Response): Promise<ApiError> {
  let payload: unknown;
  try {
    payload = await res.json();
  } catch {
    payload = undefined;
  }
  const e = (payload as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return new ApiError(res.status, e.code, e.message, e.details);
  if (res.status === 413) return new ApiError(413, 'payload_too_large', '上传的文件过大');
  if (res.status >= 500) return new ApiError(res.status, 'internal', '服务器暂时无法处理请求，请稍后再试');
  return new ApiError(res.status, `http_${res.status}`, `请求失败（HTTP ${res.status}）`);
}

const isAuthCall = (path: string) => path.startsWith('/auth/');

/** Refreshes the CSRF token from the session (a stale tab after another login). */
async function refreshCsrf(): Promise<boolean> {
  const res = await send('GET', '/auth/me', {});
  if (!res.ok) return false;
  const me = (await res.json()) as { csrfToken?: string | null } | null;
  if (!me?.csrfToken) return false;
  setCsrfToken(me.csrfToken);
  return true;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, opts);
  if (!res.ok) {
    let err = await toError(res);
    // Retry a write once with a fresh token (the form body is not reusable for uploads).
    if (err.code === 'csrf_failed' && !opts.form && (await refreshCsrf())) {
      res = await send(method, path, opts);
      if (res.ok) return parse<T>(res);
      err = await toError(res);
    }
    if (res.status === 401 && err.code === 'unauthenticated' && !isAuthCall(path)) for (const fn of unauthenticatedListeners) fn(err);
    throw err;
  }
  return parse<T>(res);
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The file name a download response announces (RFC 6266 `filename*` first). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/**
 * Downloads a file the API answers with (exports): saved under the name the server gives; an
 * error answer becomes an ApiError like any other call's, instead of a page of JSON.
 */
async function download(path: string, query: Query | undefined, fallbackName: string): Promise<{ filename: string; size: number }> {
  const res = await fetch(`/api/v1${path}${queryString(query)}`, { credentials: 'same-origin' }).catch(() => {
    throw new ApiError(0, 'network', '无法连接到服务器，请检查网络后重试');
  });
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && err.code === 'unauthenticated') for (const fn of unauthenticatedListeners) fn(err);
    throw err;
  }
  const blob = await res.blob();
  const filename = filenameOf(res.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { filename, size: blob.size };
}

/** A page the API renders as HTML (previews): its text, or an ApiError. */
async function html(path: string, query?: Query): Promise<string> {
  const res = await fetch(`/api/v1${path}${queryString(query)}`, { credentials: 'same-origin', headers: { Accept: 'text/html' } }).catch(() => {
    throw new ApiError(0, 'network', '无法连接到服务器，请检查网络后重试');
  });
  if (!res.ok) throw await toError(res);
  return res.text();
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
  download,
  html,
};
