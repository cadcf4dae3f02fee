/** The questions of one visit (its conversation token), oldest first, as the Q&A page shows them. */
import type { DB } from '../../../../db/index.js';
import { publicFaqs } from '../../faq/queries/publicFaqs.js';
import type { Feedback } from '../../tables.js';
import { type AnswerDto, type PassageDto, type RelatedDto, answerDto, relatedDto } from '../commands/askQuestion.js';

/** A conversation shows the questions of the last day, at most this many. */
export const CONVERSATION_HOURS = 24;
export const CONVERSATION_MAX = 20;

export interface ConversationItem {
  questionId: number;
  question: string;
  askedAt: string;
  answer: AnswerDto | null;
  /** The answer given then is no longer public. */
  answerWithdrawn: boolean;
  related: RelatedDto[];
  passages: PassageDto[];
  feedback: Feedback | null;
  handled: boolean;
}

export const parseIds = (json: string): number[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0) : [];
  } catch {
    return [];
  }
};

const parsePassages = (json: string): PassageDto[] => {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? (v as PassageDto[]).filter((p) => p && typeof p.title === 'string' && typeof p.url === 'string') : [];
  } catch {
    return [];
  }
};

export async function conversationOf(db: DB, now: Date, token: string): Promise<ConversationItem[]> {
  const since = new Date(now.getTime() - CONVERSATION_HOURS * 3_600_000).toISOString();
  const rows = (
    await db
      .selectFrom('qa_questions')
      .select(['id', 'question', 'asked_at', 'answer_entry_id', 'confidence', 'related', 'passages', 'feedback', 'status'])
      .where('conversation', '=', token)
      .where('asked_at', '>=', since)
      .orderBy('id', 'desc')
      .limit(CONVERSATION_MAX)
      .execute()
  ).reverse();
  const relatedIds = rows.map((r) => parseIds(r.related));
  const wanted = new Set<number>();
  rows.forEach((r, i) => {
    if (r.answer_entry_id !== null) wanted.add(r.answer_entry_id);
    for (const id of relatedIds[i] ?? []) wanted.add(id);
  });
  const live = new Map((await publicFaqs(db, now, { ids: [...wanted] })).map((e) => [e.id, e]));
  return rows.map((r, i) => {
    const e = r.answer_entry_id === null ? undefined : live.get(r.answer_entry_id);
    return {
      questionId: r.id,
      question: r.question,
      askedAt: r.asked_at,
      answer: e ? answerDto(e, r.confidence) : null,
      answerWithdrawn: r.answer_entry_id !== null && !e,
      related: (relatedIds[i] ?? []).flatMap((id) => {
        const x = live.get(id);
        return x ? [relatedDto(x, 0)] : [];
      }),
      passages: parsePassages(r.passages),
      feedback: r.feedback,
      handled: r.status === 'handled',
    };
  });
}
