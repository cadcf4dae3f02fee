/**
 * 提问: a visitor's question answered from the knowledge base (the best entry when the matcher
 * is confident, the related entries) and the rest of the index (best passages), and logged —
 * in one transaction, before the answer is sent: a question the visitor saw answered is a
 * question the staff can see.
 */
import crypto from 'node:crypto';
import type { DB, Dialect } from '../../../../db/index.js';
import { type Result, fail, ok } from '../../../../lib/errors.js';
import { iso } from '../../../../lib/time.js';
import { PORTAL_CODE } from '../../../sites/index.js';
import { search } from '../../../search/index.js';
import { type PublicFaq, publicFaqs } from '../../faq/queries/publicFaqs.js';
import { maskDigits } from '../../schema.js';
import { knowledgeOf } from '../knowledge.js';
import { ANSWER_MIN, RELATED_MIN } from '../match.js';
import { toSimplified } from '../simplified.js';
import type { AskInput } from '../schema.js';

export interface QaEnv {
  db: DB;
  dialect: Dialect;
  now: Date;
}

export interface AnswerDto {
  id: number;
  question: string;
  /** Sanitised HTML. */
  answer: string;
  url: string;
  topic: string;
  siteName: string;
  organisationName: string | null;
  refTitle: string;
  refUrl: string;
  confidence: number;
}

export interface RelatedDto {
  id: number;
  question: string;
  url: string;
  siteName: string;
  score: number;
}

export interface PassageDto {
  title: string;
  url: string;
  /** Plain text. */
  snippet: string;
  site: string;
  siteName: string;
  type: string;
}

export interface QaAnswerDto {
  questionId: number;
  conversation: string;
  question: string;
  askedAt: string;
  /** null: not answered with confidence (logged for the staff). */
  answer: AnswerDto | null;
  related: RelatedDto[];
  passages: PassageDto[];
  /** The best entry's score, 0..1, whether or not it was good enough to answer. */
  confidence: number;
}

const RELATED_MAX = 4;
const PASSAGES_MAX = 3;

export const newConversation = (): string => crypto.randomBytes(16).toString('base64url');

const round = (x: number) => Math.round(x * 1000) / 1000;

export const answerDto = (e: PublicFaq, confidence: number): AnswerDto => ({
  id: e.id,
  question: e.question,
  answer: e.answer,
  url: e.url,
  topic: e.topic,
  siteName: e.siteName,
  organisationName: e.organisationName,
  refTitle: e.refTitle,
  refUrl: e.refUrl,
  confidence: round(confidence),
});

export const relatedDto = (e: PublicFaq, score: number): RelatedDto => ({ id: e.id, question: e.question, url: e.url, siteName: e.siteName, score: round(score) });

/** What the matcher and the index say about a question (no writing). */
export async function answerFor(env: QaEnv, question: string, siteId: number | null): Promise<Omit<QaAnswerDto, 'questionId' | 'conversation' | 'askedAt' | 'question'>> {
  const k = await knowledgeOf(env.db, env.now);
  const all = k.matcher.match(toSimplified(question), { siteId, limit: RELATED_MAX + 2, min: 0 });
  const top = all[0];
  const matches = all.filter((m) => m.score >= RELATED_MIN);
  // Re-read what is public now (an entry may have gone offline since the matcher was built).
  const live = new Map((await publicFaqs(env.db, env.now, { ids: matches.map((m) => m.id) })).map((e) => [e.id, e]));
  const usable = matches.filter((m) => live.has(m.id));
  const best = usable[0] && usable[0].score >= ANSWER_MIN ? usable[0] : undefined;
  const answer = best ? answerDto(live.get(best.id)!, best.score) : null;
  const related = usable.filter((m) => m !== best).slice(0, RELATED_MAX).map((m) => relatedDto(live.get(m.id)!, m.score));
  return { answer, related, passages: await passagesFor(env, question), confidence: round(top?.score ?? 0) };
}

/** The best passages of the rest of the index (articles; later guides and letters), FAQ entries left to the matcher. */
async function passagesFor(env: QaEnv, question: string): Promise<PassageDto[]> {
  const q = question.slice(0, 100).trim();
  if (!q) return [];
  const r = await search({ db: env.db, dialect: env.dialect, now: env.now }, { q, sort: 'relevance', page: 1, pageSize: PASSAGES_MAX + 5 });
  if (!r.ok) return [];
  return r.value.items
    .filter((it) => it.type !== 'faq')
    .slice(0, PASSAGES_MAX)
    .map((it) => ({ title: plain(it.titleHtml), url: it.url, snippet: plain(it.snippet), site: it.site, siteName: it.siteName, type: it.type }));
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** The search module's escaped, <em>-marked text back to plain text (it is escaped again wherever shown). */
const plain = (html: string): string => html.replace(/<\/?em>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);

export async function askQuestion(env: QaEnv, input: AskInput): Promise<Result<QaAnswerDto>> {
  let site: { id: number } | undefined;
  if (input.site) {
    site = await env.db.selectFrom('sites').select('id').where('code', '=', input.site).where('status', '=', 'open').executeTakeFirst();
    if (!site) return fail('validation_failed', `输入有误。site: 站点“${input.site}”不存在或未开通`, { issues: [{ path: 'site', message: '站点不存在或未开通' }] });
  } else {
    site = await env.db.selectFrom('sites').select('id').where('code', '=', PORTAL_CODE).executeTakeFirst();
  }
  const question = maskDigits(input.question);
  const a = await answerFor(env, question, site?.id ?? null);
  const conversation = input.conversation ?? newConversation();
  const askedAt = iso(env.now);
  const row = await env.db
    .insertInto('qa_questions')
    .values({
      conversation,
      site_id: site?.id ?? null,
      asked_at: askedAt,
      question,
      answer_entry_id: a.answer?.id ?? null,
      confidence: a.confidence,
      related: JSON.stringify(a.related.map((r) => r.id)),
      passages: JSON.stringify(a.passages),
      feedback: null,
      feedback_at: null,
      status: 'open',
      handled_by: null,
      handled_at: null,
      handled_entry_id: null,
      handled_note: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return ok({ questionId: row.id, conversation, question, askedAt, ...a });
}
