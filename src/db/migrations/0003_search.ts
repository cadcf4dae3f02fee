import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Unified search (issue 5): the documents, the engine's index (FTS5 in SQLite, a tsvector column
 * with a GIN index in PostgreSQL), placements, the government-terms dictionary and synonyms
 * (seeded with defaults an administrator extends), the hot-search blocklist and the query log.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const pk = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const now = new Date().toISOString();

  await db.schema
    .createTable('search_documents')
    .addColumn('id', 'bigint', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('site_id', 'integer', (c) => c.notNull())
    .addColumn('organisation_id', 'integer')
    .addColumn('column_id', 'integer')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('authority', 'real', (c) => c.notNull().defaultTo(1))
    .addColumn('indexed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('search_documents_source_uq', ['type', 'source_id'])
    .execute();
  await db.schema.createIndex('search_documents_site_idx').on('search_documents').columns(['site_id', 'id']).execute();

  if (dialect === 'postgres') {
    await sql`ALTER TABLE search_documents ADD COLUMN tsv tsvector NOT NULL DEFAULT ''::tsvector`.execute(db);
    await sql`CREATE INDEX search_documents_tsv_idx ON search_documents USING gin (tsv)`.execute(db);
  } else {
    // Contentless: the text lives in search_documents; the index only needs the tokens.
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title, body, facets, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`.execute(db);
  }

  await db.schema
    .createTable('search_placements')
    .addColumn('document_id', 'bigint', (c) => c.notNull())
    .addColumn('site_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_placements_pk', ['site_id', 'document_id'])
    .execute();
  await db.schema.createIndex('search_placements_doc_idx').on('search_placements').column('document_id').execute();

  await db.schema
    .createTable('search_terms')
    .addColumn('id', id, pk)
    .addColumn('word', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('search_synonyms')
    .addColumn('id', id, pk)
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('search_blocked_words')
    .addColumn('id', id, pk)
    .addColumn('word', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('search_query_log')
    .addColumn('id', id, pk)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('q', 'text', (c) => c.notNull())
    .addColumn('site_id', 'integer')
    .addColumn('results', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_query_log_at_idx').on('search_query_log').column('at').execute();

  for (const [kind, words] of Object.entries(DEFAULT_TERMS)) {
    await db
      .insertInto('search_terms')
      .values(words.map((word) => ({ word, kind, created_at: now, updated_at: now })))
      .execute();
  }
  await db
    .insertInto('search_synonyms')
    .values(DEFAULT_SYNONYMS.map((g) => ({ words: JSON.stringify(g), created_at: now, updated_at: now })))
    .execute();
}

/**
 * Government words jieba's general dictionary cuts apart or does not know: department short
 * names, service and policy terms. Administrators add their city's own (`/api/v1/search/terms`).
 */
const DEFAULT_TERMS: Record<string, string[]> = {
  department: [
    '发改委', '发展改革委', '教育局', '卫健委', '卫生健康委', '人社局', '人力社保局', '生态环境局', '环保局', '市场监管局',
    '住建局', '交通运输局', '医保局', '医疗保障局', '公安局', '民政局', '财政局', '税务局', '自然资源局', '文旅局',
    '应急管理局', '退役军人事务局', '统计局', '审计局', '司法局', '信访局', '大数据局', '政务服务中心', '市民中心', '管委会',
  ],
  service: [
    '一网通办', '社保卡', '医保卡', '公积金', '居住证', '营业执照', '不动产登记', '个体工商户',
    '养老金', '失业金', '失业保险金', '低保', '最低生活保障', '残疾人证', '出生医学证明', '新生儿', '入学', '转学',
    '中考', '高考', '助学金', '助学贷款', '公租房', '保障性住房', '人才公寓', '落户', '户籍', '驾驶证', '行驶证', '电动自行车',
    '核酸', '疫苗接种', '预约挂号', '异地就医', '医保报销', '灵活就业', '创业补贴', '就业补贴', '退休', '养老服务',
    '12345', '市民热线', '政务热线', '办事指南', '办件查询', '好差评',
  ],
  policy: [
    '依申请公开', '政府信息公开', '主动公开', '规范性文件', '政策解读', '营商环境', '优化营商环境', '城市更新', '老旧小区改造',
    '专精特新', '高新技术企业', '稳就业', '乡村振兴', '放管服', '减税降费', '惠民惠农', '三公经费', '预决算',
    '重大行政决策', '公平竞争审查', '信用修复', '政务公开', '民生实事', '防汛防台', '安全生产', '垃圾分类', '文明城市', '数字政府',
  ],
};

/** Words a citizen uses interchangeably with the official term. */
const DEFAULT_SYNONYMS: string[][] = [
  ['社保', '社会保险'],
  ['公积金', '住房公积金'],
  ['医保', '医疗保险', '医疗保障'],
  ['医保卡', '社保卡'],
  ['人社局', '人力社保局', '人力资源和社会保障局'],
  ['卫健委', '卫生健康委', '卫生健康委员会'],
  ['发改委', '发展改革委', '发展和改革委员会'],
  ['市场监管局', '市场监督管理局'],
  ['住建局', '住房和城乡建设局'],
  ['环保局', '生态环境局'],
  ['医保局', '医疗保障局'],
  ['高新区', '高新技术产业开发区'],
  ['低保', '最低生活保障'],
  ['失业金', '失业保险金'],
  ['养老金', '基本养老金', '养老保险待遇'],
  ['公租房', '公共租赁住房'],
  ['个税', '个人所得税'],
  ['12345', '市民热线', '政务热线'],
  ['中考', '初中学业水平考试'],
  ['残疾人证', '残疾证'],
  ['营业执照', '执照'],
  ['政府信息公开', '信息公开', '政务公开'],
  // what people say for what the documents call it
  ['社保卡', '社会保障卡'],
  ['退休工资', '养老金', '退休金'],
  ['欠薪', '拖欠工资', '工资拖欠'],
  ['大学生', '高校毕业生'],
  ['任前公示', '任职前公示'],
  ['装电梯', '加装电梯'],
  ['慢性病', '慢特病'],
  ['集采', '集中带量采购'],
  ['出生证明', '出生医学证明'],
  ['抗生素', '抗菌药物'],
  ['个体户', '个体工商户'],
  ['电动车', '电动自行车'],
  ['3c认证', 'ccc认证'],
  ['菜价', '农副产品价格'],
  ['地铁', '轨道交通'],
  ['暖气', '供暖'],
  ['办事大厅', '政务服务中心'],
  ['出租车', '出租汽车'],
  ['高企', '高新技术企业'],
  ['芯片', '集成电路'],
  ['噪音', '噪声'],
];

export async function down(db: Kysely<any>, dialect: Dialect): Promise<void> {
  for (const t of ['search_query_log', 'search_blocked_words', 'search_synonyms', 'search_terms', 'search_placements']) await db.schema.dropTable(t).execute();
  if (dialect === 'sqlite') await sql`DROP TABLE search_fts`.execute(db);
  await db.schema.dropTable('search_documents').execute();
}
