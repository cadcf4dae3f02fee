/** The API objects the console reads (see GET /api/v1/openapi.json and the modules' dto.ts). */

export type Role = 'sysadmin' | 'secadmin' | 'auditor' | 'site_admin' | 'editor' | 'reviewer' | 'handler';

export interface Grant {
  id: number;
  role: Role;
  roleName: string;
  siteId: number | null;
  columnId: number | null;
  columnIdPath: string | null;
  reviewLevel: number | null;
}

export interface Me {
  id: number;
  username: string;
  displayName: string;
  mustChangePassword: boolean;
  mfaPending: boolean;
  csrfToken: string | null;
  grants: Grant[];
}

export interface LoginResult {
  user: { id: number; username: string; displayName: string };
  mustChangePassword: boolean;
  mfa: 'none' | 'verify' | 'enrol';
  csrfToken: string;
}

export interface Page<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface Site {
  id: number;
  code: string;
  name: string;
  organisationId: number;
  hosts: string[];
  language: string;
  theme: string;
  status: string;
  sort: number;
  settings: Record<string, unknown>;
  url: string;
}

export interface Organisation {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
  kind: string;
  sort: number;
  depth?: number;
}

export interface Column {
  id: number;
  siteId: number;
  parentId: number | null;
  name: string;
  slug: string;
  path: string;
  idPath: string;
  kind: string;
  sort: number;
  updateIntervalDays: number | null;
  reviewLevels: number;
  status: string;
  url: string;
  linkUrl?: string | null;
  description?: string;
  keywords?: string;
  templates?: Record<string, string>;
  createdAt?: string;
  updatedAt?: string;
  children: Column[];
}

export type ArticleStatus = 'draft' | 'returned' | 'submitted' | 'approved' | 'published' | 'withdrawn' | 'expired';

export const STATUS_NAMES: Record<ArticleStatus, string> = {
  draft: '草稿',
  returned: '已退回',
  submitted: '审核中',
  approved: '已审核待发布',
  published: '已发布',
  withdrawn: '已撤稿',
  expired: '已过期',
};

