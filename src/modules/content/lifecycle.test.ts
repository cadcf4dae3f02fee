import { describe, expect, it } from 'vitest';
import { type Action, type ActionType, type ArticleState, syndicationTransition, transition } from './lifecycle.js';
import type { ArticleStatus } from './tables.js';

const now = new Date('2026-11-20T02:00:00.000Z');
const PAST = '2026-01-01T00:00:00.000Z';
const FUTURE = '2026-12-01T00:00:00.000Z';

/** A typical article in each status (never live unless the status says so). */
const BASE: Record<ArticleStatus, ArticleState> = {
  draft: { status: 'draft', reviewLevel: 0, version: 1, approvedVersion: null, liveVersion: null, publishedAt: null, publishAt: null, expiresAt: null },
  returned: { status: 'returned', reviewLevel: 0, version: 2, approvedVersion: null, liveVersion: null, publishedAt: null, publishAt: null, expiresAt: null },
  submitted: { status: 'submitted', reviewLevel: 1, version: 2, approvedVersion: null, liveVersion: null, publishedAt: null, publishAt: null, expiresAt: null },
  approved: { status: 'approved', reviewLevel: 0, version: 2, approvedVersion: 2, liveVersion: null, publishedAt: null, publishAt: FUTURE, expiresAt: null },
  published: { status: 'published', reviewLevel: 0, version: 3, approvedVersion: 3, liveVersion: 3, publishedAt: PAST, publishAt: null, expiresAt: null },
  withdrawn: { status: 'withdrawn', reviewLevel: 0, version: 3, approvedVersion: 3, liveVersion: null, publishedAt: PAST, publishAt: null, expiresAt: null },
  expired: { status: 'expired', reviewLevel: 0, version: 3, approvedVersion: 3, liveVersion: null, publishedAt: PAST, publishAt: null, expiresAt: null },
};

const ACTIONS: Record<ActionType, Action> = {
  edit: { type: 'edit' },
  submit: { type: 'submit' },
  approve: { type: 'approve', level: 1 },
  return: { type: 'return', level: 1, comment: '请补充发文依据' },
  publish: { type: 'publish' },
  schedule: { type: 'schedule', at: '2026-11-25T00:00:00.000Z' },
  withdraw: { type: 'withdraw', reason: '内容有误' },
  expire: { type: 'expire' },
  delete: { type: 'delete' },
};

// Y: allowed, N: refused. Rows: status; columns in the order of ACTIONS.
const MATRIX: Record<ArticleStatus, string> = {
  //          edit submit approve return publish schedule withdraw expire delete
  draft:     'Y    Y      N       N      N       N        N        N      Y',
  returned:  'Y    Y      N       N      N       N        N        N      Y',
  submitted: 'N    N      Y       Y      N       N        Y        N      Y',
  approved:  'Y    N      N       N      Y       Y        Y        N      Y',
  published: 'Y    N      N       N      N       N        Y        Y      N',
  withdrawn: 'Y    Y      N       N      N       N        N        N      N',
  expired:   'Y    Y      N       N      N       N        N        N      N',
};

const cases = (Object.keys(MATRIX) as ArticleStatus[]).flatMap((status) => {
  const flags = MATRIX[status].split(/\s+/);
  return (Object.keys(ACTIONS) as ActionType[]).map((action, i) => ({ status, action, allowed: flags[i] === 'Y' }));
});

describe('article lifecycle: every (status, action) pair', () => {
  it('covers 7 statuses × 9 actions', () => expect(cases).toHaveLength(63));

  it.each(cases)('$status + $action → allowed: $allowed', ({ status, action, allowed }) => {
    const r = transition(BASE[status], ACTIONS[action], { now, levels: 2 });
    expect(r.ok).toBe(allowed);
    if (!r.ok) expect(['invalid_transition', 'validation_failed']).toContain(r.code);
  });
});

