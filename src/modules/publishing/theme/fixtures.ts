import type {
  ArticleModel,
  ArticleSummary,
  ColumnModel,
  HomeModel,
  NavItem,
  PageKind,
  PageModel,
  Pagination,
  RenderContext,
  SiteModel,
} from '../model.js';

/**
 * A realistic render model (示范市教育局's site) for template tests, the preview endpoint and the
 * publisher's tests. Deterministic: no clock, no randomness. Every builder returns fresh objects,
 * so a test may mutate what it gets.
 *
 *   const ctx = fixtureContext('article', { article: { title: '<script>alert(1)</script>' } });
 */

const SITE_URL = '/jyj/';

function nav(currentPath: string | null): NavItem[] {
  const item = (name: string, slug: string, children: NavItem[] = []): NavItem => ({
    name,
    url: `${SITE_URL}${slug}/`,
    current: currentPath !== null && (currentPath === slug || currentPath.startsWith(`${slug}/`) || children.some((c) => c.current)),
    external: false,
    children,
  });
  const child = (name: string, path: string): NavItem => ({
    name,
    url: `${SITE_URL}${path}/`,
    current: currentPath === path,
    external: false,
    children: [],
  });
  return [
    item('机构概况', 'jggk', [child('机构职能', 'jggk/jgzn'), child('领导信息', 'jggk/ldxx')]),
    item('工作动态', 'gzdt'),
    item('通知公告', 'tzgg'),
    item('政策文件', 'zcwj'),
    item('政策解读', 'zcjd'),
    item('办事服务', 'bsfw'),
    item('招生考试', 'zsks'),
    item('教育资助', 'jyzz'),
    { name: '市长信箱', url: '/hdjl/', current: false, external: true, children: [] },
  ];
}

export function fixtureSite(over: Partial<SiteModel> = {}): SiteModel {
  return {
    id: 3,
    code: 'jyj',
    name: '示范市教育局',
    url: SITE_URL,
    domain: 'jyj.shifan.gov.cn',
    language: 'zh-CN',
    isPortal: false,
    footer: {
      sponsor: '示范市教育局',
      organizer: '示范市教育局办公室',
      contact: '工作日 8:30-12:00，14:00-17:30',
      address: '示范市东城区文昌路66号',
      phone: '0578-82003201',
      email: 'jyj@shifan.gov.cn',
      siteIdCode: 'bm33120012',
      icp: '浙ICP备05012345号-3',
      psbNumber: '33010202000123',
      reportErrorUrl: 'https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?websiteid=bm33120012',
    },
    nav: nav(null),
    cluster: [
      { name: '示范市人民政府', url: '/' },
      { name: '示范市发展和改革委员会', url: '/fgw/' },
      { name: '示范市教育局', url: '/jyj/' },
      { name: '示范市卫生健康委员会', url: '/wjw/' },
      { name: '示范市东城区人民政府', url: '/dcq/' },
    ],
    sitemapUrl: `${SITE_URL}sitemap.html`,
    ...over,
  };
}

const TITLES = [
  '市教育局召开2026年秋季学期开学工作部署会',
  '关于做好2026年普通高中学业水平考试报名工作的通知',
  '示范市义务教育阶段学校招生入学政策解读',
  '市教育局开展校园食品安全专项检查',
  '2026年示范市中小学教师资格认定公告',
  '我市3所学校入选省级智慧教育示范校',
  '关于公布2026年学生资助政策咨询电话的公告',
  '市教育局举办家庭教育公益讲座',
  '示范市2026年普惠性幼儿园认定结果公示',
  '市教育局召开“双减”工作推进会',
  '关于开展2026年中小学生暑期安全教育的通知',
  '示范市第二十届中小学生运动会圆满落幕',
];

export function fixtureSummaries(count = 10, opts: { column?: string; covers?: boolean; offset?: number } = {}): ArticleSummary[] {
  const column = opts.column ?? 'gzdt';
  return Array.from({ length: count }, (_, i) => {
    const n = i + (opts.offset ?? 0);
    const day = String(28 - (n % 27)).padStart(2, '0');
    const id = 460 - n;
    return {
      id,
      title: TITLES[n % TITLES.length]!,
      url: `${SITE_URL}${column}/202611/t202611${day}_${id}.html`,
      date: `2026-11-${day}`,
      summary: '为进一步做好相关工作，市教育局近日作出部署，要求各地各校压实责任、细化措施，确保各项工作落到实处。',
      source: '示范市教育局',
      cover: opts.covers ? { url: `/media/2026/11/cover-${id}.jpg`, alt: `${TITLES[n % TITLES.length]!}现场照片` } : null,
      fromSite: null,
    };
  });
}

