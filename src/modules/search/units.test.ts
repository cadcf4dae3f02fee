/** Pure parts of search, table-driven: segmentation, query plans, engine syntax, snippets, ids, ranking, typos, masking. */
import { describe, expect, it } from 'vitest';
import { beijingDay, dateDay, dayDate, decodeId, documentId } from './documents.js';
import { corrections } from './queries/didYouMean.js';
import { withoutBlocked } from './queries/hot.js';
import { relax } from './queries/search.js';
import { buildSynonymMap, fts5Match, planQuery, tsQuery } from './query.js';
import { maskQuery } from './querylog.js';
import { candidateScore, authorityOf, recencyOf } from './ranking.js';
import { countCap, strategyOf, titleShare, totalOf } from './engine/strategy.js';
import { Segmenter, normalise, toSimplified } from './segment.js';
import { highlight, snippet } from './snippet.js';
import { htmlText } from './text.js';

const seg = new Segmenter(['一网通办', '人社局', '公积金', '社保卡']);
const syn = buildSynonymMap([['社保', '社会保险'], ['公积金', '住房公积金'], ['人社局', '人力资源和社会保障局']], normalise);

describe('segmentation', () => {
  it.each([
    ['示范市人力资源和社会保障局发布社会保险缴费通知', ['人力资源', '社会保险', '保障局', '缴费']],
    ['“一网通办”政务服务', ['一网通办', '政务', '服务']],
    ['住房公积金提取', ['住房', '公积金', '提取']],
    ['ＡＢＣ－１２３ COVID19', ['abc', '123', 'covid19']],
  ])('indexes %s with the words a query may use', (text, words) => {
    const tokens = seg.indexTokens(text);
    for (const w of words) expect(tokens).toContain(w);
  });

  it('never makes a token of punctuation, symbols, emoji or query syntax', () => {
    const tokens = seg.indexTokens('"NEAR(a b)" * ^ AND OR ( \\ :: \'x\' & | ! <-> 😀，。、《》');
    for (const t of tokens) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
    expect(tokens).not.toContain('😀');
  });

  it('keeps a long custom term findable by its base sub-words', () => {
    const s = new Segmenter(['人力资源和社会保障局']);
    const tokens = s.indexTokens('示范市人力资源和社会保障局');
    expect(tokens).toContain('人力资源和社会保障局');
    expect(tokens).toContain('人力资源');
    expect(tokens).toContain('保障局');
  });

  it.each([
    ['社保卡怎么办理', ['社保卡', '办理']],
    ['请问如何提取公积金？', ['提取', '公积金']],
    ['示范市教育局', ['示范', '教育局']],
    ['的', []],
  ])('cuts the query %s into %j', (q, words) => {
    expect(seg.queryWords(q)).toEqual(words);
  });

  it('reads Traditional characters as Simplified', () => {
    expect(toSimplified('社會保險')).toBe('社会保险');
    expect(seg.queryWords('住房公積金')).toEqual(['住房', '公积金']);
  });

  it.each([
    ['社会保障', ['社会', '保障']],
    ['许可证', ['许可']],
    ['社保', []],
    ['abc', []],
  ])('gives the sub-words of %s', (w, parts) => {
    expect(seg.parts(w)).toEqual(expect.arrayContaining(parts));
    if (parts.length === 0) expect(seg.parts(w)).toEqual([]);
  });
});

