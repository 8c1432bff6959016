import { sql, type Kysely } from 'kysely';

/** 教材征订: one school and term per project, and the orders per course and class with their shipment and returns. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('project_subscription')
    .addColumn('project_id', 'integer', (c) => c.primaryKey().references('project.id'))
    .addColumn('school_customer_id', 'integer', (c) => c.notNull())
    .addColumn('school_name', 'text', (c) => c.notNull())
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('catalog_sent_date', 'text')
    .addColumn('order_deadline', 'text', (c) => c.notNull())
    .addColumn('term_start_date', 'text', (c) => c.notNull())
    .addCheckConstraint('project_subscription_dates_order', sql`order_deadline <= term_start_date`)
    .execute();
  await db.schema.createIndex('project_subscription_school_index').on('project_subscription').columns(['school_customer_id', 'term']).execute();

  await db.schema
    .createTable('project_subscription_order')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('course', 'text', (c) => c.notNull())
    .addColumn('class_name', 'text', (c) => c.notNull())
    .addColumn('isbn', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('book_id', 'integer')
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('shipped_quantity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shipped_date', 'text')
    .addColumn('returned_quantity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('returned_date', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('project_subscription_order_shipped', sql`shipped_quantity >= 0 and shipped_quantity <= quantity`)
    .addCheckConstraint('project_subscription_order_returned', sql`returned_quantity >= 0 and returned_quantity <= shipped_quantity`)
    .addUniqueConstraint('project_subscription_order_unique', ['project_id', 'course', 'class_name', 'isbn'])
    .execute();
}
