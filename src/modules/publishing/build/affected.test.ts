import { describe, expect, it } from 'vitest';
import { type EventFacts, type ItemRef, groupsOfItem, neighbourGroups, touchesOf } from './affected.js';
import type { ColumnInfo, Item } from './data.js';

const T = (h: number) => `2026-11-20T${String(h).padStart(2, '0')}:00:00.000Z`;

/** A column's list, newest first: articles 1..n published at hours n..1 (article k at hour k). */
function seq(n: number, extra: Partial<Item>[] = []): Item[] {
  const items: Item[] = Array.from({ length: n }, (_, i) => {
    const id = n - i;
    return { kind: 'article', articleId: id, syndicationId: null, columnId: 9, siteId: 1, time: T(id), title: `t${id}`, summary: '', source: '', cover: null, fromSiteId: null, url: `/a/${id}` };
  });
  for (const e of extra) items.push({ ...items[0]!, ...e } as Item);
  return items.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : b.articleId - a.articleId));
}

const article = { id: 7, siteId: 1, columnId: 9, publishedAt: T(7), placements: [{ id: 50, siteId: 2, columnId: 20, publishedAt: T(8) }] };

describe('touchesOf: what an event touched', () => {
  const table: { event: string; payload: Record<string, unknown>; facts: EventFacts; expected: unknown[] }[] = [
    {
      event: 'article.published',
      payload: { id: 7, siteId: 1, columnId: 9 },
      facts: { article },
      expected: [
        { kind: 'item', item: { group: 'article:7', siteId: 1, columnId: 9, time: T(7), articleId: 7 } },
        { kind: 'item', item: { group: 'placement:50', siteId: 2, columnId: 20, time: T(8), articleId: 7 } },
      ],
    },
    {
      event: 'article.withdrawn',
      payload: { id: 7, siteId: 1, columnId: 9 },
      facts: { article: { ...article, placements: [] } },
      expected: [{ kind: 'item', item: { group: 'article:7', siteId: 1, columnId: 9, time: T(7), articleId: 7 } }],
    },
    {
      event: 'article.expired',
      payload: { id: 7, siteId: 1, columnId: 4 },
      facts: { article: { ...article, placements: [] } },
      expected: [
        { kind: 'item', item: { group: 'article:7', siteId: 1, columnId: 4, time: T(7), articleId: 7 } },
        { kind: 'item', item: { group: 'article:7', siteId: 1, columnId: 9, time: T(7), articleId: 7 } },
      ],
    },
    {
      event: 'article.moved',
      payload: { id: 7, siteId: 1, fromColumnId: 3, toColumnId: 9 },
      facts: { article, redirects: ['redirect:/a/old.html'] },
      expected: [
        { kind: 'item', item: { group: 'article:7', siteId: 1, columnId: 3, time: T(7), articleId: 7 } },
        { kind: 'item', item: { group: 'article:7', siteId: 1, columnId: 9, time: T(7), articleId: 7 } },
        { kind: 'group', name: 'placement:50' },
        { kind: 'group', name: 'redirect:/a/old.html' },
      ],
    },
    {
      event: 'syndication.published',
      payload: { id: 50, articleId: 7, siteId: 2, columnId: 20 },
      facts: { syndication: { id: 50, articleId: 7, siteId: 2, columnId: 20, publishedAt: T(8) } },
      expected: [{ kind: 'item', item: { group: 'placement:50', siteId: 2, columnId: 20, time: T(8), articleId: 7 } }],
    },
    {
      event: 'syndication.withdrawn',
      payload: { id: 50, articleId: 7, siteId: 2, columnId: 20 },
      facts: { syndication: { id: 50, articleId: 7, siteId: 2, columnId: 20, publishedAt: null } },
      expected: [{ kind: 'group', name: 'placement:50' }],
    },
    { event: 'template.changed', payload: { siteId: 3, name: 'article' }, facts: {}, expected: [{ kind: 'site', siteId: 3 }] },
    { event: 'site.updated', payload: { siteId: 3, changed: ['settings'] }, facts: {}, expected: [{ kind: 'site', siteId: 3 }] },
    { event: 'site.updated', payload: { siteId: 3, changed: ['settings', 'name'] }, facts: {}, expected: [{ kind: 'cluster' }] },
    { event: 'site.updated', payload: { siteId: 3 }, facts: {}, expected: [{ kind: 'cluster' }] },
    { event: 'site.updated', payload: { siteId: 3, changed: ['code'], fromCode: 'old' }, facts: { redirects: ['redirect:/old/'] }, expected: [{ kind: 'cluster' }, { kind: 'group', name: 'redirect:/old/' }] },
    {
      event: 'column.updated',
      payload: { siteId: 1, columnId: 9, fromPath: 'xw' },
      facts: { placementsFromSite: [50, 51], redirects: ['redirect:/jyj/xw/'] },
      expected: [{ kind: 'site', siteId: 1 }, { kind: 'group', name: 'placement:50' }, { kind: 'group', name: 'placement:51' }, { kind: 'group', name: 'redirect:/jyj/xw/' }],
    },
    { event: 'column.created', payload: { siteId: 1, columnId: 12 }, facts: {}, expected: [{ kind: 'site', siteId: 1 }] },
    { event: 'column.deleted', payload: { siteId: 1, columnId: 12 }, facts: {}, expected: [{ kind: 'site', siteId: 1 }] },
    { event: 'column.moved', payload: { siteId: 1, columnId: null }, facts: {}, expected: [{ kind: 'site', siteId: 1 }] },
    // Malformed payloads touch nothing rather than everything by accident.
    { event: 'article.published', payload: { id: 'x' }, facts: {}, expected: [] },
    { event: 'template.changed', payload: { siteId: -1 }, facts: {}, expected: [] },
    { event: 'something.else', payload: { siteId: 1 }, facts: {}, expected: [] },
  ];
  for (const row of table) {
    it(`${row.event} ${JSON.stringify(row.payload)}`, () => {
      expect(touchesOf(row.event, row.payload, row.facts)).toEqual(row.expected);
    });
  }
  it('a never-published article touches only its own group', () => {
    expect(touchesOf('article.withdrawn', { id: 7 }, { article: { ...article, publishedAt: null, placements: [] } })).toEqual([{ kind: 'group', name: 'article:7' }]);
  });
});

