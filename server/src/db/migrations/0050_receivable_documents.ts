import { sql, type Kysely } from 'kysely';

/** Shipments, returns and consignment: the documents behind what a customer owes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shipment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('contract_id', 'integer', (c) => c.references('contract.id'))
    .addColumn('shipped_date', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull().check(sql`terms in ('sale','consignment')`))
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull().check(sql`list_amount_fen >= 0`))
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull().check(sql`net_amount_fen >= 0`))
    .addColumn('total_quantity', 'integer', (c) => c.notNull().check(sql`total_quantity > 0`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','import')`))
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('shipment_customer_date_index').on('shipment').columns(['customer_id', 'shipped_date']).execute();
  await db.schema.createIndex('shipment_contract_index').on('shipment').column('contract_id').execute();

  await db.schema
    .createTable('shipment_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('shipment_id', 'integer', (c) => c.notNull().references('shipment.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('isbn', 'text', (c) => c.notNull().check(sql`length(isbn) = 13`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('list_price_fen', 'integer', (c) => c.notNull().check(sql`list_price_fen >= 0`))
    .addColumn('discount', 'integer', (c) => c.notNull().check(sql`discount between 0 and 10000`))
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull())
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull())
    .addColumn('settled_quantity', 'integer', (c) => c.notNull().defaultTo(0).check(sql`settled_quantity >= 0`))
    .addColumn('returned_quantity', 'integer', (c) => c.notNull().defaultTo(0).check(sql`returned_quantity >= 0`))
    .addUniqueConstraint('shipment_line_no_unique', ['shipment_id', 'line_no'])
    .addCheckConstraint('shipment_line_stock_check', sql`settled_quantity + returned_quantity <= quantity`)
    .execute();
  await db.schema.createIndex('shipment_line_isbn_index').on('shipment_line').columns(['isbn', 'shipment_id']).execute();

  await db.schema
    .createTable('return_order')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('contract_id', 'integer', (c) => c.references('contract.id'))
    .addColumn('shipment_id', 'integer', (c) => c.references('shipment.id'))
    .addColumn('return_date', 'text', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull().check(sql`terms in ('sale','consignment')`))
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull().check(sql`list_amount_fen >= 0`))
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull().check(sql`net_amount_fen >= 0`))
    .addColumn('total_quantity', 'integer', (c) => c.notNull().check(sql`total_quantity > 0`))
    .addColumn('credited_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending_approval','confirmed','rejected','withdrawn')`))
    .addColumn('approval_id', 'integer')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','import')`))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addCheckConstraint('return_order_credit_check', sql`credited_fen >= 0 and credited_fen <= net_amount_fen`)
    .execute();
  await db.schema.createIndex('return_order_customer_date_index').on('return_order').columns(['customer_id', 'return_date']).execute();
  await db.schema.createIndex('return_order_contract_index').on('return_order').column('contract_id').execute();

  await db.schema
    .createTable('return_order_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('return_order_id', 'integer', (c) => c.notNull().references('return_order.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('isbn', 'text', (c) => c.notNull().check(sql`length(isbn) = 13`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('list_price_fen', 'integer', (c) => c.notNull().check(sql`list_price_fen >= 0`))
    .addColumn('discount', 'integer', (c) => c.notNull().check(sql`discount between 0 and 10000`))
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull())
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull())
    .addUniqueConstraint('return_order_line_no_unique', ['return_order_id', 'line_no'])
    .execute();

  await db.schema
    .createTable('consignment_agreement')
    .addColumn('customer_id', 'integer', (c) => c.primaryKey().references('customer.id'))
    .addColumn('return_window_days', 'integer', (c) => c.notNull().check(sql`return_window_days > 0`))
    .addColumn('warn_days_before', 'integer', (c) => c.notNull().check(sql`warn_days_before >= 0`))
    .addColumn('payment_days', 'integer', (c) => c.notNull().check(sql`payment_days >= 0`))
    .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consignment_settlement')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull().check(sql`list_amount_fen >= 0`))
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull().check(sql`net_amount_fen >= 0`))
    .addColumn('total_quantity', 'integer', (c) => c.notNull().check(sql`total_quantity > 0`))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual','import')`))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('consignment_settlement_period_check', sql`period_from <= period_to`)
    .execute();
  await db.schema.createIndex('consignment_settlement_customer_index').on('consignment_settlement').columns(['customer_id', 'period_to']).execute();

  await db.schema
    .createTable('consignment_settlement_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('settlement_id', 'integer', (c) => c.notNull().references('consignment_settlement.id'))
    .addColumn('shipment_line_id', 'integer', (c) => c.notNull().references('shipment_line.id'))
    .addColumn('isbn', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('list_price_fen', 'integer', (c) => c.notNull())
    .addColumn('discount', 'integer', (c) => c.notNull())
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull())
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consignment_settlement_line_settlement_index').on('consignment_settlement_line').column('settlement_id').execute();

  await db.schema
    .createTable('consignment_return_draw')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('return_order_line_id', 'integer', (c) => c.notNull().references('return_order_line.id'))
    .addColumn('shipment_line_id', 'integer', (c) => c.notNull().references('shipment_line.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .execute();
}
