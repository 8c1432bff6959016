import { sql, type Kysely } from 'kysely';

/** Invoice requests (开票申请) and the fapiao finance records against them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('invoice_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('buyer_name', 'text', (c) => c.notNull())
    .addColumn('tax_id', 'text', (c) => c.notNull())
    .addColumn('address_phone', 'text', (c) => c.notNull())
    .addColumn('bank_account', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('issued_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('different_buyer_confirmed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`different_buyer_confirmed in (0, 1)`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending_approval','approved','rejected','withdrawn','issued')`))
    .addColumn('approval_id', 'integer')
    .addColumn('note', 'text')
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addCheckConstraint('invoice_request_issued_check', sql`issued_fen >= 0 and issued_fen <= amount_fen`)
    .execute();
  await db.schema.createIndex('invoice_request_contract_index').on('invoice_request').columns(['contract_id', 'status']).execute();
  await db.schema.createIndex('invoice_request_customer_index').on('invoice_request').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('invoice_request_status_index').on('invoice_request').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('invoice')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('invoice_request_id', 'integer', (c) => c.notNull().references('invoice_request.id'))
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('blue','red')`))
    .addColumn('invoice_code', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('tax_fen', 'integer', (c) => c.notNull().check(sql`tax_fen >= 0`))
    .addColumn('reverses_invoice_id', 'integer', (c) => c.references('invoice.id'))
    .addColumn('reversed_fen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recorded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoice_number_unique', ['invoice_code', 'invoice_number'])
    .addCheckConstraint('invoice_red_check', sql`(kind = 'red') = (reverses_invoice_id is not null)`)
    .addCheckConstraint('invoice_reversed_check', sql`reversed_fen >= 0 and reversed_fen <= amount_fen and (kind = 'blue' or reversed_fen = 0)`)
    .addCheckConstraint('invoice_number_format_check', sql`(invoice_code = '' and length(invoice_number) = 20) or (invoice_code <> '' and length(invoice_number) = 8)`)
    .execute();
  await db.schema.createIndex('invoice_request_index').on('invoice').column('invoice_request_id').execute();
  await db.schema.createIndex('invoice_contract_index').on('invoice').column('contract_id').execute();

  await db.schema
    .createTable('invoice_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('invoice_id', 'integer', (c) => c.notNull().references('invoice.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('tax_rate_bp', 'integer', (c) => c.notNull().check(sql`tax_rate_bp between 0 and 10000`))
    .addColumn('tax_fen', 'integer', (c) => c.notNull().check(sql`tax_fen >= 0`))
    .addUniqueConstraint('invoice_line_no_unique', ['invoice_id', 'line_no'])
    .execute();
}
