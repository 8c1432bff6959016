import type { Kysely } from 'kysely';

/**
 * An inverted index of the catalog for search without a full scan: each title's Chinese characters and the
 * three-letter pieces of its pinyin spelling and initials, one row per (token, book). A query looks up its
 * own tokens, intersects the books, and checks the few candidates with LIKE. Portable SQL only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('book_search_token')
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('book_id', 'integer', (c) => c.notNull().references('book.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('book_search_token_pk', ['token', 'book_id'])
    .execute();
  await db.schema.createIndex('book_search_token_book_index').on('book_search_token').column('book_id').execute();
  // One- and two-letter queries match the start of the initials (indexed in 0020) or of the full pinyin.
  await db.schema.createIndex('book_title_pinyin_index').on('book').column('title_pinyin').execute();
  // Titles starting with the typed words are listed first, alphabetically, straight from this index.
  await db.schema.createIndex('book_title_index').on('book').column('title').execute();
}
