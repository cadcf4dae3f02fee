/** Reading text of the sanitised article HTML (the content module's allow-list), fast: no parser needed for trusted markup. */
const BLOCK_END = /<\/(p|div|li|tr|h[1-6]|table|caption|blockquote|pre|ul|ol)>|<br\s*\/?>/gi;
const CELL_END = /<\/(td|th)>/gi;
const ENTITY = /&(#x[0-9a-f]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos|nbsp|#39);/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decode(m: string, e: string): string {
  const k = e.toLowerCase();
  if (k in NAMED) return NAMED[k]!;
  const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
}

export function htmlText(html: string): string {
  return html
    .replace(CELL_END, ' ')
    .replace(BLOCK_END, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(ENTITY, decode)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0\u3000]+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

/** HTML-escapes text (for snippets and titles with <em> marks). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}
