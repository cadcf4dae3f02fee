import * as OpenCC from 'opencc-js';

let t2s: ((s: string) => string) | undefined;
/** Traditional → Simplified, for questions typed on the 繁體 pages (the knowledge base is Simplified). */
export function toSimplified(s: string): string {
  const convert = (t2s ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  // eslint-disable-next-line no-control-regex -- ASCII needs no conversion
  return /[^\u0000-\u007f]/.test(s) ? convert(s) : s;
}
