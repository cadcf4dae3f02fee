import type { ApiTokenTable, AuditLogTable, GrantTable, SessionTable, UserTable } from '../modules/accounts/tables.js';
import type {
  ArticleAttachmentTable,
  ArticleReviewTable,
  ArticleTable,
  ArticleVersionTable,
  SyndicationTable,
} from '../modules/content/tables.js';
import type { JobTable, SettingTable } from '../modules/jobs/tables.js';
import type { FaqEntryTable, FaqReviewTable, FaqVersionTable, QaQuestionTable } from '../modules/interaction/tables.js';
import type { MediaTable } from '../modules/media/tables.js';
import type { PageViewTable, PublishedFileTable, RedirectTable, TemplateOverrideTable } from '../modules/publishing/tables.js';
import type { SearchBlockedWordTable, SearchDocumentTable, SearchPlacementTable, SearchQueryLogTable, SearchSynonymTable, SearchTermTable } from '../modules/search/tables.js';
import type { ColumnTable, OrganisationTable, SiteHostTable, SiteTable } from '../modules/sites/tables.js';

/** Every table, merged from the modules that own them. */
export interface Database {
  organisations: OrganisationTable;
  sites: SiteTable;
  site_hosts: SiteHostTable;
  columns: ColumnTable;
  users: UserTable;
  grants: GrantTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  articles: ArticleTable;
  article_versions: ArticleVersionTable;
  article_reviews: ArticleReviewTable;
  article_attachments: ArticleAttachmentTable;
  syndications: SyndicationTable;
  media: MediaTable;
  jobs: JobTable;
  settings: SettingTable;
  published_files: PublishedFileTable;
  template_overrides: TemplateOverrideTable;
  page_views: PageViewTable;
  redirects: RedirectTable;
  search_documents: SearchDocumentTable;
  search_placements: SearchPlacementTable;
  search_terms: SearchTermTable;
  search_synonyms: SearchSynonymTable;
  search_blocked_words: SearchBlockedWordTable;
  search_query_log: SearchQueryLogTable;
  faq_entries: FaqEntryTable;
  faq_versions: FaqVersionTable;
  faq_reviews: FaqReviewTable;
  qa_questions: QaQuestionTable;
}
