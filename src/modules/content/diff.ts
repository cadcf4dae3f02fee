/**
 * Comparing two versions of an article, field by field, the way an editor reads a change:
 * words for text (Chinese segmented by the platform's ICU word breaker), lines of reading text
 * for the body (plus whether its markup changed), old and new values for the rest. Pure.
 */
import { type ChangeObject, diffLines, diffWords } from 'diff';
import { bodyText } from './sanitize.js';
import type { ArticleFields } from './schema.js';

export interface Change {
  added?: true;
  removed?: true;
  value: string;
}

export interface FieldDiff {
  field: keyof ArticleFields;
  changes: Change[];
  /** Body only: tags or attributes differ (formatting, links, images), whatever the text did. */
  markupChanged?: boolean;
}

const TEXT_FIELDS = ['title', 'subtitle', 'summary', 'source', 'author', 'coverAlt'] as const;
const VALUE_FIELDS = ['publishAt', 'effectiveAt', 'expiresAt', 'coverMediaId', 'tags', 'attachmentIds'] as const;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

const toChanges = (parts: ChangeObject<string>[]): Change[] =>
  parts.map((p) => (p.added ? { added: true, value: p.value } : p.removed ? { removed: true, value: p.value } : { value: p.value }));

function display(v: ArticleFields[(typeof VALUE_FIELDS)[number]]): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}

/** The markup of an HTML fragment with its text removed: what "markup changed" compares. */
const markupOf = (html: string): string => html.replace(/>[^<]*</g, '><').replace(/^[^<]*|[^>]*$/g, '');

export function diffFields(from: ArticleFields, to: ArticleFields): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of TEXT_FIELDS) {
    const a = from[field] ?? '';
    const b = to[field] ?? '';
    if (a !== b) out.push({ field, changes: toChanges(diffWords(a, b, { intlSegmenter: segmenter })) });
  }
  const bodyA = from.body ?? '';
  const bodyB = to.body ?? '';
  if (bodyA !== bodyB) {
    const textA = bodyText(bodyA);
    const textB = bodyText(bodyB);
    const changes = textA === textB ? [{ value: textA }] : toChanges(diffLines(`${textA}\n`, `${textB}\n`));
    out.push({ field: 'body', changes, markupChanged: markupOf(bodyA) !== markupOf(bodyB) });
  }
  for (const field of VALUE_FIELDS) {
    const a = display(from[field] ?? null);
    const b = display(to[field] ?? null);
    if (a === b) continue;
    const changes: Change[] = [];
    if (a) changes.push({ removed: true, value: a });
    if (b) changes.push({ added: true, value: b });
    out.push({ field, changes });
  }
  return out;
}
