/**
 * Messages from outside React (the query client's global error handler): antd's static
 * `message` cannot read the theme and locale, so the App's instance is handed over here.
 */
import type { App, FormInstance } from 'antd';
import { ApiError } from '../api';

type MessageInstance = ReturnType<typeof App.useApp>['message'];

let instance: MessageInstance | null = null;
export const setMessageInstance = (m: MessageInstance): void => {
  instance = m;
};

export const notify = {
  error: (text: string) => void instance?.error({ content: text, duration: 6 }),
  success: (text: string) => void instance?.success(text),
  info: (text: string) => void instance?.info(text),
};

/** The text to show for any thrown value. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return `出现错误：${err.message}`;
  return '出现未知错误，请稍后再试';
}

/**
 * Puts the API's per-field problems (`details.issues[].path`) on the form's fields. Returns
 * true when at least one matched a field of the form.
 */
export function applyFieldErrors(form: FormInstance, err: unknown, map: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const byField = new Map<string, string[]>();
  for (const issue of err.issues) {
    const top = issue.path.split('.')[0] ?? '';
    const name = map[top] ?? top;
    if (!name || !known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), issue.message]);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return true;
}
