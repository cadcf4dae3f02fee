import { describe, expect, it } from 'vitest';
import { diffFields } from './diff.js';
import type { ArticleFields } from './schema.js';

const v1: ArticleFields = {
  title: '关于做好2026年春节期间安全生产工作的通知',
  subtitle: '',
  summary: '',
  body: '<p>第一段。</p><p>第二段。</p>',
  source: '应急管理局',
  author: '',
  publishAt: null,
  effectiveAt: null,
  expiresAt: null,
  coverMediaId: null,
  coverAlt: '',
  tags: ['安全生产'],
  attachmentIds: [],
};

describe('diffFields', () => {
  it('lists only changed fields, Chinese text diffed by words', () => {
    const v2 = { ...v1, title: '关于做好2026年元旦期间安全生产工作的紧急通知' };
    const d = diffFields(v1, v2);
    expect(d.map((f) => f.field)).toEqual(['title']);
    expect(d[0]!.changes).toEqual([
      { value: '关于做好2026年' },
      { removed: true, value: '春节' },
      { added: true, value: '元旦' },
      { value: '期间安全生产工作的' },
      { added: true, value: '紧急' },
      { value: '通知' },
    ]);
  });

  it('diffs the body as lines of text and flags markup changes separately', () => {
    const textChange = diffFields(v1, { ...v1, body: '<p>第一段。</p><p>第二段（修订）。</p>' })[0]!;
    expect(textChange).toMatchObject({ field: 'body', markupChanged: false });
    expect(textChange.changes).toEqual([{ value: '第一段。\n' }, { removed: true, value: '第二段。\n' }, { added: true, value: '第二段（修订）。\n' }]);
    const markupOnly = diffFields(v1, { ...v1, body: '<p>第一段。</p><p><strong>第二段。</strong></p>' })[0]!;
    expect(markupOnly).toMatchObject({ field: 'body', markupChanged: true, changes: [{ value: '第一段。\n第二段。' }] });
  });

  it('shows old and new values of the other fields', () => {
    const d = diffFields(v1, { ...v1, tags: ['安全生产', '春节'], expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(d).toEqual([
      { field: 'expiresAt', changes: [{ added: true, value: '2027-01-01T00:00:00.000Z' }] },
      { field: 'tags', changes: [{ removed: true, value: '安全生产' }, { added: true, value: '安全生产、春节' }] },
    ]);
  });
});
