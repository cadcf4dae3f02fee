/**
 * The FAQ entry workflow (录入→修改→审核→发布), the same rules as the article workflow
 * (content/lifecycle.ts) as a pure function of the entry's state:
 *
 *   draft/returned ──submit──► submitted (level 1 … n) ──approve at n──► approved ──► published
 *        ▲   ▲                     │ return (with comment)                  (at once, or when
 *        │   └─────────────────────┘                                         effective_at comes)
 *        └── edit (a new working version; the public keeps the live one) ◄── published
 *   published ──withdraw (reason)──► withdrawn       published ──expiry──► expired
 *
 * What the public sees is `liveVersion` (null: nothing public), never the status alone. Review
 * levels (0-3) come from the site's FAQ setting: 0 approves on submission.
 */
import { type Result, fail, ok } from '../../../lib/errors.js';
import type { FaqStatus } from '../tables.js';

export interface FaqState {
  status: FaqStatus;
  /** While submitted: the level now deciding (1..n); 0 otherwise. */
  reviewLevel: number;
  version: number;
  approvedVersion: number | null;
  liveVersion: number | null;
  publishedAt: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
}

export type FaqAction =
  | { type: 'edit' }
  | { type: 'submit' }
  | { type: 'approve'; level: number }
  | { type: 'return'; level: number; comment: string }
  | { type: 'publish' }
  | { type: 'withdraw'; reason: string }
  | { type: 'expire' }
  | { type: 'delete' };

export interface FaqTransitionEnv {
  now: Date;
  /** Review levels of the entry's site (0-3). */
  levels: number;
}

export const FAQ_STATUS_NAMES: Record<FaqStatus, string> = {
  draft: '草稿',
  returned: '已退回',
  submitted: '审核中',
  approved: '已审核待生效',
  published: '已发布',
  withdrawn: '已撤下',
  expired: '已过期',
};

export const MAX_REVIEW_LEVELS = 3;
export const COMMENT_MAX = 1000;
export const DEFAULT_REVIEW_LEVELS = 1;

export const isLive = (s: Pick<FaqState, 'liveVersion'>): boolean => s.liveVersion !== null;
export const neverWentLive = (s: Pick<FaqState, 'liveVersion' | 'publishedAt'>): boolean => s.liveVersion === null && s.publishedAt === null;
export const levelsOf = (n: number): number => Math.max(0, Math.min(MAX_REVIEW_LEVELS, Math.trunc(Number.isFinite(n) ? n : DEFAULT_REVIEW_LEVELS)));

const EDITABLE: FaqStatus[] = ['draft', 'returned', 'approved', 'published', 'withdrawn', 'expired'];
const SUBMITTABLE: FaqStatus[] = ['draft', 'returned', 'withdrawn', 'expired'];

const refuse = (s: FaqState, what: string) => fail('invalid_transition', `问答条目当前状态为“${FAQ_STATUS_NAMES[s.status]}”，不能${what}`, { status: s.status });
const issue = (path: string, message: string) => fail('validation_failed', message, { issues: [{ path, message }] });

export const isExpired = (s: Pick<FaqState, 'expiresAt'>, now: Date): boolean => s.expiresAt !== null && s.expiresAt <= now.toISOString();
/** Approved, but valid only from a later time: it goes public then. */
export const waitsForEffect = (s: Pick<FaqState, 'effectiveAt'>, now: Date): boolean => s.effectiveAt !== null && s.effectiveAt > now.toISOString();

export function faqTransition(s: FaqState, action: FaqAction, env: FaqTransitionEnv): Result<FaqState> {
  const now = env.now.toISOString();
  switch (action.type) {
    case 'edit': {
      if (!EDITABLE.includes(s.status)) return refuse(s, '修改（审核中的条目请先撤回）');
      return ok({ ...s, status: s.status === 'returned' ? 'returned' : 'draft', reviewLevel: 0, version: s.version + 1 });
    }
    case 'submit': {
      if (!SUBMITTABLE.includes(s.status)) return refuse(s, '送审');
      if (isExpired(s, env.now)) return issue('expiresAt', '失效时间已过，请先修改失效时间再送审');
      if (levelsOf(env.levels) === 0) return ok({ ...s, status: 'approved', reviewLevel: 0, approvedVersion: s.version });
      return ok({ ...s, status: 'submitted', reviewLevel: 1 });
    }
    case 'approve':
    case 'return': {
      if (s.status !== 'submitted') return refuse(s, action.type === 'approve' ? '审核通过' : '退回');
      if (action.level !== s.reviewLevel) return fail('invalid_transition', `条目正在等待第 ${s.reviewLevel} 级审核`, { reviewLevel: s.reviewLevel });
      if (action.type === 'return') {
        const comment = action.comment.trim();
        if (!comment) return issue('comment', '退回时必须填写审核意见');
        if (comment.length > COMMENT_MAX) return issue('comment', `审核意见不能超过 ${COMMENT_MAX} 个字符`);
        return ok({ ...s, status: 'returned', reviewLevel: 0 });
      }
      const final = action.level >= Math.max(1, levelsOf(env.levels));
      if (final) return ok({ ...s, status: 'approved', reviewLevel: 0, approvedVersion: s.version });
      return ok({ ...s, reviewLevel: s.reviewLevel + 1 });
    }
    case 'publish': {
      if (s.status !== 'approved' || s.approvedVersion !== s.version) return refuse(s, '发布（须先审核通过）');
      if (isExpired(s, env.now)) return fail('invalid_transition', '失效时间已过，不能发布');
      return ok({ ...s, status: 'published', reviewLevel: 0, liveVersion: s.version, publishedAt: s.publishedAt ?? now });
    }
    case 'withdraw': {
      if (!action.reason.trim()) return issue('reason', '撤下必须填写原因');
      if (isLive(s)) return ok({ ...s, status: 'withdrawn', reviewLevel: 0, liveVersion: null });
      if (s.status === 'submitted' || s.status === 'approved') return ok({ ...s, status: 'draft', reviewLevel: 0 });
      return refuse(s, '撤下或撤回');
    }
    case 'expire': {
      if (!isLive(s)) return refuse(s, '过期下线');
      return ok({ ...s, status: 'expired', reviewLevel: 0, liveVersion: null });
    }
    case 'delete': {
      if (!neverWentLive(s)) return fail('invalid_transition', '条目发布过，不能删除；如需下线请撤下', { status: s.status });
      return ok(s);
    }
  }
}
