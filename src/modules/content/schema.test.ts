import { describe, expect, it } from 'vitest';
import { CreateArticleInput, ReviewInput, UpdateArticleInput } from './schema.js';

const issuesOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);

describe('article input schemas (independent of the HTTP layer’s own guard)', () => {
  it('refuses lone surrogates and control characters in text and body', () => {
    expect(issuesOf(CreateArticleInput.safeParse({ columnId: 1, title: '示范\uD800' }))).toEqual(['title: 标题含有无效的文字编码（不完整的 Unicode 字符）']);
    expect(issuesOf(CreateArticleInput.safeParse({ columnId: 1, title: 't', body: '<p>\uDC00</p>' }))[0]).toMatch(/^body: 正文含有无效的文字编码/);
    expect(issuesOf(CreateArticleInput.safeParse({ columnId: 1, title: 'a\u0007b' }))).toEqual(['title: 标题不能包含控制字符']);
    expect(CreateArticleInput.safeParse({ columnId: 1, title: 't', summary: '第一行\n第二行' }).success).toBe(true);
  });

  it('sanitises the body while parsing', () => {
    const r = CreateArticleInput.parse({ columnId: 1, title: ' 标题 ', body: '<p onclick="x">正文</p><script>x</script>' });
    expect(r).toMatchObject({ title: '标题', body: '<p>正文</p>' });
  });

  it('checks dates against each other and the cover alt', () => {
    expect(issuesOf(CreateArticleInput.safeParse({ columnId: 1, title: 't', effectiveAt: '2026-12-01T00:00:00+08:00', expiresAt: '2026-11-30T16:00:00Z' }))).toEqual([
      'expiresAt: 失效时间必须晚于生效时间',
    ]);
    expect(issuesOf(CreateArticleInput.safeParse({ columnId: 1, title: 't', coverMediaId: 3, coverAlt: '' }))).toEqual(['coverAlt: 设置封面图片时必须填写替代文本（alt）']);
    expect(CreateArticleInput.parse({ columnId: 1, title: 't', publishAt: '2026-12-01T08:00:00+08:00' }).publishAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('bounds tags and attachments', () => {
    expect(CreateArticleInput.parse({ columnId: 1, title: 't', tags: ['教育', '教育', '开学'] }).tags).toEqual(['教育', '开学']);
    expect(CreateArticleInput.safeParse({ columnId: 1, title: 't', tags: ['一二三四五六七八九十一二三四五六七八九十一'] }).success).toBe(false);
    expect(CreateArticleInput.safeParse({ columnId: 1, title: 't', attachmentIds: [1, 1] }).success).toBe(false);
    expect(CreateArticleInput.safeParse({ columnId: 1, title: 't', attachmentIds: Array.from({ length: 51 }, (_, i) => i + 1) }).success).toBe(false);
  });

  it('an update names its base version and changes something', () => {
    expect(UpdateArticleInput.safeParse({ title: 'x' }).success).toBe(false);
    expect(UpdateArticleInput.safeParse({ baseVersion: 2 }).success).toBe(false);
    expect(UpdateArticleInput.safeParse({ baseVersion: 2, publishAt: null }).success).toBe(true);
  });

  it('a return needs a comment', () => {
    expect(issuesOf(ReviewInput.safeParse({ decision: 'return' }))).toEqual(['comment: 退回时必须填写审核意见']);
    expect(ReviewInput.parse({ decision: 'approve' })).toEqual({ decision: 'approve', comment: '' });
  });
});
