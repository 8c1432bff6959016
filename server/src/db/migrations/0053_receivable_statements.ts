import { sql, type Kysely } from 'kysely';

/** Sent (frozen) monthly statements, their lines, share links and the customer's disputes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('statement')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('month', 'text', (c) => c.notNull().check(sql`length(month) = 7`))
    .addColumn('opening_fen', 'integer', (c) => c.notNull())
    .addColumn('shipped_fen', 'integer', (c) => c.notNull())
    .addColumn('returned_fen', 'integer', (c) => c.notNull())
    .addColumn('received_fen', 'integer', (c) => c.notNull())
    .addColumn('adjusted_fen', 'integer', (c) => c.notNull())
    .addColumn('closing_fen', 'integer', (c) => c.notNull())
    .addColumn('line_count', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('sent','confirmed','disputed')`))
    .addColumn('sent_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_by_name', 'text')
    .addUniqueConstraint('statement_customer_month_unique', ['customer_id', 'month'])
    .addCheckConstraint('statement_identity_check', sql`closing_fen = opening_fen + shipped_fen - returned_fen - received_fen + adjusted_fen`)
    .execute();
  await db.schema.createIndex('statement_month_index').on('statement').columns(['month', 'customer_id']).execute();

  await db.schema
    .createTable('statement_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statement.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('entry_id', 'integer', (c) => c.notNull().references('receivable_entry.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('document_number', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('list_amount_fen', 'integer')
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addUniqueConstraint('statement_line_no_unique', ['statement_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('statement_share')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statement.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_viewed_at', 'text')
    .execute();
  await db.schema.createIndex('statement_share_statement_index').on('statement_share').column('statement_id').execute();

  await db.schema
    .createTable('statement_dispute')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statement.id'))
    .addColumn('statement_line_id', 'integer', (c) => c.references('statement_line.id'))
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('claimed_amount_fen', 'integer')
    .addColumn('clerk_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','resolved','settled')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('resolution_note', 'text')
    .execute();
  await db.schema.createIndex('statement_dispute_statement_index').on('statement_dispute').columns(['statement_id', 'status']).execute();
  await db.schema.createIndex('statement_dispute_status_index').on('statement_dispute').columns(['status', 'statement_id']).execute();
}
