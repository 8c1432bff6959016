import { sql, type Kysely } from 'kysely';

/**
 * The publisher's catalog. `search_text` holds the lower-cased ISBN, title, author, series and the title's
 * pinyin spelling and initials in one column, so a single LIKE finds '新华', 'xinhua' or 'xh' alike.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('book')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('isbn', 'text', (c) => c.notNull().unique().check(sql`length(isbn) = 13`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('series', 'text')
    .addColumn('category', 'text', (c) =>
      c.notNull().check(sql`category in ('textbook','teaching_aid','general','children','academic','other')`),
    )
    .addColumn('list_price_fen', 'integer', (c) => c.notNull().check(sql`list_price_fen > 0`))
    .addColumn('publication_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('on_sale','discontinued','pre_order')`))
    .addColumn('stock_quantity', 'integer', (c) => c.check(sql`stock_quantity >= 0`))
    .addColumn('stock_updated_at', 'text')
    .addColumn('publisher', 'text')
    .addColumn('title_pinyin', 'text', (c) => c.notNull())
    .addColumn('title_initials', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('book_category_title_index').on('book').columns(['category', 'title']).execute();
  await db.schema.createIndex('book_series_index').on('book').columns(['series']).execute();
  await db.schema.createIndex('book_title_initials_index').on('book').columns(['title_initials']).execute();
}
