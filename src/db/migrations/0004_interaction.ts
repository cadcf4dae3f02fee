import type { Kysely } from 'kysely';
import type { Dialect } from '../index.js';

/**
 * Interaction (issue 5 §4, §5): the FAQ knowledge base (常见问题) — entries per site with their
 * variant phrasings, answer, topic, validity and the service or policy they concern, reviewed like
 * articles (versions, review decisions) — and the smart Q&A log (智能问答): every question asked,
 * what it was answered with, the visitor's feedback and how staff handled it.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? 'serial' : 'integer';
  const pk = (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('faq_entries')
    .addColumn('id', id, pk)
    .addColumn('site_id', 'integer', (c) => c.notNull().references('sites.id').onDelete('restrict'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('set null'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('answer', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ref_title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ref_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('effective_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('review_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('approved_version', 'integer')
    .addColumn('live_version', 'integer')
    .addColumn('published_at', 'text')
    .addColumn('source_question_id', 'integer')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('faq_entries_site_idx').on('faq_entries').columns(['site_id', 'status', 'updated_at']).execute();
  await db.schema.createIndex('faq_entries_live_idx').on('faq_entries').columns(['live_version', 'site_id']).execute();

  await db.schema
    .createTable('faq_versions')
    .addColumn('id', id, pk)
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('faq_entries.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('faq_versions_uq', ['entry_id', 'version'])
    .execute();

  await db.schema
    .createTable('faq_reviews')
    .addColumn('id', id, pk)
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('faq_entries.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('faq_reviews_entry_idx').on('faq_reviews').columns(['entry_id', 'id']).execute();

  await db.schema
    .createTable('qa_questions')
    .addColumn('id', id, pk)
    .addColumn('conversation', 'text', (c) => c.notNull())
    .addColumn('site_id', 'integer', (c) => c.references('sites.id').onDelete('set null'))
    .addColumn('asked_at', 'text', (c) => c.notNull())
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('answer_entry_id', 'integer', (c) => c.references('faq_entries.id').onDelete('set null'))
    .addColumn('confidence', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('related', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('passages', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('feedback', 'text')
    .addColumn('feedback_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('handled_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('handled_at', 'text')
    .addColumn('handled_entry_id', 'integer', (c) => c.references('faq_entries.id').onDelete('set null'))
    .addColumn('handled_note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('qa_questions_conversation_idx').on('qa_questions').columns(['conversation', 'id']).execute();
  await db.schema.createIndex('qa_questions_queue_idx').on('qa_questions').columns(['site_id', 'status', 'id']).execute();
  await db.schema.createIndex('qa_questions_asked_idx').on('qa_questions').column('asked_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['qa_questions', 'faq_reviews', 'faq_versions', 'faq_entries']) await db.schema.dropTable(t).execute();
}
