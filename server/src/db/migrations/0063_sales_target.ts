import { sql, type Kysely } from 'kysely';

/** Monthly sales targets per rep or department; money targets in fen, counts as plain integers. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sales_target')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('month', 'text', (c) => c.notNull().check(sql`length(month) = 7`))
    .addColumn('subject_type', 'text', (c) => c.notNull().check(sql`subject_type in ('user','department')`))
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull().check(sql`metric in ('contract_amount','receipts','new_customers','visits')`))
    .addColumn('value', 'integer', (c) => c.notNull().check(sql`value >= 0`))
    .addColumn('set_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sales_target_unique', ['month', 'subject_type', 'subject_id', 'metric'])
    .execute();
  await db.schema.createIndex('sales_target_subject_index').on('sales_target').columns(['subject_type', 'subject_id', 'month']).execute();
}