describe('query plans', () => {
  it('expands a word by its synonyms and sub-words, and ANDs the words', () => {
    const plan = planQuery('社保 缴费', seg, syn);
    expect(plan.words).toEqual(['社保', '缴费']);
    expect(plan.groups[0]!.alternatives).toEqual(expect.arrayContaining([['社保'], ['社会保险']]));
    expect(plan.groups[0]!.alternatives.some((a) => a.join() === '社会,保险')).toBe(true);
    expect(plan.highlights[0]!.whole).toEqual(expect.arrayContaining(['社保', '社会保险']));
    expect(plan.highlights[0]!.parts).toContainEqual(['社会', '保险']);
    expect(plan.highlights[1]!.whole).toContain('缴费');
  });

  it('expands an abbreviation to the full name, cut into words', () => {
    const plan = planQuery('人社局', seg, syn);
    expect(plan.groups[0]!.alternatives[0]).toEqual(['人社局']);
    expect(plan.groups[0]!.alternatives.slice(1).flat()).toEqual(expect.arrayContaining(['人力资源', '社会']));
  });

  it('compiles to FTS5 with every token quoted and to tsquery with every lexeme quoted', () => {
    const plan = planQuery('社保 缴费', seg, syn);
    expect(fts5Match(plan)).toBe('{title body} : (("社保" OR "社会保险" OR ("社会" AND "保险")) AND ("缴费"))');
    expect(fts5Match(plan, { facets: ['s3', 'tarticle'] })).toBe(`(${fts5Match(plan)}) AND facets : "s3" AND facets : "tarticle"`);
    expect(tsQuery(plan)).toBe("('社保' | '社会保险' | ('社会' & '保险')) & ('缴费')");
    expect(tsQuery(plan, { titleOnly: true, prefixLast: true })).toBe("('社保':A | '社会保险':A | ('社会':A & '保险':A)) & ('缴费':*A)");
  });

  it.each(['"', "'", '*', 'NEAR(', ')', '\\', '^', '&', '|', '!', '<->', '-'])('leaves no %s operator in either syntax', (op) => {
    const plan = planQuery(`社保${op}缴费${op}`, seg, syn);
    const strip = (s: string) => s.replace(/"[^"]*"/g, '').replace(/'[^']*'/g, '');
    expect(strip(fts5Match(plan)!)).not.toContain(op === 'NEAR(' ? 'NEAR' : op.replace(/[()]/g, 'x'));
    for (const g of plan.groups) for (const a of g.alternatives) for (const t of a) expect(t).toMatch(/^[\p{L}\p{N}]+$/u);
  });

  it('has nothing to look for in a query of symbols', () => {
    expect(planQuery('😀 *** ???', seg, syn).groups).toEqual([]);
    expect(fts5Match({ groups: [] })).toBeNull();
    expect(tsQuery({ groups: [] })).toBeNull();
  });

  it('limits a pasted paragraph to eight words', () => {
    expect(planQuery('教育 卫生 交通 环境 市场 住房 医疗 社会 文化 旅游', seg, syn).groups).toHaveLength(8);
  });

  it('relaxes every word to any word', () => {
    const r = relax(planQuery('退休 工资 多少', seg, syn));
    expect(r.groups).toHaveLength(1);
    expect(fts5Match(r)).toContain(' OR ');
  });
});

describe('snippets', () => {
  it('escapes everything but the <em> marks', () => {
    expect(highlight('<b>社保</b> & "缴费"', ['社保', '缴费'])).toBe('&lt;b&gt;<em>社保</em>&lt;/b&gt; &amp; &quot;<em>缴费</em>&quot;');
  });

  it('shows the densest window around the hits and marks the cuts', () => {
    const text = `${'无关的开头文字。'.repeat(40)}办理社保卡需要身份证。${'无关的结尾文字。'.repeat(40)}`;
    const s = snippet(text, ['社保卡', '身份证'], 60);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<em>社保卡</em>');
    expect(s).toContain('<em>身份证</em>');
  });

  it("marks a word's sub-words only in a text without the word itself, word by word", () => {
    const groups = planQuery('社保 缴费', seg, syn).highlights;
    // 社会保险 is there: its 社会 in 社会治理 is not a hit.
    expect(highlight('社会保险缴费与社会治理', groups)).toBe('<em>社会保险</em><em>缴费</em>与社会治理');
    // Matched by its parts only (社会 … 保险): the parts are what is marked.
    expect(highlight('社会治理和养老保险缴费', groups)).toBe('<em>社会</em>治理和养老<em>保险</em><em>缴费</em>');
    expect(snippet('新闻。社会治理和养老保险', [{ whole: ['社会保险'], parts: [['社会', '保险']] }])).toBe('新闻。<em>社会</em>治理和养老<em>保险</em>');
    // Half a set is not how the search matched: 养老保险 alone marks nothing of 社会保险.
    expect(highlight('养老保险关系转移', groups)).toBe('养老保险关系转移');
  });

  it('prefers the longer word where hits overlap, and is the start of the text without hits', () => {
    expect(highlight('社会保险', ['社会', '社会保险'])).toBe('<em>社会保险</em>');
    expect(snippet('第一段。第二段。', ['不存在'])).toBe('第一段。第二段。');
  });

  it('reads text from the sanitised HTML', () => {
    expect(htmlText('<p>一&amp;二</p><table><tr><td>甲</td><td>乙</td></tr></table><p>&#x4e09;&nbsp;四</p>')).toBe('一&二\n甲 乙\n三 四');
  });
});