describe('article lifecycle: outcomes', () => {
  const env = { now, levels: 2 };

  it('submit with 0 review levels approves at once, recording the approved version', () => {
    const r = transition(BASE.draft, { type: 'submit' }, { now, levels: 0 });
    expect(r.ok && r.value).toMatchObject({ status: 'approved', approvedVersion: 1, reviewLevel: 0 });
  });

  it('submit with levels starts at level 1', () => {
    const r = transition(BASE.returned, { type: 'submit' }, env);
    expect(r.ok && r.value).toMatchObject({ status: 'submitted', reviewLevel: 1 });
  });

  it('approve below the last level moves to the next level; at the last it approves this version', () => {
    const l1 = transition(BASE.submitted, { type: 'approve', level: 1 }, env);
    expect(l1.ok && l1.value).toMatchObject({ status: 'submitted', reviewLevel: 2, approvedVersion: null });
    const l2 = transition(l1.ok ? l1.value : BASE.submitted, { type: 'approve', level: 2 }, env);
    expect(l2.ok && l2.value).toMatchObject({ status: 'approved', reviewLevel: 0, approvedVersion: 2 });
  });

  it('refuses a decision for another level than the one waiting', () => {
    const r = transition(BASE.submitted, { type: 'approve', level: 2 }, env);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toContain('第 1 级');
  });

  it('treats the current level as the last when the column lost levels since submission', () => {
    const atThree = { ...BASE.submitted, reviewLevel: 3 };
    const r = transition(atThree, { type: 'approve', level: 3 }, { now, levels: 1 });
    expect(r.ok && r.value.status).toBe('approved');
  });

  it('return needs a comment of at most 1000 characters', () => {
    expect(transition(BASE.submitted, { type: 'return', level: 1, comment: '  ' }, env)).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(transition(BASE.submitted, { type: 'return', level: 1, comment: 'x'.repeat(1001) }, env)).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(transition(BASE.submitted, { type: 'return', level: 1, comment: '标题有误' }, env)).toMatchObject({ ok: true, value: { status: 'returned', reviewLevel: 0 } });
  });

  it('editing an approved article sends it back to draft with a new version', () => {
    const r = transition(BASE.approved, { type: 'edit' }, env);
    expect(r.ok && r.value).toMatchObject({ status: 'draft', version: 3, approvedVersion: 2 });
  });

  it('editing a published article keeps the live version public', () => {
    const r = transition(BASE.published, { type: 'edit' }, env);
    expect(r.ok && r.value).toMatchObject({ status: 'draft', version: 4, liveVersion: 3, publishedAt: PAST });
  });

  it('editing a returned draft keeps it returned until resubmitted', () => {
    const r = transition(BASE.returned, { type: 'edit' }, env);
    expect(r.ok && r.value).toMatchObject({ status: 'returned', version: 3 });
  });

  it('publish makes the current version live and keeps the first publication time', () => {
    const first = transition(BASE.approved, { type: 'publish' }, env);
    expect(first.ok && first.value).toMatchObject({ status: 'published', liveVersion: 2, publishedAt: now.toISOString() });
    const revision = { ...BASE.approved, version: 5, approvedVersion: 5, liveVersion: 3, publishedAt: PAST };
    const again = transition(revision, { type: 'publish' }, env);
    expect(again.ok && again.value).toMatchObject({ liveVersion: 5, publishedAt: PAST });
  });

  it('refuses to publish an approval given to an older version', () => {
    expect(transition({ ...BASE.approved, approvedVersion: 1 }, { type: 'publish' }, env).ok).toBe(false);
  });

  it('refuses to publish or submit once the expiry time has passed', () => {
    expect(transition({ ...BASE.approved, expiresAt: PAST }, { type: 'publish' }, env).ok).toBe(false);
    expect(transition({ ...BASE.draft, expiresAt: PAST }, { type: 'submit' }, env).ok).toBe(false);
  });

  it('schedule needs a future time before the expiry', () => {
    expect(transition(BASE.approved, { type: 'schedule', at: PAST }, env)).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(transition({ ...BASE.approved, expiresAt: '2026-11-21T00:00:00.000Z' }, { type: 'schedule', at: '2026-11-22T00:00:00.000Z' }, env).ok).toBe(false);
    expect(transition(BASE.approved, { type: 'schedule', at: FUTURE }, env)).toMatchObject({ ok: true, value: { publishAt: FUTURE, status: 'approved' } });
  });

  it('withdraw takes a live article offline, and recalls one in review to draft', () => {
    expect(transition(BASE.published, { type: 'withdraw', reason: '过时' }, env)).toMatchObject({ ok: true, value: { status: 'withdrawn', liveVersion: null } });
    expect(transition(BASE.submitted, { type: 'withdraw', reason: '撤回修改' }, env)).toMatchObject({ ok: true, value: { status: 'draft', reviewLevel: 0 } });
    expect(transition(BASE.published, { type: 'withdraw', reason: ' ' }, env)).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('a live article with a revision in progress can still be withdrawn or expire, never deleted', () => {
    const revising = { ...BASE.draft, version: 4, approvedVersion: 3, liveVersion: 3, publishedAt: PAST };
    expect(transition(revising, { type: 'withdraw', reason: '撤稿' }, env)).toMatchObject({ ok: true, value: { status: 'withdrawn', liveVersion: null } });
    expect(transition(revising, { type: 'expire' }, env)).toMatchObject({ ok: true, value: { status: 'expired', liveVersion: null, version: 4 } });
    expect(transition(revising, { type: 'delete' }, env).ok).toBe(false);
  });
});

describe('syndication review', () => {
  const pending = { status: 'pending' as const, reviewLevel: 1 };

  it('needs at least one target review even when the target column has none', () => {
    expect(syndicationTransition(pending, { type: 'approve', level: 1 }, { levels: 0, sourceLive: true })).toMatchObject({ ok: true, value: { status: 'published' } });
  });

  it('goes level by level, then waits for its source to go live', () => {
    const l1 = syndicationTransition(pending, { type: 'approve', level: 1 }, { levels: 2, sourceLive: false });
    expect(l1).toMatchObject({ ok: true, value: { status: 'pending', reviewLevel: 2 } });
    const l2 = syndicationTransition({ status: 'pending', reviewLevel: 2 }, { type: 'approve', level: 2 }, { levels: 2, sourceLive: false });
    expect(l2).toMatchObject({ ok: true, value: { status: 'approved' } });
  });

  it('returns with a comment only, and may be requested again once returned or withdrawn', () => {
    expect(syndicationTransition(pending, { type: 'return', level: 1, comment: '' }, { levels: 1, sourceLive: true }).ok).toBe(false);
    expect(syndicationTransition(pending, { type: 'return', level: 1, comment: '不适合门户' }, { levels: 1, sourceLive: true })).toMatchObject({ ok: true, value: { status: 'returned' } });
    expect(syndicationTransition({ status: 'returned', reviewLevel: 1 }, { type: 'request' }, { levels: 1, sourceLive: true }).ok).toBe(true);
    expect(syndicationTransition({ status: 'published', reviewLevel: 1 }, { type: 'request' }, { levels: 1, sourceLive: true }).ok).toBe(false);
    expect(syndicationTransition({ status: 'withdrawn', reviewLevel: 1 }, { type: 'withdraw' }, { levels: 1, sourceLive: true }).ok).toBe(false);
  });
});
