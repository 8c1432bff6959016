import { sql, type Kysely } from 'kysely';

/** Per-customer discount agreements (basis points) and the history of their changes with reasons. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('discount_agreement')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull().check(sql`scope in ('customer','category','series')`))
    .addColumn('scope_value', 'text', (c) => c.notNull())
    .addColumn('default_discount', 'integer', (c) => c.notNull().check(sql`default_discount between 0 and 10000`))
    .addColumn('floor_discount', 'integer', (c) => c.notNull().check(sql`floor_discount between 0 and 10000`))
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('updated_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('discount_agreement_floor_check', sql`floor_discount <= default_discount`)
    .addCheckConstraint('discount_agreement_scope_value_check', sql`(scope = 'customer') = (scope_value = '')`)
    .addCheckConstraint('discount_agreement_validity_check', sql`valid_to is null or valid_to >= valid_from`)
    .addUniqueConstraint('discount_agreement_unique', ['customer_id', 'scope', 'scope_value', 'valid_from'])
    .execute();

  await db.schema
    .createTable('discount_agreement_change')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('agreement_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('create','update','delete')`))
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('discount_agreement_change_customer_index').on('discount_agreement_change').columns(['customer_id', 'id']).execute();
}
