import { z } from 'zod';
import { type Failure, fail } from '../lib/errors.js';
import type { Lang } from '../lib/ctx.js';

const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

export interface FieldIssue {
  path: string;
  message: string;
}

/** Parses input with zod; failure is a 400 with one message per field, in the caller's language. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  lang: Lang = 'zh-CN',
): { ok: true; value: z.output<S> } | Failure {
  const r = schema.safeParse(input, { error: lang === 'en' ? en : zh });
  if (r.success) return { ok: true, value: r.data };
  const issues: FieldIssue[] = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  const summary = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : '';
  return fail(
    'validation_failed',
    lang === 'en' ? `Invalid input. ${summary}` : `输入有误。${summary}`,
    { issues },
  );
}

/**
 * Finds text no database should store: a NUL character (PostgreSQL refuses it in text) or a lone
 * UTF-16 surrogate (malformed Unicode that would be silently replaced on the way to UTF-8).
 * Returns the path of the first offending string.
 */
export function findMalformedText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return !value.isWellFormed() || value.includes('\u0000') ? path || '(body)' : null;
  if (depth > 20 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (!k.isWellFormed() || k.includes('\u0000')) return path ? `${path}.${k}` : k;
    const found = findMalformedText(v, path ? `${path}.${k}` : k, depth + 1);
    if (found) return found;
  }
  return null;
}

export function malformedTextFailure(where: string, lang: Lang): Failure {
  const message = lang === 'en' ? `Invalid input. ${where}: contains malformed Unicode or a NUL character` : `输入有误。${where}：包含无效的 Unicode 字符或空字符`;
  return fail('validation_failed', message, { issues: [{ path: where, message }] });
}
