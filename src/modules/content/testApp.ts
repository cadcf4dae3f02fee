import { type TestApp, makeColumn, makeSite, makeUser } from '../../../test/helpers.js';

/** Fixtures shared by the content tests: a small cluster with editors and reviewers. Test-only. */
export interface ColumnFixture {
  id: number;
  idPath: string;
  path: string;
}

/** A small cluster: two department sites and the portal, with columns and the people who work on them. */
export interface Cluster {
  jyj: number;
  wsj: number;
  www: number;
  col: {
    /** jyj, two review levels. */
    tzgg: ColumnFixture;
    /** jyj, one review level. */
    xwzx: ColumnFixture;
    /** jyj, no review. */
    free: ColumnFixture;
    /** jyj, a link column (holds no articles). */
    link: ColumnFixture;
    /** wsj, one review level. */
    wsjNews: ColumnFixture;
    /** portal list column receiving pushes, one review level. */
    bmdt: ColumnFixture;
    /** portal list column with two review levels. */
    zyxw: ColumnFixture;
    /** portal page column (cannot receive pushes). */
    about: ColumnFixture;
  };
}

export async function makeCluster(t: TestApp): Promise<Cluster> {
  const s = t.store;
  const jyj = await makeSite(s, 'jyj', { name: '示范市教育局' });
  const wsj = await makeSite(s, 'wsj', { name: '示范市卫生健康委员会' });
  const www = await makeSite(s, 'www', { name: '示范市人民政府' });
  const col = {
    tzgg: await makeColumn(s, jyj, 'tzgg', { name: '通知公告', reviewLevels: 2 }),
    xwzx: await makeColumn(s, jyj, 'xwzx', { name: '新闻中心', reviewLevels: 1 }),
    free: await makeColumn(s, jyj, 'kx', { name: '快讯', reviewLevels: 0 }),
    link: await makeColumn(s, jyj, 'wzlj', { name: '网站链接', kind: 'link' }),
    wsjNews: await makeColumn(s, wsj, 'xwzx', { name: '卫健新闻', reviewLevels: 1 }),
    bmdt: await makeColumn(s, www, 'bmdt', { name: '部门动态', reviewLevels: 1 }),
    zyxw: await makeColumn(s, www, 'zyxw', { name: '要闻', reviewLevels: 2 }),
    about: await makeColumn(s, www, 'about', { name: '概况', kind: 'page' }),
  };
  await makeUser(s, 'editor', [{ role: 'editor', siteId: jyj }]);
  await makeUser(s, 'editor2', [{ role: 'editor', siteId: jyj }]);
  await makeUser(s, 'tzggeditor', [{ role: 'editor', siteId: jyj, columnId: col.tzgg.id }]);
  await makeUser(s, 'r1', [{ role: 'reviewer', siteId: jyj, reviewLevel: 1 }]);
  await makeUser(s, 'r2', [{ role: 'reviewer', siteId: jyj, reviewLevel: 2 }]);
  await makeUser(s, 'jyjadmin', [{ role: 'site_admin', siteId: jyj }]);
  await makeUser(s, 'wsjeditor', [{ role: 'editor', siteId: wsj }]);
  await makeUser(s, 'wwweditor', [{ role: 'editor', siteId: www }]);
  await makeUser(s, 'wwwr1', [{ role: 'reviewer', siteId: www, reviewLevel: 1 }]);
  await makeUser(s, 'wwwr2', [{ role: 'reviewer', siteId: www, reviewLevel: 2 }]);
  await makeUser(s, 'wwwadmin', [{ role: 'site_admin', siteId: www }]);
  return { jyj, wsj, www, col };
}

/** The events emitted so far (outbox rows), by name. */
export async function emitted(t: TestApp, event: string): Promise<any[]> {
  const rows = await t.store.db.selectFrom('jobs').select(['payload']).where('type', '=', 'event').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload)).filter((p) => p.event === event).map((p) => p.data);
}

export const later = (t: TestApp, ms: number): void => {
  t.now.value = new Date(t.now.value.getTime() + ms);
};
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
