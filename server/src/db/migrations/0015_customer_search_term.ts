import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { buildSearchTerms } from '../../modules/customer/customer.rules.js';

/**
 * The customer search index: one row per (term, customer), where the terms are the suffixes of the name,
 * of its pinyin initials and of its full pinyin (see buildSearchTerms). A contains-search becomes an
 * indexed prefix range on `term`, which stays fast however rare the match is.
 *
 * On SQLite the table is WITHOUT ROWID (the primary key is the table, half the size); PostgreSQL has no
 * such option and stores a heap plus the primary-key index, with the same queries.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('customer_search_term')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('customer_search_term_pk', ['term', 'customer_id'])
    .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
    .execute();
  await db.schema.createIndex('customer_search_term_customer_index').on('customer_search_term').column('customer_id').execute();

  // Customers created before this migration get their terms now.
  const typed = db as Kysely<{ customer: { id: number; name: string; short_name: string | null; credit_code: string | null }; customer_search_term: { term: string; customer_id: number } }>;
  for (let lastId = 0; ; ) {
    const customers = await typed.selectFrom('customer').select(['id', 'name', 'short_name', 'credit_code']).where('id', '>', lastId).orderBy('id').limit(1000).execute();
    if (customers.length === 0) break;
    const rows = customers.flatMap((customer) => buildSearchTerms(customer.name, customer.short_name, customer.credit_code).map((term) => ({ term, customer_id: customer.id })));
    for (let start = 0; start < rows.length; start += 5000) await typed.insertInto('customer_search_term').values(rows.slice(start, start + 5000)).execute();
    lastId = customers[customers.length - 1]!.id;
  }
}
