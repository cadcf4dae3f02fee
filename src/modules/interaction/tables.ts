import type { Generated } from 'kysely';

/**
 * Workflow state of an FAQ entry's working copy, as for articles (content/tables.ts): what the
 * public sees is `live_version` (null: nothing public), so editing a published entry does not
 * take its answer offline until the revision is approved.
 */
export type FaqStatus = 'draft' | 'returned' | 'submitted' | 'approved' | 'published' | 'withdrawn' | 'expired';

/** 常见问题: one standard question of a site's knowledge base, with its variant phrasings and answer. */
export interface FaqEntryTable {
  id: Generated<number>;
  site_id: number;
  /** The department that answers (defaults to the site's organisation). */
  organisation_id: number | null;
  /** 主题, e.g. 社会保障, 住房公积金. */
  topic: string;
  /** The standard question (标准问). */
  question: string;
  /** JSON array of variant phrasings (同义问法). */
  variants: string;
  /** Sanitised HTML (the content module's allow-list). */
  answer: string;
  /** The service item, policy or article the entry concerns (its title and address). */
  ref_title: string;
  ref_url: string;
  /** Valid from (published when it comes, if approved before) and until (taken offline then). */
  effective_at: string | null;
  expires_at: string | null;
  status: FaqStatus;
  /** While submitted: the review level now deciding (1..n). */
  review_level: number;
  version: number;
  approved_version: number | null;
  /** The version the public sees; null when not public. The single truth of "published". */
  live_version: number | null;
  /** First publication. */
  published_at: string | null;
  /** The logged question this entry was written for (智能问答 queue), if any. */
  source_question_id: number | null;
  created_by: number;
  updated_by: number;
  created_at: string;
  updated_at: string;
}

export interface FaqVersionTable {
  id: Generated<number>;
  entry_id: number;
  version: number;
  /** JSON snapshot of the editable fields (FaqFields). */
  data: string;
  created_by: number;
  created_at: string;
}

export interface FaqReviewTable {
  id: Generated<number>;
  entry_id: number;
  version: number;
  level: number;
  decision: 'approve' | 'return';
  comment: string;
  reviewer_id: number;
  created_at: string;
}

export type QuestionStatus = 'open' | 'handled';
export type Feedback = 'helpful' | 'unhelpful';

/** 智能问答 log: one question a visitor asked, what it was answered with, and what became of it. */
export interface QaQuestionTable {
  id: Generated<number>;
  /** The visit's conversation token (random, unguessable): the page shows the questions of this token. */
  conversation: string;
  /** Where it was asked (the portal's site for /hdjl/znwd/); the queue of that site's staff. */
  site_id: number | null;
  asked_at: string;
  /** As typed, with runs of 6+ digits (ID-card, phone numbers) masked. */
  question: string;
  /** The FAQ entry given as the answer; null: not answered. */
  answer_entry_id: number | null;
  /** The matcher's score of the best entry (0..1), also when it was too low to answer. */
  confidence: number;
  /** JSON array of the related entry ids shown. */
  related: string;
  /** JSON array of the passages from the rest of the index shown: {title, url, snippet, site, type}, plain text. */
  passages: string;
  feedback: Feedback | null;
  feedback_at: string | null;
  status: QuestionStatus;
  handled_by: number | null;
  handled_at: string | null;
  /** The knowledge-base entry written for it. */
  handled_entry_id: number | null;
  handled_note: string;
}
