import { sql, type Kysely } from 'kysely';

/**
 * 馆配 book lists: the library's list of wanted titles, the holdings it already has, and the delivery
 * batches that fill the list. A book-list line refers to the catalog by id when its ISBN matched one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('project_book_list_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull().check(sql`line_no >= 1`))
    .addColumn('isbn', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0).check(sql`held in (0,1)`))
    .addColumn('book_id', 'integer')
    .addColumn('list_price_fen', 'integer', (c) => c.check(sql`list_price_fen >= 0`))
    .addColumn('delivered_quantity', 'integer', (c) => c.notNull().defaultTo(0).check(sql`delivered_quantity >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('project_book_list_item_isbn_unique', ['project_id', 'isbn'])
    .execute();
  await db.schema.createIndex('project_book_list_item_line_index').on('project_book_list_item').columns(['project_id', 'line_no']).execute();

  await db.schema
    .createTable('project_holding')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('isbn', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_holding_pk', ['project_id', 'isbn'])
    .execute();

  await db.schema
    .createTable('project_delivery_batch')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('batch_no', 'integer', (c) => c.notNull().check(sql`batch_no >= 1`))
    .addColumn('shipped_date', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('project_delivery_batch_no_unique', ['project_id', 'batch_no'])
    .execute();

  await db.schema
    .createTable('project_delivery_line')
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('project_delivery_batch.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('project_book_list_item.id'))
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addPrimaryKeyConstraint('project_delivery_line_pk', ['batch_id', 'item_id'])
    .execute();
  await db.schema.createIndex('project_delivery_line_item_index').on('project_delivery_line').column('item_id').execute();
}
