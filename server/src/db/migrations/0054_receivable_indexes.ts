import { sql, type Kysely } from 'kysely';

/**
 * Indexes measured with scripts/bench/receivable-overdue.ts and receivable-statement.ts.
 *
 * The daily overdue scan asks, per threshold, for unpaid plans notified at a given lower threshold and
 * due on or before a cutoff. With the notified threshold first, each of those is one short index range
 * in which the plans that crossed a threshold today are all there is to read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('payment_plan_overdue_scan_index')
    .on('payment_plan')
    .columns(['overdue_notified_days', 'due_date', 'id'])
    .where(sql.ref('status'), '<>', 'received')
    .execute();

  // A statement reads one customer-month in statement order (date, then entry id): with the order in the
  // index, the first page and the running balance before any page need no sort of the whole month.
  await db.schema.createIndex('receivable_entry_statement_order_index').on('receivable_entry').columns(['customer_id', 'posting_month', 'entry_date', 'id']).execute();
  // The figures sum a month by kind, and the opening balance sums the months before: both from the index alone.
  await db.schema.createIndex('receivable_entry_month_kind_index').on('receivable_entry').columns(['customer_id', 'posting_month', 'kind', 'amount_fen']).execute();
  await db.schema.dropIndex('receivable_entry_customer_month_index').execute();

  // Aging totals group unpaid plans by due date and filter them by customer: with every column they
  // read in the index (status included, or SQLite fetches each row to re-check the partial index's
  // condition), a whole organisation's aging is one scan of this index in due-date order.
  await db.schema.dropIndex('payment_plan_unpaid_due_index').execute();
  await db.schema
    .createIndex('payment_plan_unpaid_aging_index')
    .on('payment_plan')
    .columns(['due_date', 'customer_id', 'amount_fen', 'allocated_fen', 'status'])
    .where(sql.ref('status'), '<>', 'received')
    .execute();
  await db.schema.dropIndex('payment_plan_unpaid_customer_index').execute();
  await db.schema
    .createIndex('payment_plan_unpaid_customer_index')
    .on('payment_plan')
    .columns(['customer_id', 'due_date', 'amount_fen', 'allocated_fen', 'status'])
    .where(sql.ref('status'), '<>', 'received')
    .execute();
}
