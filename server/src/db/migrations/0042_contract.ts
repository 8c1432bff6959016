import { sql, type Kysely } from 'kysely';

const contractTypes = `'purchase_sale','library_supply','textbook','framework','other'`;
const contractStatuses = `'draft','in_review','approved','sealed','archived','void_review','voided'`;
const attachmentKinds = `'contract_text','appendix','signed_copy'`;

/** Contracts with their book lines, installments (payment terms), attachments and yearly number sequence. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contract_number_sequence')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull().check(sql`last_value >= 0 and last_value <= 999999`))
    .execute();

  await db.schema
    .createTable('contract')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique().check(sql`length(number) = 14`))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(sql.raw(`type in (${contractTypes})`)))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${contractStatuses})`)))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('opportunity_id', 'integer')
    .addColumn('project_id', 'integer')
    .addColumn('quote_id', 'integer')
    .addColumn('start_date', 'text', (c) => c.check(sql`start_date is null or length(start_date) = 10`))
    .addColumn('end_date', 'text', (c) => c.check(sql`end_date is null or length(end_date) = 10`))
    .addColumn('delivery_terms', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('total_list_fen', 'integer', (c) => c.notNull().check(sql`total_list_fen >= 0`))
    .addColumn('total_net_fen', 'integer', (c) => c.notNull().check(sql`total_net_fen >= 0`))
    .addColumn('total_quantity', 'integer', (c) => c.notNull().check(sql`total_quantity >= 0`))
    .addColumn('has_special_discount', 'integer', (c) => c.notNull().check(sql`has_special_discount in (0, 1)`))
    .addColumn('approval_id', 'integer')
    .addColumn('approved_content_hash', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('sealed_at', 'text')
    .addColumn('sealed_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('seal_type', 'text', (c) => c.check(sql`seal_type is null or seal_type in ('contract_seal','company_seal','legal_rep_seal')`))
    .addColumn('sealed_content_hash', 'text')
    .addColumn('seal_note', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('archived_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('archive_number', 'text', (c) => c.unique())
    .addColumn('archive_location', 'text')
    .addColumn('void_reason', 'text')
    .addColumn('void_from_status', 'text')
    .addColumn('void_approval_id', 'integer')
    .addColumn('voided_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    // An approved (or later) contract always carries the hash of what was approved.
    .addCheckConstraint('contract_approved_hash_check', sql`status in ('draft','in_review') or approved_content_hash is not null or (status in ('void_review','voided') and void_from_status = 'draft')`)
    .addCheckConstraint('contract_sealed_check', sql`status not in ('sealed','archived') or (sealed_at is not null and sealed_content_hash is not null)`)
    .addCheckConstraint('contract_archived_check', sql`status <> 'archived' or archive_number is not null`)
    .execute();
  await db.schema.createIndex('contract_owner_index').on('contract').columns(['owner_id', 'id']).execute();
  await db.schema.createIndex('contract_customer_index').on('contract').columns(['customer_id', 'status']).execute();
  await db.schema.createIndex('contract_status_index').on('contract').columns(['status', 'id']).execute();
  await db.schema.createIndex('contract_opportunity_index').on('contract').column('opportunity_id').execute();
  await db.schema.createIndex('contract_quote_index').on('contract').column('quote_id').execute();

  await db.schema
    .createTable('contract_line')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq > 0`))
    .addColumn('book_id', 'integer', (c) => c.references('book.id'))
    .addColumn('isbn', 'text', (c) => c.check(sql`isbn is null or length(isbn) = 13`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('list_price_fen', 'integer', (c) => c.notNull().check(sql`list_price_fen > 0`))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('discount', 'integer', (c) => c.notNull().check(sql`discount between 0 and 10000`))
    .addColumn('floor_discount', 'integer', (c) => c.check(sql`floor_discount is null or floor_discount between 0 and 10000`))
    .addColumn('is_special_discount', 'integer', (c) => c.notNull().check(sql`is_special_discount in (0, 1)`))
    .addColumn('list_amount_fen', 'integer', (c) => c.notNull().check(sql`list_amount_fen >= 0`))
    .addColumn('net_amount_fen', 'integer', (c) => c.notNull().check(sql`net_amount_fen >= 0 and net_amount_fen <= list_amount_fen`))
    .addUniqueConstraint('contract_line_seq_unique', ['contract_id', 'seq'])
    .execute();

  await db.schema
    .createTable('contract_installment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq > 0`))
    .addColumn('due_date', 'text', (c) => c.notNull().check(sql`length(due_date) = 10`))
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen > 0`))
    // Set when the rep entered a percentage; the amount is then derived from it so the total stays exact.
    .addColumn('percent_bp', 'integer', (c) => c.check(sql`percent_bp is null or percent_bp between 1 and 10000`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('contract_installment_seq_unique', ['contract_id', 'seq'])
    .execute();

  await db.schema
    .createTable('contract_attachment')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('contract_id', 'integer', (c) => c.notNull().references('contract.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql.raw(`kind in (${attachmentKinds})`)))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`length(sha256) = 64`))
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    // Set when a draft's file is removed; the row stays so the history of uploads is complete.
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema.createIndex('contract_attachment_contract_index').on('contract_attachment').columns(['contract_id', 'id']).execute();
}
