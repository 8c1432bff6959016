import { sql, type Kysely } from 'kysely';

/**
 * Quotes and their book lines. All versions of one quote share `number`; each version is its own row so
 * a revised quote keeps the old one readable. Amounts are the server's computation, stored per line and
 * summed into the header.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('quote')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('previous_version_id', 'integer', (c) => c.references('quote.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('opportunity_id', 'integer', (c) => c.references('opportunity.id'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft','pending_approval','approved','sent','superseded','converted')`),
    )
    .addColumn('special_discount_approval', 'text', (c) =>
      c.notNull().check(sql`special_discount_approval in ('none','pending','approved','rejected','withdrawn')`),
    )
    .addColumn('approval_id', 'integer')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull().check(sql`list_amount_fen >= 0`))
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull().check(sql`net_amount_fen >= 0 and net_amount_fen <= list_amount_fen`))
    .addColumn('total_quantity', 'integer', (c) => c.notNull().check(sql`total_quantity >= 0`))
    .addColumn('line_count', 'integer', (c) => c.notNull().check(sql`line_count >= 0`))
    .addColumn('special_line_count', 'integer', (c) => c.notNull().check(sql`special_line_count >= 0`))
    .addColumn('contract_id', 'integer')
    .addColumn('sent_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('quote_number_version_unique', ['number', 'version'])
    .execute();
  await db.schema.createIndex('quote_owner_updated_index').on('quote').columns(['owner_id', 'status', 'updated_at']).execute();
  await db.schema.createIndex('quote_customer_index').on('quote').columns(['customer_id', 'status']).execute();
  await db.schema.createIndex('quote_opportunity_index').on('quote').columns(['opportunity_id']).execute();
  await db.schema.createIndex('quote_approval_index').on('quote').columns(['approval_id']).execute();

  await db.schema
    .createTable('quote_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('quote_id', 'integer', (c) => c.notNull().references('quote.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('book_id', 'integer', (c) => c.notNull().references('book.id'))
    .addColumn('isbn', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('series', 'text')
    .addColumn('list_price_fen', 'integer', (c) => c.notNull().check(sql`list_price_fen > 0`))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('discount', 'integer', (c) => c.notNull().check(sql`discount between 0 and 10000`))
    .addColumn('default_discount', 'integer', (c) => c.notNull().check(sql`default_discount between 0 and 10000`))
    .addColumn('floor_discount', 'integer', (c) => c.check(sql`floor_discount between 0 and 10000`))
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull())
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull().check(sql`net_amount_fen <= list_amount_fen`))
    .addColumn('is_special_discount', 'integer', (c) => c.notNull().check(sql`is_special_discount in (0,1)`))
    .addUniqueConstraint('quote_line_seq_unique', ['quote_id', 'seq'])
    .execute();
  await db.schema.createIndex('quote_line_book_index').on('quote_line').columns(['book_id']).execute();
}
