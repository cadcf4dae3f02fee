/**
 * 智能问答's matcher (pure once built): which knowledge-base entry a citizen's question asks.
 *
 * Every entry is the set of its phrasings — the standard question and its variants (同义问法).
 * A text becomes *terms*: the words jieba cuts it into (the search module's segmenter with the
 * government dictionary; stop words such as 怎么、如何、我 left out), each replaced by the
 * representative of its synonym group (社保 ≡ 社会保险, 户口 ≡ 户籍 …), plus the dictionary
 * sub-words of long words (住房公积金 → 住房, 公积金). A word the knowledge base does not know,
 * one character away from one it knows (公基金 → 公积金), is read as that word.
 *
 * The score of a question against a phrasing is
 *
 *   0.75 × cosine of their term sets, each term weighted by its IDF over the knowledge base
 *   + 0.25 × Dice coefficient of their character bigrams (robust to cuts jieba makes differently),
 *
 * and an entry's score is its best phrasing's, plus up to 0.1 when the question's words also occur
 * in the entry's topic and answer, ×1.05 for an entry of the site the question was asked on.
 * Words that occur in few entries weigh most, so a question made of words the knowledge base does
 * not have (动物园门票多少钱) scores low against everything: it is not answered, but logged.
 */
export interface Tokenizer {
  /** Words of a text, stop words left out (Segmenter.queryWords). */
  words(text: string): string[];
  /** Dictionary sub-words of a long word, [] when none (Segmenter.parts). */
  parts(word: string): string[];
}

export interface KnowledgeEntry {
  id: number;
  siteId: number;
  question: string;
  variants: readonly string[];
  topic: string;
  answerText: string;
}

export interface Match {
  id: number;
  score: number;
  /** The phrasing that matched best. */
  phrase: string;
}

/** Answered with confidence at or above this score; related entries shown from RELATED_MIN. */
export const ANSWER_MIN = 0.4;
export const RELATED_MIN = 0.3;

const WORD_WEIGHT = 0.75;
const CHAR_WEIGHT = 0.25;
const CONTEXT_BONUS = 0.1;
const SAME_SITE = 1.05;

/** Filler a visitor adds that says nothing about the matter (the segmenter's stop words take the rest). */
const FILLER = ['请问', '想问', '问一下', '问下', '咨询', '你好', '您好', '谢谢', '麻烦', '一下', '怎么办', '咋办', '怎么弄', '咋弄', '怎么', '如何', '咋', '啥', '什么', '哪里', '哪儿', '吗', '呢', '吧', '啊', '呀', '的', '了', '我', '可以', '需要', '是不是', '有没有'];
const FILLER_RE = new RegExp(FILLER.sort((a, b) => b.length - a.length).join('|'), 'g');
const NON_HAN_OR_WORD = /[^\p{Script=Han}\p{L}\p{N}]+/gu;

interface Phrase {
  entry: number;
  text: string;
  terms: Map<string, number>;
  norm: number;
  bigrams: Set<string>;
}

export class FaqMatcher {
  private readonly idf = new Map<string, number>();
  private readonly unknownIdf: number;
  private readonly phrases: Phrase[] = [];
  private readonly entries: KnowledgeEntry[];
  private readonly context: Map<string, number>[] = [];
  /** Terms of 3+ characters the knowledge base uses, for typo correction. */
  private readonly vocabulary: string[];
  private readonly byTerm = new Map<string, number[]>();
  /** Word → the representative of its synonym group. */
  private readonly canon = new Map<string, string>();