export function fixtureColumn(over: Partial<ColumnModel> = {}): ColumnModel {
  return {
    id: 38,
    name: '工作动态',
    url: `${SITE_URL}gzdt/`,
    path: 'gzdt',
    kind: 'list',
    description: '发布市教育局的重要会议、重点工作和业务动态。',
    keywords: '工作动态,动态',
    children: [],
    ...over,
  };
}

export function fixturePagination(current = 1, total = 12, base = `${SITE_URL}gzdt/`): Pagination {
  const urlOf = (n: number) => (n === 1 ? `${base}index.html` : `${base}index_${n}.html`);
  return {
    current,
    total,
    prev: current > 1 ? urlOf(current - 1) : null,
    next: current < total ? urlOf(current + 1) : null,
    pages: Array.from({ length: total }, (_, i) => ({ number: i + 1, url: urlOf(i + 1), current: i + 1 === current })),
  };
}

export function fixtureArticle(over: Partial<ArticleModel> = {}): ArticleModel {
  return {
    id: 460,
    title: '市教育局召开2026年秋季学期开学工作部署会',
    subtitle: '确保新学期各项工作平稳有序',
    summary: '市教育局召开2026年秋季学期开学工作部署会，对开学准备、校园安全和“双减”工作作出部署。',
    body:
      '<p>11月20日上午，市教育局召开2026年秋季学期开学工作部署会。会议总结了上学期工作，部署了新学期重点任务。</p>' +
      '<p>会议要求，各地各校要<strong>压实安全责任</strong>，做好以下工作：</p>' +
      '<ul><li>开展校舍安全隐患排查；</li><li>落实食品安全主体责任；</li><li>做好学生资助政策宣传。</li></ul>' +
      '<table><caption>2026年秋季学期开学时间安排</caption><thead><tr><th scope="col">学段</th><th scope="col">报到时间</th></tr></thead>' +
      '<tbody><tr><td>小学</td><td>8月31日</td></tr><tr><td>初中</td><td>8月30日</td></tr></tbody></table>' +
      '<p>各区教育局、市直属学校负责同志参加会议。</p>',
    source: '示范市教育局',
    author: '办公室',
    datetime: '2026-11-20 10:00',
    date: '2026-11-20',
    isoDate: '2026-11-20T02:00:00.000Z',
    tags: ['开学', '校园安全'],
    cover: null,
    attachments: [
      { name: '2026年秋季学期开学工作要点', url: '/media/2026/11/kxgzyd.pdf', ext: 'pdf', size: '245.3 KB' },
      { name: '校园安全隐患排查表', url: '/media/2026/11/pcb.xlsx', ext: 'xlsx', size: '18.0 KB' },
    ],
    related: fixtureSummaries(3, { offset: 3 }),
    prev: { name: '关于做好2026年普通高中学业水平考试报名工作的通知', url: `${SITE_URL}gzdt/202611/t20261119_459.html` },
    next: { name: '市教育局开展校园食品安全专项检查', url: `${SITE_URL}gzdt/202611/t20261121_461.html` },
    origin: null,
    ...over,
  };
}

export function fixtureHome(over: Partial<HomeModel> = {}): HomeModel {
  return {
    headlines: fixtureSummaries(4, { covers: true }),
    blocks: [
      { column: { name: '工作动态', url: `${SITE_URL}gzdt/` }, items: fixtureSummaries(7) },
      { column: { name: '通知公告', url: `${SITE_URL}tzgg/` }, items: fixtureSummaries(6, { column: 'tzgg', offset: 1 }) },
      { column: { name: '政策文件', url: `${SITE_URL}zcwj/` }, items: fixtureSummaries(5, { column: 'zcwj', offset: 4 }) },
      { column: { name: '招生考试', url: `${SITE_URL}zsks/` }, items: fixtureSummaries(5, { column: 'zsks', offset: 2 }) },
    ],
    entries: [
      { name: '信息公开', url: `${SITE_URL}xxgk/`, description: '政府信息公开指南、目录、年报和依申请公开' },
      { name: '办事服务', url: `${SITE_URL}bsfw/`, description: '办事指南、在线办理、办件查询' },
      { name: '互动交流', url: `${SITE_URL}hdjl/`, description: '局长信箱、征集调查、在线访谈' },
    ],
    rankings: [
      {
        title: '热点信息',
        items: fixtureSummaries(5, { offset: 5 }).map((a) => ({ name: a.title, url: a.url })),
      },
    ],
    ...over,
  };
}

