import { sql, type Kysely } from 'kysely';

/** Payment plans, receipts, their allocations and the customer ledger the statements read. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('payment_plan')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('contract_id', 'integer', (c) => c.references('contract.id'))
    .addColumn('consignment_settlement_id', 'integer', (c) => c.unique().references('consignment_settlement.id'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq > 0`))
    .addColumn('due_date', 'text', (c) => c.notNull().check(sql`length(due_date) = 10`))
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('allocated_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open','partial','received')`))
    .addColumn('overdue_notified_days', 'integer', (c) => c.notNull().defaultTo(0).check(sql`overdue_notified_days >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('payment_plan_contract_seq_unique', ['contract_id', 'seq'])
    // The database refuses over-allocation even if two requests race past the service's own check.
    .addCheckConstraint('payment_plan_allocated_check', sql`allocated_fen >= 0 and allocated_fen <= amount_fen`)
    .addCheckConstraint(
      'payment_plan_status_check',
      sql`(status = 'open' and allocated_fen = 0) or (status = 'partial' and allocated_fen > 0 and allocated_fen < amount_fen) or (status = 'received' and allocated_fen = amount_fen)`,
    )
    .addCheckConstraint('payment_plan_source_check', sql`(contract_id is null) <> (consignment_settlement_id is null)`)
    .execute();
  await db.schema.createIndex('payment_plan_customer_due_index').on('payment_plan').columns(['customer_id', 'due_date']).execute();
  // Lists and aging read only plans not fully received: a partial index keeps them from walking the
  // paid history. (0054 replaces this one with a covering index.)
  await db.schema
    .createIndex('payment_plan_unpaid_due_index')
    .on('payment_plan')
    .columns(['due_date', 'overdue_notified_days'])
    .where(sql.ref('status'), '<>', 'received')
    .execute();
  await db.schema
    .createIndex('payment_plan_unpaid_customer_index')
    .on('payment_plan')
    .columns(['customer_id', 'due_date', 'amount_fen', 'allocated_fen'])
    .where(sql.ref('status'), '<>', 'received')
    .execute();

  await db.schema
    .createTable('receipt')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('received_date', 'text', (c) => c.notNull().check(sql`length(received_date) = 10`))
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('allocated_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('payer_name', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('bank_transfer','cash','check','acceptance_bill','online','other')`))
    .addColumn('bank_reference', 'text', (c) => c.unique())
    .addColumn('note', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','bank_import')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','reversed')`))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reversed_at', 'text')
    .addColumn('reversed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('reversal_reason', 'text')
    .addCheckConstraint('receipt_allocated_check', sql`allocated_fen >= 0 and allocated_fen <= amount_fen`)
    .addCheckConstraint('receipt_reversed_check', sql`status = 'active' or (allocated_fen = 0 and reversed_at is not null)`)
    .execute();
  await db.schema.createIndex('receipt_customer_date_index').on('receipt').columns(['customer_id', 'received_date']).execute();
  await db.schema.createIndex('receipt_date_index').on('receipt').column('received_date').execute();

  await db.schema
    .createTable('allocation')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('payment_plan.id'))
    .addColumn('receipt_id', 'integer', (c) => c.references('receipt.id'))
    .addColumn('return_order_id', 'integer', (c) => c.references('return_order.id'))
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('auto','manual','return_credit')`))
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('reversed_at', 'text')
    .addColumn('reversed_by', 'integer', (c) => c.references('app_user.id'))
    .addCheckConstraint('allocation_source_check', sql`(receipt_id is null) <> (return_order_id is null)`)
    .execute();
  await db.schema.createIndex('allocation_plan_index').on('allocation').column('plan_id').execute();
  await db.schema.createIndex('allocation_receipt_index').on('allocation').column('receipt_id').execute();
  await db.schema.createIndex('allocation_return_order_index').on('allocation').column('return_order_id').execute();

  await db.schema
    .createTable('receivable_entry')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('shipment','consignment_settlement','return','receipt','receipt_reversal','adjustment')`),
    )
    .addColumn('source_id', 'integer', (c) => c.notNull())
    .addColumn('document_number', 'text', (c) => c.notNull())
    .addColumn('entry_date', 'text', (c) => c.notNull())
    .addColumn('posting_month', 'text', (c) => c.notNull().check(sql`length(posting_month) = 7`))
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('list_amount_fen', 'integer')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('receivable_entry_source_unique', ['kind', 'source_id'])
    .execute();
  // A statement reads one customer-month in entry order, and its opening balance sums the months before.
  await db.schema
    .createIndex('receivable_entry_customer_month_index')
    .on('receivable_entry')
    .columns(['customer_id', 'posting_month', 'amount_fen'])
    .execute();
}
