import { sql, type Kysely } from 'kysely';

/** Excel import jobs: the dry-run report and the validated rows wait here until the user commits them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer_import')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('validating','validated','importing','done','failed')`))
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('good_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bad_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_customers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_contacts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('payload', 'text')
    .addColumn('failure', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_import_user_index').on('customer_import').columns(['user_id', 'id']).execute();
}