function meta(kind: PageKind, column: ColumnModel | undefined, article: ArticleModel | undefined, site: SiteModel): PageModel['meta'] {
  const m = [
    { name: 'SiteName', content: site.name },
    { name: 'SiteDomain', content: site.domain },
    { name: 'SiteIDCode', content: site.footer.siteIdCode },
  ];
  if (column) {
    m.push(
      { name: 'ColumnName', content: column.name },
      { name: 'ColumnDescription', content: column.description },
      { name: 'ColumnKeywords', content: column.keywords },
      { name: 'ColumnType', content: column.kind === 'page' ? '单页' : '列表' },
    );
  }
  if (kind === 'article' && article) {
    m.push(
      { name: 'ArticleTitle', content: article.title },
      { name: 'PubDate', content: article.datetime },
      { name: 'ContentSource', content: article.source },
      { name: 'Keywords', content: article.tags.join(',') },
      { name: 'Author', content: article.author },
      { name: 'Description', content: article.summary },
      { name: 'Url', content: `https://${site.domain}${SITE_URL}gzdt/202611/t20261120_460.html` },
    );
  }
  return m;
}

export interface FixturePatch {
  site?: Partial<SiteModel>;
  page?: Partial<PageModel>;
  column?: Partial<ColumnModel>;
  article?: Partial<ArticleModel>;
  home?: Partial<HomeModel>;
  articles?: ArticleSummary[];
  pagination?: Pagination;
  assets?: string;
}

/** The full render context of one page kind, with optional replacements per part. */
export function fixtureContext(kind: PageKind, patch: FixturePatch = {}): RenderContext {
  const columnPath = kind === 'page' ? 'jggk/jgzn' : kind === 'column' || kind === 'article' ? 'gzdt' : null;
  const site = fixtureSite({ nav: nav(columnPath), ...patch.site });
  const column =
    kind === 'column' || kind === 'article'
      ? fixtureColumn(patch.column)
      : kind === 'page'
        ? fixtureColumn({ id: 31, name: '机构职能', url: `${SITE_URL}jggk/jgzn/`, path: 'jggk/jgzn', kind: 'page', description: '市教育局的主要职责和内设机构。', keywords: '机构职能,主要职责,内设机构', ...patch.column })
        : undefined;
  const article =
    kind === 'article'
      ? fixtureArticle(patch.article)
      : kind === 'page'
        ? fixtureArticle({ title: '机构职能', subtitle: '', related: [], prev: null, next: null, attachments: [], body: '<p>市教育局是市政府工作部门，主管全市教育工作。</p><p>主要职责：贯彻执行国家和省有关教育工作的方针政策和法律法规。</p>', ...patch.article })
        : undefined;
  const url =
    kind === 'home'
      ? `${SITE_URL}index.html`
      : kind === 'column'
        ? `${SITE_URL}gzdt/index.html`
        : kind === 'page'
          ? `${SITE_URL}jggk/jgzn/index.html`
          : kind === 'article'
            ? `${SITE_URL}gzdt/202611/t20261120_460.html`
            : kind === 'sitemap'
              ? `${SITE_URL}sitemap.html`
              : `${SITE_URL}404.html`;
  const titles: Record<PageKind, string> = {
    home: site.name,
    column: `${column?.name ?? ''}_${site.name}`,
    page: `${column?.name ?? ''}_${site.name}`,
    article: `${article?.title ?? ''}_${column?.name ?? ''}_${site.name}`,
    sitemap: `网站地图_${site.name}`,
    notfound: `页面不存在_${site.name}`,
  };
  const crumbs = [{ name: '首页', url: SITE_URL }];
  if (kind === 'page') crumbs.push({ name: '机构概况', url: `${SITE_URL}jggk/` }, { name: '机构职能', url: `${SITE_URL}jggk/jgzn/` });
  if (kind === 'column' || kind === 'article') crumbs.push({ name: '工作动态', url: `${SITE_URL}gzdt/` });
  if (kind === 'sitemap') crumbs.push({ name: '网站地图', url: `${SITE_URL}sitemap.html` });
  const page: PageModel = {
    kind,
    title: titles[kind],
    url,
    lang: 'zh-CN',
    alternate: kind === 'notfound' ? null : { url: `/zh-hant${url}`, label: '繁體', lang: 'zh-Hant' },
    breadcrumbs: kind === 'home' ? [] : crumbs,
    meta: meta(kind, column, article, site),
    feed: kind === 'column' ? `${SITE_URL}gzdt/rss.xml` : null,
    ...patch.page,
  };
  const ctx: RenderContext = { site, page, assets: patch.assets ?? '/assets/default/' };
  if (column) ctx.column = column;
  if (article) ctx.article = article;
  if (kind === 'column') {
    ctx.articles = patch.articles ?? fixtureSummaries(20);
    ctx.pagination = patch.pagination ?? fixturePagination(1, 12);
  }
  if (kind === 'home') ctx.home = fixtureHome(patch.home);
  if (kind === 'sitemap') ctx.tree = nav(null);
  return ctx;
}

/** One fixture per page kind, for rendering every page template. */
export const PAGE_KINDS: PageKind[] = ['home', 'column', 'page', 'article', 'sitemap', 'notfound'];