describe('document ids, dates and ranking', () => {
  it.each([
    [0, false, 'article', 1],
    [20_000, true, 'disclosure', 2_147_483_647],
    [131_071, false, 'faq', 42],
  ] as const)('encodes and decodes day %d, portal %s, %s %d', (day, isPortal, type, sourceId) => {
    const id = documentId(day, isPortal, type, sourceId);
    expect(Number.isSafeInteger(id)).toBe(true);
    expect(decodeId(id)).toEqual({ day, isPortal, type, sourceId });
  });

  it('orders ids by day first', () => {
    expect(documentId(100, false, 'article', 2_000_000)).toBeLessThan(documentId(101, false, 'article', 1));
    expect(() => documentId(1, false, 'article', 0)).toThrow();
  });

  it('counts days in Beijing time', () => {
    expect(dayDate(beijingDay('2026-11-19T16:30:00Z'))).toBe('2026-11-20');
    expect(dayDate(beijingDay('2026-11-19T15:30:00Z'))).toBe('2026-11-19');
    expect(dateDay('2026-11-20')).toBe(beijingDay('2026-11-20T00:00:00+08:00'));
  });

  it('boosts the portal and disclosure, and fades with age', () => {
    expect(authorityOf({ isPortal: true, type: 'article' })).toBeGreaterThan(authorityOf({ isPortal: false, type: 'article' }));
    expect(authorityOf({ isPortal: false, type: 'disclosure' })).toBeGreaterThan(1);
    expect(recencyOf(0)).toBeCloseTo(1.5);
    expect(recencyOf(90)).toBeCloseTo(1.25);
    expect(recencyOf(3650)).toBeLessThan(1.02);
  });

  it('scores a very common query’s candidates by the share of its words in the title, authority and age', () => {
    const doc = { isPortal: false, type: 'article', day: 100 };
    expect(candidateScore(doc, 1, 100)).toBeCloseTo(9 * 1.5);
    expect(candidateScore(doc, 0, 100)).toBeCloseTo(1.5);
    // A title with the words beats a portal page of today without them, even a year older.
    expect(candidateScore({ ...doc, day: 0 }, 1, 365)).toBeGreaterThan(candidateScore({ ...doc, isPortal: true, day: 365 }, 0, 365));
    const plan = planQuery('社保 缴费', seg, syn);
    expect(titleShare('社会保险缴费基数调整', plan.groups)).toBe(1);
    expect(titleShare('关于社保卡的通知', plan.groups)).toBe(0.5);
    expect(titleShare('ＳＨＥＢＡＯ 工作', planQuery('shebao', seg, syn).groups)).toBe(1);
    expect(titleShare('工作动态', plan.groups)).toBe(0);
  });

  it.each([
    [{ count: 10, fullRank: 5, candidates: 3 }, 4, 'full', { total: 4, totalIsLowerBound: false }],
    [{ count: 10, fullRank: 5, candidates: 3 }, 6, 'candidates', { total: 6, totalIsLowerBound: false }],
    [{ count: 10, fullRank: 5, candidates: 3 }, 11, 'candidates', { total: 10, totalIsLowerBound: true }],
  ] as const)('with limits %j, %i counted matches are ranked as %s', (limits, counted, strategy, total) => {
    const q = { plan: { groups: [] }, sort: 'relevance' as const, offset: 0, limit: 10, today: 0, limits };
    expect(countCap(q)).toBe(11);
    expect(strategyOf(q, counted)).toBe(strategy);
    expect(totalOf(q, counted)).toEqual(total);
    expect(strategyOf({ ...q, sort: 'date' }, counted)).toBe('date');
    expect(strategyOf({ ...q, noTotal: true }, null)).toBe('candidates');
  });
});

describe('did you mean, masking and the blocklist', () => {
  it.each([
    ['公基金提取', ['公积金'], '公积金提取'],
    ['社会保检', ['社会保险'], '社会保险'],
    ['人社局', ['人社局'], undefined],
    ['社宝', ['社保'], undefined],
  ])('corrects %s', (q, vocab, want) => {
    expect(corrections(q, vocab)[0]).toBe(want);
  });

  it('masks personal numbers before logging', () => {
    expect(maskQuery('身份证 330102199001011234 查询')).toBe('身份证 ****************** 查询');
    expect(maskQuery('电话 13812345678')).toBe('电话 ***********');
    expect(maskQuery('2026年 12345')).toBe('2026年 12345');
  });

  it('keeps blocked words off the hot list', () => {
    expect(withoutBlocked([{ q: '社保', count: 3 }, { q: '某某丑闻', count: 9 }], ['丑闻']).map((h) => h.q)).toEqual(['社保']);
  });
});