describe('neighbourGroups: the pages whose related items and previous/next links an item is', () => {
  it('takes five newer and five older items around a changed one', () => {
    // Article 10 of 20 (articles 1..20, newest first: 20, 19 … 1).
    expect(neighbourGroups(seq(20), T(10), 10)).toEqual(['article:15', 'article:14', 'article:13', 'article:12', 'article:11', 'article:9', 'article:8', 'article:7', 'article:6', 'article:5']);
  });
  it('finds the place of an item that has left the list', () => {
    const without = seq(20).filter((x) => x.articleId !== 10);
    expect(neighbourGroups(without, T(10), 10)).toEqual(['article:16', 'article:15', 'article:14', 'article:13', 'article:12', 'article:11', 'article:9', 'article:8', 'article:7', 'article:6', 'article:5']);
  });
  it('at the ends of the list takes what there is', () => {
    expect(neighbourGroups(seq(3), T(3), 3)).toEqual(['article:2', 'article:1']);
    expect(neighbourGroups(seq(3), T(1), 1)).toEqual(['article:3', 'article:2']);
    expect(neighbourGroups([], T(1), 1)).toEqual([]);
  });
  it('names placements by their syndication', () => {
    const s = seq(2, [{ kind: 'placement', articleId: 99, syndicationId: 5, time: T(1) }]);
    expect(neighbourGroups(s, T(2), 2)).toContain('placement:5');
  });
  it('orders equal times by article id, so a tie is found on the right side', () => {
    const s = seq(3).map((x) => ({ ...x, time: T(5) }));
    expect(neighbourGroups(s, T(5), 2)).toEqual(['article:3', 'article:1']);
  });
});

describe('groupsOfItem: what an item touch re-renders', () => {
  const col = (id: number, kind: ColumnInfo['kind']) => ({ id, kind });
  const item: ItemRef = { group: 'article:7', siteId: 1, columnId: 9, time: T(7), articleId: 7 };

  it('its page, its column and every listing ancestor with their feeds, the home page, the site maps and its neighbours', () => {
    const groups = groupsOfItem(item, [col(9, 'list'), col(5, 'page'), col(4, 'list'), col(3, 'disclosure')], seq(8));
    expect(groups).toEqual([
      'article:7',
      'site:1:home',
      'site:1:sitemap',
      'column:9',
      'column:9:more',
      'column:9:rss',
      'column:4',
      'column:4:more',
      'column:4:rss',
      'column:3',
      'column:3:more',
      'column:3:rss',
      'article:8',
      'article:6',
      'article:5',
      'article:4',
      'article:3',
      'article:2',
    ]);
  });
  it("a page column's article touches its page but no ancestor list", () => {
    expect(groupsOfItem(item, [col(9, 'page'), col(4, 'list')], [])).toEqual(['article:7', 'site:1:home', 'site:1:sitemap', 'column:9']);
  });
  it('an item in a column that no longer exists still re-renders its own page and the site pages', () => {
    expect(groupsOfItem(item, [], [])).toEqual(['article:7', 'site:1:home', 'site:1:sitemap']);
  });
});