export interface ArticleSummary {
  id: number;
  siteId: number;
  columnId: number;
  columnName: string | null;
  title: string;
  subtitle: string;
  summary: string;
  source: string;
  author: string;
  publishAt: string | null;
  publishedAt: string | null;
  effectiveAt: string | null;
  expiresAt: string | null;
  coverMediaId: number | null;
  coverAlt: string;
  tags: string[];
  status: ArticleStatus;
  statusName: string;
  reviewLevel: number;
  version: number;
  approvedVersion: number | null;
  liveVersion: number | null;
  isLive: boolean;
  url: string | null;
  createdBy: number;
  updatedBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface Attachment {
  id: number;
  kind: string;
  name: string;
  mime: string;
  ext: string;
  size: number;
  alt: string;
}

export interface Review {
  id: number;
  syndicationId: number | null;
  version: number;
  level: number;
  decision: 'approve' | 'return';
  comment: string;
  reviewerId: number;
  createdAt: string;
}

export interface Syndication {
  id: number;
  articleId: number;
  articleTitle: string | null;
  sourceSiteId: number | null;
  siteId: number;
  columnId: number;
  columnName: string | null;
  status: string;
  reviewLevel: number;
  requestedBy: number;
  publishedAt: string | null;
  url: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Article extends ArticleSummary {
  body: string;
  attachments: Attachment[];
  syndications: Syndication[];
  reviews: Review[];
}

export interface VersionSummary {
  version: number;
  createdBy: number;
  createdAt: string;
  isLive: boolean;
  isApproved: boolean;
}

export interface Change {
  added?: true;
  removed?: true;
  value: string;
}

export interface FieldDiff {
  field: string;
  changes: Change[];
  markupChanged?: boolean;
}

export interface VersionDiff {
  articleId: number;
  from: number;
  to: number;
  fields: FieldDiff[];
}

export interface ReviewQueue {
  articles: Page<ArticleSummary>;
  syndications: Syndication[];
}

export interface Media {
  id: number;
  siteId: number | null;
  kind: 'image' | 'document';
  originalName: string;
  mime: string;
  ext: string;
  size: number;
  width: number | null;
  height: number | null;
  alt: string;
  url: string;
  thumbnailUrl: string | null;
}

/** Article fields by their API name, for diffs and error messages. */
export const FIELD_NAMES: Record<string, string> = {
  title: '标题',
  subtitle: '副标题',
  summary: '摘要',
  body: '正文',
  source: '来源',
  author: '作者',
  publishAt: '发布时间',
  effectiveAt: '生效时间',
  expiresAt: '失效时间',
  coverMediaId: '封面图片',
  coverAlt: '封面替代文本',
  tags: '标签',
  attachmentIds: '附件',
  columnId: '栏目',
};

export interface TemplateSummary {
  name: string;
  /** The name as it goes in a URL ("partials__header"). */
  urlName: string;
  inTheme: boolean;
  overridden: boolean;
  version: number | null;
  updatedAt: string | null;
}

export interface TemplateList {
  siteId: number;
  theme: string;
  items: TemplateSummary[];
}

export interface TemplateDetail {
  name: string;
  theme: string;
  inTheme: boolean;
  overridden: boolean;
  /** 0: the theme's own file. */
  version: number;
  updatedAt: string | null;
  source: string;
}

export interface TemplateVersion {
  version: number;
  active: boolean;
  size: number;
  createdAt: string;
  createdBy: { id: number; username: string } | null;
}

export interface JobProgress {
  done: number;
  total: number;
  message?: string;
}

export interface Job {
  id: number;
  type: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  progress: JobProgress | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface SiteGrantColumn {
  id: number;
  parentId: number | null;
  name: string;
  idPath: string;
  kind: string;
  reviewLevels: number;
  sort: number;
}

export interface SiteGrant {
  id: number;
  userId: number;
  username: string;
  displayName: string;
  userStatus: string;
  role: Role;
  roleName: string;
  columnId: number | null;
  columnName: string | null;
  columnIdPath: string | null;
  reviewLevel: number | null;
  createdAt: string;
}

export interface SiteGrants {
  siteId: number;
  siteName: string;
  columns: SiteGrantColumn[];
  grants: SiteGrant[];
}

// ---------------------------------------------------------------------------------------------
// 互动交流: the FAQ knowledge base (GET /api/v1/faq…) and the smart-Q&A staff queue
// (GET /api/v1/qa/questions); src/modules/interaction/faq/dto.ts and qa/queries/questionQueue.ts
// ---------------------------------------------------------------------------------------------

/** The same statuses as articles; 'approved' waits for its effective date, 'withdrawn' is offline. */
export type FaqStatus = ArticleStatus;

export const FAQ_STATUS_NAMES: Record<FaqStatus, string> = {
  draft: '草稿',
  returned: '已退回',
  submitted: '审核中',
  approved: '已审核待生效',
  published: '已发布',
  withdrawn: '已撤下',
  expired: '已过期',
};

export interface FaqSummary {
  id: number;
  siteId: number;
  siteName: string | null;
  organisationId: number | null;
  organisationName: string | null;
  topic: string;
  question: string;
  variants: string[];
  refTitle: string;
  refUrl: string;
  effectiveAt: string | null;
  expiresAt: string | null;
  status: FaqStatus;
  statusName: string;
  reviewLevel: number;
  version: number;
  approvedVersion: number | null;
  liveVersion: number | null;
  isLive: boolean;
  publishedAt: string | null;
  /** Public address while live, else null. */
  url: string | null;
  sourceQuestionId: number | null;
  createdBy: number;
  updatedBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface FaqReview {
  id: number;
  version: number;
  level: number;
  decision: 'approve' | 'return';
  comment: string;
  reviewerId: number;
  reviewerName: string | null;
  createdAt: string;
}

export interface Faq extends FaqSummary {
  answer: string;
  /** Review levels of the entry's site now. */
  reviewLevels: number;
  reviews: FaqReview[];
}

export interface FaqTopic {
  topic: string;
  count: number;
}

export interface FaqSettings {
  siteId: number;
  reviewLevels: number;
}

export type QaFeedback = 'helpful' | 'unhelpful';

export interface QaQuestion {
  id: number;
  siteId: number | null;
  siteName: string | null;
  askedAt: string;
  question: string;
  answered: boolean;
  answerEntryId: number | null;
  answerQuestion: string | null;
  confidence: number;
  relatedIds: number[];
  feedback: QaFeedback | null;
  status: 'open' | 'handled';
  /** Why it is in the queue: 未能回答 / 答案没帮助. */
  reason: 'unanswered' | 'unhelpful' | null;
  handledBy: number | null;
  handledByName: string | null;
  handledAt: string | null;
  handledEntryId: number | null;
  handledNote: string;
  /** Logged questions with the same text (all time). */
  askedTimes: number;
}

export interface QaHandled {
  id: number;
  status: 'handled' | 'open';
  siteId: number | null;
}
