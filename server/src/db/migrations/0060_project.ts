import { sql, type Kysely } from 'kysely';

const kinds = `'library_supply','textbook_subscription','custom_publishing','group_purchase','other'`;
const memberRoles = `'sales','bid','editorial','logistics','finance','other'`;
const documentKinds = `'bid_file','book_list','holdings','contract','other'`;
const linkTypes = `'opportunity','visit','quote','contract','approval','receipt'`;

/**
 * Projects: the core row, its customers, members, milestones, tasks, documents and the activities of
 * other modules linked to it. Customers and linked records belong to other modules, so they are referred
 * to by id (with a name snapshot) rather than by foreign key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('project')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql.raw(`kind in (${kinds})`)))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active','completed','cancelled')`))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('opportunity_id', 'integer')
    .addColumn('budget_fen', 'integer', (c) => c.notNull().defaultTo(0).check(sql`budget_fen >= 0`))
    .addColumn('start_date', 'text')
    .addColumn('end_date', 'text')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('project_dates_order', sql`start_date is null or end_date is null or start_date <= end_date`)
    .execute();
  await db.schema.createIndex('project_owner_index').on('project').columns(['owner_id', 'status']).execute();
  await db.schema.createIndex('project_updated_index').on('project').column('updated_at').execute();

  await db.schema
    .createTable('project_customer')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0).check(sql`is_primary in (0,1)`))
    .addPrimaryKeyConstraint('project_customer_pk', ['project_id', 'customer_id'])
    .execute();
  await db.schema.createIndex('project_customer_customer_index').on('project_customer').column('customer_id').execute();

  await db.schema
    .createTable('project_member')
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql.raw(`role in (${memberRoles})`)))
    .addColumn('added_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_member_pk', ['project_id', 'user_id'])
    .execute();
  await db.schema.createIndex('project_member_user_index').on('project_member').column('user_id').execute();

  await db.schema
    .createTable('project_milestone')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('done_date', 'text')
    .addColumn('assignee_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_milestone_project_index').on('project_milestone').columns(['project_id', 'seq']).execute();
  await db.schema.createIndex('project_milestone_due_index').on('project_milestone').columns(['done_date', 'due_date']).execute();

  await db.schema
    .createTable('project_task')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('milestone_id', 'integer', (c) => c.references('project_milestone.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('assignee_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open','done')`))
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_task_project_index').on('project_task').columns(['project_id', 'status']).execute();
  await db.schema.createIndex('project_task_assignee_index').on('project_task').columns(['assignee_id', 'status', 'due_date']).execute();
  await db.schema.createIndex('project_task_due_index').on('project_task').columns(['status', 'due_date']).execute();

  await db.schema
    .createTable('project_document')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql.raw(`kind in (${documentKinds})`)))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('project_document_project_index').on('project_document').column('project_id').execute();

  await db.schema
    .createTable('project_link')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('project.id'))
    .addColumn('ref_type', 'text', (c) => c.notNull().check(sql.raw(`ref_type in (${linkTypes})`)))
    .addColumn('ref_id', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('project_link_unique', ['project_id', 'ref_type', 'ref_id'])
    .execute();
  await db.schema.createIndex('project_link_ref_index').on('project_link').columns(['ref_type', 'ref_id']).execute();
}
