/**
 * The article workflow (录入→修改→审阅→发布), as a pure function of the article's state.
 *
 * What the public sees is `liveVersion` (null: nothing public), never the status alone: editing
 * a live article makes a new working version (status draft) while the public keeps the live one
 * until the revision is approved and published again.
 *
 * Review levels (0-3) come from the column: 0 means no review (submit approves at once), n
 * means levels 1..n in order (三审: three levels).
 */
import { type Result, fail, ok } from '../../lib/errors.js';
import type { ArticleStatus, SyndicationStatus } from './tables.js';

export interface ArticleState {
  status: ArticleStatus;
  /** While submitted: the level now deciding (1..n); 0 otherwise. */
  reviewLevel: number;
  version: number;
  approvedVersion: number | null;
  liveVersion: number | null;
  /** First publication (kept on later revisions); null if it never went public. */
  publishedAt: string | null;
  publishAt: string | null;
  expiresAt: string | null;
}

export type Action =
  | { type: 'edit' }
  | { type: 'submit' }
  | { type: 'approve'; level: number }
  | { type: 'return'; level: number; comment: string }
  | { type: 'publish' }
  | { type: 'schedule'; at: string }
  | { type: 'withdraw'; reason: string }
  | { type: 'expire' }
  | { type: 'delete' };

export type ActionType = Action['type'];

export interface TransitionEnv {
  now: Date;
  /** Review levels of the article's column (0-3). */
  levels: number;
}

export const STATUS_NAMES: Record<ArticleStatus, string> = {
  draft: '草稿',
  returned: '已退回',
  submitted: '审核中',
  approved: '已审核待发布',
  published: '已发布',
  withdrawn: '已撤稿',
  expired: '已过期',
};

export const MAX_REVIEW_LEVELS = 3;
export const COMMENT_MAX = 1000;

export const isLive = (a: Pick<ArticleState, 'liveVersion'>): boolean => a.liveVersion !== null;
/** Never public: may still be deleted. */
export const neverWentLive = (a: Pick<ArticleState, 'liveVersion' | 'publishedAt'>): boolean => a.liveVersion === null && a.publishedAt === null;

const EDITABLE: ArticleStatus[] = ['draft', 'returned', 'approved', 'published', 'withdrawn', 'expired'];
const SUBMITTABLE: ArticleStatus[] = ['draft', 'returned', 'withdrawn', 'expired'];

const refuse = (a: ArticleState, what: string) => fail('invalid_transition', `稿件当前状态为“${STATUS_NAMES[a.status]}”，不能${what}`, { status: a.status });

/** Levels a column demands, clamped to 0..3. */
export const levelsOf = (reviewLevels: number): number => Math.max(0, Math.min(MAX_REVIEW_LEVELS, Math.trunc(reviewLevels)));

const expired = (a: ArticleState, now: Date): boolean => a.expiresAt !== null && a.expiresAt <= now.toISOString();