  constructor(
    entries: readonly KnowledgeEntry[],
    private readonly tok: Tokenizer,
    synonymGroups: readonly (readonly string[])[],
  ) {
    this.entries = [...entries];
    for (const g of synonymGroups) {
      const words = [...new Set(g.map(normalise))];
      // One representative per group; a word in several groups joins them all to the first seen.
      const rep = words.map((w) => this.canon.get(w)).find((x) => x !== undefined) ?? words[0]!;
      for (const w of words) if (!this.canon.has(w)) this.canon.set(w, rep);
    }
    const df = new Map<string, number>();
    this.entries.forEach((e, i) => {
      const all = new Set<string>();
      for (const text of [e.question, ...e.variants]) {
        const terms = this.termsOf(text);
        for (const t of terms) all.add(t);
        this.phrases.push({ entry: i, text, terms: new Map([...terms].map((t) => [t, 0])), norm: 0, bigrams: bigrams(text) });
      }
      for (const t of this.termsOf(e.topic)) all.add(t);
      for (const t of all) df.set(t, (df.get(t) ?? 0) + 1);
    });
    const n = Math.max(1, this.entries.length);
    for (const [t, d] of df) this.idf.set(t, Math.log((n + 1) / (d + 0.5)));
    this.unknownIdf = Math.log((n + 1) / 0.5);
    for (const p of this.phrases) {
      let sq = 0;
      for (const t of p.terms.keys()) {
        const w = this.idf.get(t) ?? this.unknownIdf;
        p.terms.set(t, w);
        sq += w * w;
      }
      p.norm = Math.sqrt(sq);
    }
    this.phrases.forEach((p, i) => {
      for (const t of p.terms.keys()) this.byTerm.set(t, [...(this.byTerm.get(t) ?? []), i]);
    });
    this.entries.forEach((e, i) => {
      const ctx = new Map<string, number>();
      for (const t of [...this.termsOf(e.topic), ...this.termsOf(e.answerText.slice(0, 2000))]) ctx.set(t, 1);
      this.context[i] = ctx;
    });
    this.vocabulary = [...df.keys()].filter((t) => [...t].length >= 3);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The terms of a text (see the file comment). */
  termsOf(text: string): Set<string> {
    const out = new Set<string>();
    for (const w of this.tok.words(text)) {
      out.add(this.canon.get(w) ?? w);
      for (const p of this.tok.parts(w)) out.add(this.canon.get(p) ?? p);
    }
    return out;
  }

  /** A question's terms with near misses of the knowledge base's words put right. */
  private questionTerms(question: string): Set<string> {
    const raw = this.termsOf(question);
    const out = new Set<string>();
    for (const t of raw) {
      if (this.idf.has(t) || [...t].length < 3) {
        out.add(t);
        continue;
      }
      const fixed = this.vocabulary.find((v) => oneSubstitution(v, t));
      out.add(fixed ?? t);
    }
    return out;
  }

  /** Entries by score, best first (at most `limit`, each above `min`). */
  match(question: string, opts: { siteId?: number | null; limit?: number; min?: number } = {}): Match[] {
    const limit = opts.limit ?? 5;
    const min = opts.min ?? 0.05;
    const terms = this.questionTerms(question);
    const qBigrams = bigrams(question);
    if (terms.size === 0 && qBigrams.size === 0) return [];
    let qSq = 0;
    const qWeights = new Map<string, number>();
    for (const t of terms) {
      const w = this.idf.get(t) ?? this.unknownIdf;
      qWeights.set(t, w);
      qSq += w * w;
    }
    const qNorm = Math.sqrt(qSq);
    // Candidates: phrasings sharing a term; with none, every phrasing (the bigrams may still match).
    const cand = new Set<number>();
    for (const t of terms) for (const i of this.byTerm.get(t) ?? []) cand.add(i);
    const pool = cand.size > 0 ? [...cand] : this.phrases.map((_, i) => i);
    const best = new Map<number, { score: number; phrase: string }>();
    for (const i of pool) {
      const p = this.phrases[i]!;
      let dot = 0;
      for (const [t, w] of qWeights) if (p.terms.has(t)) dot += w * p.terms.get(t)!;
      const cos = qNorm > 0 && p.norm > 0 ? dot / (qNorm * p.norm) : 0;
      const score = WORD_WEIGHT * cos + CHAR_WEIGHT * dice(qBigrams, p.bigrams);
      const prev = best.get(p.entry);
      if (!prev || score > prev.score) best.set(p.entry, { score, phrase: p.text });
    }
    const out: Match[] = [];
    for (const [i, b] of best) {
      const e = this.entries[i]!;
      const ctx = this.context[i]!;
      let covered = 0;
      for (const [t, w] of qWeights) if (ctx.has(t)) covered += w;
      const qMass = [...qWeights.values()].reduce((a, b2) => a + b2, 0);
      let score = b.score + (qMass > 0 ? CONTEXT_BONUS * (covered / qMass) * Math.min(1, b.score * 2) : 0);
      if (opts.siteId !== undefined && opts.siteId !== null && e.siteId === opts.siteId) score *= SAME_SITE;
      score = Math.min(1, score);
      if (score >= min) out.push({ id: e.id, score, phrase: b.phrase });
    }
    return out.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
  }
}

export const normalise = (s: string): string => s.normalize('NFKC').toLowerCase();

/** Character bigrams of a text's letters and digits, filler left out. */
export function bigrams(text: string): Set<string> {
  const s = normalise(text).replace(FILLER_RE, ' ').replace(NON_HAN_OR_WORD, ' ');
  const out = new Set<string>();
  for (const run of s.split(' ')) {
    const cs = [...run];
    if (cs.length === 1) out.add(cs[0]!);
    for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i]! + cs[i + 1]!);
  }
  out.delete('');
  return out;
}

export function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return (2 * both) / (a.size + b.size);
}

/** Same length, exactly one character different. */
function oneSubstitution(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length && diff < 2; i++) if (x[i] !== y[i]) diff++;
  return diff === 1;
}
