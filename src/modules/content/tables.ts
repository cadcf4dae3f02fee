import type { Generated } from 'kysely';

/**
 * Workflow state of the article's working copy. What the public sees is `live_version`
 * (null: nothing public), so editing a live article does not take it offline.
 */
export type ArticleStatus = 'draft' | 'returned' | 'submitted' | 'approved' | 'published' | 'withdrawn' | 'expired';

export interface ArticleTable {
  id: Generated<number>;
  site_id: number;
  column_id: number;
  title: string;
  subtitle: string;
  summary: string;
  /** Sanitised HTML (allow-list). */
  body: string;
  source: string;
  author: string;
  /** Requested publication time (scheduled if in the future). */
  publish_at: string | null;
  /** Time it actually went public (shown as the publication date). */
  published_at: string | null;
  effective_at: string | null;
  expires_at: string | null;
  cover_media_id: number | null;
  cover_alt: string;
  /** JSON array of strings. */
  tags: string;
  status: ArticleStatus;
  /** While submitted: the review level now deciding (1..n). */
  review_level: number;
  version: number;
  /** Version number last approved by the final review level (null before any approval). */
  approved_version: number | null;
  /** The version the public sees; null when the article is not public. The single truth of "published". */
  live_version: number | null;
  created_by: number;
  updated_by: number;
  created_at: string;
  updated_at: string;
}

export interface ArticleVersionTable {
  id: Generated<number>;
  article_id: number;
  version: number;
  /** JSON snapshot of the editable fields at this version. */
  data: string;
  created_by: number;
  created_at: string;
}

export interface ArticleReviewTable {
  id: Generated<number>;
  article_id: number;
  /** Set when the decision is about a syndicated placement rather than the article itself. */
  syndication_id: number | null;
  version: number;
  level: number;
  decision: 'approve' | 'return';
  comment: string;
  reviewer_id: number;
  created_at: string;
}

export interface ArticleAttachmentTable {
  article_id: number;
  media_id: number;
  sort: number;
}

/**
 * pending: waiting for the target column's review (level `review_level`); approved: every
 * target level approved, waiting for its source to go live; published: public in the target.
 */
export type SyndicationStatus = 'pending' | 'approved' | 'published' | 'returned' | 'withdrawn';

/** An article pushed to a column of another site; it waits for that column's review. */
export interface SyndicationTable {
  id: Generated<number>;
  article_id: number;
  site_id: number;
  column_id: number;
  status: SyndicationStatus;
  review_level: number;
  requested_by: number;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}
