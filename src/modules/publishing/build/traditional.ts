/**
 * Simplified → Traditional Chinese (Taiwan standard) for the 繁體 variant of every Simplified site,
 * with OpenCC's dictionaries (opencc-js, the same data as OpenCC's s2tw).
 *
 * Speed: opencc-js walks several tries per character (~5 ms for a 16 KB page of Chinese), and a
 * site's pages repeat most of their text (header, navigation, footer, list titles). So the HTML
 * is cut into runs of non-ASCII characters, each run is converted once and remembered. No
 * dictionary key of s2tw contains ASCII except a dozen loanword phrases ("SQL注入", "PN结"), whose
 * characters are then converted one by one with the same result, so cutting at ASCII changes
 * nothing a reader would see — and the result depends only on the input, never on the cache.
 */
import * as OpenCC from 'opencc-js';

type Convert = (s: string) => string;

let converter: Convert | undefined;
const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;
/** Runs longer than this (article bodies) are converted without being remembered. */
const MEMO_MAX_RUN = 400;

function opencc(): Convert {
  if (converter) return converter;
  const c: Convert = OpenCC.Converter({ from: 'cn', to: 'tw' });
  converter = c;
  return c;
}

function convertRun(run: string): string {
  if (run.length > MEMO_MAX_RUN) return opencc()(run);
  let out = memo.get(run);
  if (out === undefined) {
    out = opencc()(run);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(run, out);
  }
  return out;
}

// eslint-disable-next-line no-control-regex -- ASCII is what is left alone
const NON_ASCII_RUN = /[^\u0000-\u007f]+/g;

/** Converts Simplified Chinese text (or a whole HTML page) to Traditional; ASCII is untouched. */
export function toTraditional(text: string): string {
  return text.replace(NON_ASCII_RUN, convertRun);
}
