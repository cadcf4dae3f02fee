/**
 * Chinese segmentation in the application (docs/adr/004-search-in-the-database.md): jieba with
 * its dictionary plus the platform's government terms, loaded once per process per dictionary.
 *
 * Both engines index exactly the tokens made here, separated by spaces, so SQLite and
 * PostgreSQL see the same words and no database tokenizer has to understand Chinese. A token is
 * a run of letters and digits (\p{L}\p{N}), NFKC-normalised (full-width Ａ１ → a1) and lower-cased;
 * punctuation, symbols and emoji are never tokens, so no token can carry query syntax of either
 * engine (quotes, *, ^, :, parentheses, backslashes).
 *
 * Indexing cuts in search mode (`cutForSearch`: the word and its dictionary sub-words), and adds
 * for every long word the sub-words the *base* dictionary gives it: a government term such as
 * 人力资源和社会保障局 added by an administrator stays findable by 人力资源 or 社会保障.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import * as OpenCC from 'opencc-js';

/** Longest token kept (longer runs are noise: hashes, base64, hostile input). */
export const MAX_TOKEN_LENGTH = 32;

/** Words that carry no meaning in a citizen's query ("社保卡怎么办理" → 社保卡 办理). */
export const QUERY_STOP_WORDS: ReadonlySet<string> = new Set(
  '的 了 和 与 及 或 在 是 有 为 对 等 把 被 从 到 向 于 就 都 也 还 吗 呢 吧 啊 呀 么 请问 请 问 怎么 怎样 怎么样 如何 哪里 哪儿 哪个 哪些 什么 为什么 是否 可以 能否 能不能 我 我们 你 您 他 她 它 这 那 这个 那个 一下 需要 要 想'.split(' '),
);

const TOKEN_RUN = /[\p{L}\p{N}]+/gu;

let baseJieba: Jieba | undefined;
/** The jieba dictionary alone (the base for sub-words), loaded once per process. */
function base(): Jieba {
  baseJieba ??= Jieba.withDict(dict);
  return baseJieba;
}

/** One jieba per distinct set of custom words (tests run many apps with the same defaults in one process). */
const withWords = new Map<string, Jieba>();
const MAX_INSTANCES = 3;

function jiebaFor(words: readonly string[]): Jieba {
  if (words.length === 0) return base();
  const key = words.join('\n');
  let j = withWords.get(key);
  if (!j) {
    j = Jieba.withDict(dict);
    // A high frequency so the term wins over the pieces jieba would otherwise prefer.
    j.loadDict(Buffer.from(words.map((w) => `${w} 3000 n`).join('\n') + '\n', 'utf8'));
    if (withWords.size >= MAX_INSTANCES) withWords.delete(withWords.keys().next().value!);
    withWords.set(key, j);
  }
  return j;
}

let t2s: ((s: string) => string) | undefined;
/** Traditional → Simplified, for queries typed on the 繁體 pages (the index is Simplified). */
export function toSimplified(s: string): string {
  const convert = (t2s ??= OpenCC.Converter({ from: 'tw', to: 'cn' }));
  // eslint-disable-next-line no-control-regex -- ASCII needs no conversion
  return /[^\u0000-\u007f]/.test(s) ? convert(s) : s;
}

/** NFKC and lower case: what both index and query see. */
export const normalise = (s: string): string => s.normalize('NFKC').toLowerCase();

const WHOLE_TOKEN = /^[\p{L}\p{N}]+$/u;

/** The tokens of one piece jieba gave: its letter/digit runs, within the length limit. */
function pushTokens(out: string[], piece: string): void {
  if (WHOLE_TOKEN.test(piece)) {
    if (piece.length <= MAX_TOKEN_LENGTH) out.push(piece);
    return;
  }
  const runs = piece.match(TOKEN_RUN);
  if (!runs) return;
  for (const r of runs) if (r.length <= MAX_TOKEN_LENGTH) out.push(r);
}

const isCjk = (s: string): boolean => /\p{Script=Han}/u.test(s);

/** A dictionary term as stored: trimmed, normalised, letters and digits only, 2–20 characters. */
export function cleanTerm(word: string): string | null {
  const w = normalise(word.trim());
  return /^[\p{L}\p{N}]{2,20}$/u.test(w) ? w : null;
}

export class Segmenter {
  private readonly jieba: Jieba;
  /** Custom words, for did-you-mean and tests. */
  readonly words: ReadonlySet<string>;

  constructor(words: readonly string[] = []) {
    const clean = [...new Set(words.map(cleanTerm).filter((w): w is string => w !== null))].sort();
    this.words = new Set(clean);
    this.jieba = jiebaFor(clean);
  }

  /** Index tokens of a text (search-mode cut, plus base sub-words of long words). */
  indexTokens(text: string): string[] {
    const out: string[] = [];
    if (!text) return out;
    const pieces = this.jieba.cutForSearch(normalise(text), true);
    for (const p of pieces) {
      pushTokens(out, p);
      if (p.length >= 4 && isCjk(p)) for (const sub of baseSubWords(p)) out.push(sub);
    }
    return out;
  }

  /** The words of a query, coarse (`cut`), stop words and punctuation left out, in order. */
  queryWords(q: string): string[] {
    const out: string[] = [];
    for (const p of this.jieba.cut(normalise(toSimplified(q)), true)) pushTokens(out, p);
    const meaningful = out.filter((w) => !QUERY_STOP_WORDS.has(w));
    // Single Chinese characters say little next to real words ("示范 市 教育局"); alone they are the query.
    const multi = meaningful.filter((w) => !(w.length === 1 && isCjk(w)));
    return dedupe(multi.length > 0 ? multi : meaningful);
  }

  /**
   * The dictionary sub-words of a word (社会保障 → 社会, 保障; 许可证 → 许可), or [] when they do
   * not cover it: at most its last character may be left over (证, 卡, 难), none before.
   */
  parts(word: string): string[] {
    if (word.length < 3 || !isCjk(word)) return [];
    const subs: string[] = [];
    for (const p of base().cutForSearch(word, true)) if (p !== word) pushTokens(subs, p);
    const multi = dedupe(subs.filter((s) => s.length >= 2 && s.length < word.length));
    const covered = new Uint8Array(word.length);
    for (const s of multi) for (let i = word.indexOf(s); i >= 0; i = word.indexOf(s, i + 1)) covered.fill(1, i, i + s.length);
    const missing = [...covered.keys()].filter((i) => !covered[i]);
    const ok = missing.length === 0 || (missing.length === 1 && missing[0] === word.length - 1);
    return ok ? multi : [];
  }
}

/** Base-dictionary sub-words of a long word, remembered (the same words recur in every document). */
const subWordMemo = new Map<string, string[]>();
function baseSubWords(word: string): string[] {
  let subs = subWordMemo.get(word);
  if (!subs) {
    subs = [];
    for (const sub of base().cutForSearch(word, true)) if (sub !== word && sub.length >= 2) pushTokens(subs, sub);
    if (subWordMemo.size >= 100_000) subWordMemo.clear();
    subWordMemo.set(word, subs);
  }
  return subs;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Loads the base dictionary now (0.1–0.3 s) rather than on the first search. */
export function warmUp(): void {
  base();
}