export function transition(a: ArticleState, action: Action, env: TransitionEnv): Result<ArticleState> {
  const now = env.now.toISOString();
  switch (action.type) {
    case 'edit': {
      if (!EDITABLE.includes(a.status)) return refuse(a, '修改（审核中的稿件请先撤回）');
      // A returned draft stays "returned" (with its comment) until it is resubmitted; any other
      // edit starts a new working version that needs a new approval.
      return ok({ ...a, status: a.status === 'returned' ? 'returned' : 'draft', reviewLevel: 0, version: a.version + 1 });
    }
    case 'submit': {
      if (!SUBMITTABLE.includes(a.status)) return refuse(a, '送审');
      if (expired(a, env.now)) return fail('invalid_transition', '失效时间已过，请先修改失效时间再送审');
      if (levelsOf(env.levels) === 0) return ok({ ...a, status: 'approved', reviewLevel: 0, approvedVersion: a.version });
      return ok({ ...a, status: 'submitted', reviewLevel: 1 });
    }
    case 'approve':
    case 'return': {
      if (a.status !== 'submitted') return refuse(a, action.type === 'approve' ? '审核通过' : '退回');
      if (action.level !== a.reviewLevel) return fail('invalid_transition', `稿件正在等待第 ${a.reviewLevel} 级审核`, { reviewLevel: a.reviewLevel });
      if (action.type === 'return') {
        const comment = action.comment.trim();
        if (!comment) return fail('validation_failed', '退回时必须填写审核意见', { issues: [{ path: 'comment', message: '退回时必须填写审核意见' }] });
        if (comment.length > COMMENT_MAX) return fail('validation_failed', `审核意见不能超过 ${COMMENT_MAX} 个字符`, { issues: [{ path: 'comment', message: `审核意见不能超过 ${COMMENT_MAX} 个字符` }] });
        return ok({ ...a, status: 'returned', reviewLevel: 0 });
      }
      // The column may have lost levels since the submission: the current one is then the last.
      const final = action.level >= Math.max(1, levelsOf(env.levels));
      if (final) return ok({ ...a, status: 'approved', reviewLevel: 0, approvedVersion: a.version });
      return ok({ ...a, reviewLevel: a.reviewLevel + 1 });
    }
    case 'publish': {
      if (a.status !== 'approved' || a.approvedVersion !== a.version) return refuse(a, '发布（须先审核通过）');
      if (expired(a, env.now)) return fail('invalid_transition', '失效时间已过，不能发布');
      return ok({ ...a, status: 'published', reviewLevel: 0, liveVersion: a.version, publishedAt: a.publishedAt ?? now });
    }
    case 'schedule': {
      if (a.status !== 'approved' || a.approvedVersion !== a.version) return refuse(a, '定时发布（须先审核通过）');
      if (action.at <= now) return fail('validation_failed', '定时发布时间必须晚于当前时间', { issues: [{ path: 'publishAt', message: '定时发布时间必须晚于当前时间' }] });
      if (a.expiresAt !== null && action.at >= a.expiresAt)
        return fail('validation_failed', '定时发布时间必须早于失效时间', { issues: [{ path: 'publishAt', message: '定时发布时间必须早于失效时间' }] });
      return ok({ ...a, publishAt: action.at });
    }
    case 'withdraw': {
      if (!action.reason.trim()) return fail('validation_failed', '撤稿必须填写原因', { issues: [{ path: 'reason', message: '撤稿必须填写原因' }] });
      // Live: take the public copy offline (撤稿). Not live but in review or awaiting its
      // scheduled publication: the editor recalls it to a draft (撤回).
      if (isLive(a)) return ok({ ...a, status: 'withdrawn', reviewLevel: 0, liveVersion: null });
      if (a.status === 'submitted' || a.status === 'approved') return ok({ ...a, status: 'draft', reviewLevel: 0 });
      return refuse(a, '撤稿或撤回');
    }
    case 'expire': {
      if (!isLive(a)) return refuse(a, '过期下线');
      return ok({ ...a, status: 'expired', reviewLevel: 0, liveVersion: null });
    }
    case 'delete': {
      if (!neverWentLive(a)) return fail('invalid_transition', '稿件发布过，不能删除；如需下线请撤稿', { status: a.status });
      return ok(a);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Syndication (推送): an article pushed to a column of another site waits for that column's
// reviewers, level by level; a push always needs at least one review by the target.
// ---------------------------------------------------------------------------------------------

export interface SyndicationState {
  status: SyndicationStatus;
  reviewLevel: number;
}

export type SyndicationAction =
  | { type: 'approve'; level: number }
  | { type: 'return'; level: number; comment: string }
  | { type: 'withdraw' }
  | { type: 'request' };

export const SYNDICATION_STATUS_NAMES: Record<SyndicationStatus, string> = {
  pending: '待审核',
  approved: '已审核待源稿发布',
  published: '已发布',
  returned: '已退回',
  withdrawn: '已撤下',
};

/** Target review levels of a push: the target column's, but at least one. */
export const syndicationLevels = (targetReviewLevels: number): number => Math.max(1, levelsOf(targetReviewLevels));

export function syndicationTransition(
  s: SyndicationState,
  action: SyndicationAction,
  env: { levels: number; sourceLive: boolean },
): Result<SyndicationState> {
  const refuseS = (what: string) => fail('invalid_transition', `推送当前状态为“${SYNDICATION_STATUS_NAMES[s.status]}”，不能${what}`, { status: s.status });
  switch (action.type) {
    case 'request':
      if (s.status !== 'returned' && s.status !== 'withdrawn') return refuseS('重新推送');
      return ok({ status: 'pending', reviewLevel: 1 });
    case 'approve':
    case 'return': {
      if (s.status !== 'pending') return refuseS(action.type === 'approve' ? '审核通过' : '退回');
      if (action.level !== s.reviewLevel) return fail('invalid_transition', `推送正在等待第 ${s.reviewLevel} 级审核`, { reviewLevel: s.reviewLevel });
      if (action.type === 'return') {
        if (!action.comment.trim()) return fail('validation_failed', '退回时必须填写审核意见', { issues: [{ path: 'comment', message: '退回时必须填写审核意见' }] });
        return ok({ status: 'returned', reviewLevel: s.reviewLevel });
      }
      if (action.level < syndicationLevels(env.levels)) return ok({ status: 'pending', reviewLevel: s.reviewLevel + 1 });
      return ok({ status: env.sourceLive ? 'published' : 'approved', reviewLevel: s.reviewLevel });
    }
    case 'withdraw':
      if (s.status === 'withdrawn') return refuseS('撤下');
      return ok({ status: 'withdrawn', reviewLevel: s.reviewLevel });
  }
}
