import { sql, type Kysely } from 'kysely';

const customerTypes = `'online_platform','xinhua_store','private_store','library','school','institution','corporate','other'`;
const customerStages = `'potential','target','won','lost'`;
const contactRoles = `'decision_maker','purchaser','finance','librarian','teacher','store_manager','other'`;

/** Customers, contacts, collaborators, stage history and the timeline of the customer center. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('customer')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('short_name', 'text')
    .addColumn('name_pinyin', 'text', (c) => c.notNull())
    .addColumn('name_initials', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql.raw(`type in (${customerTypes})`)))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql.raw(`stage in (${customerStages})`)))
    .addColumn('stage_changed_at', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.unique().check(sql`credit_code is null or length(credit_code) = 18`))
    .addColumn('province_code', 'text', (c) => c.notNull().references('region.code'))
    .addColumn('city_code', 'text', (c) => c.references('region.code'))
    .addColumn('county_code', 'text', (c) => c.references('region.code'))
    .addColumn('address', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('source', 'text')
    .addColumn('notes', 'text')
    .addColumn('owner_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('owned_since', 'text')
    .addColumn('department_id', 'integer', (c) => c.references('department.id'))
    .addColumn('credit_limit_fen', 'integer', (c) => c.check(sql`credit_limit_fen is null or credit_limit_fen >= 0`))
    .addColumn('released_at', 'text')
    .addColumn('release_reason', 'text')
    .addColumn('last_followed_up_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('customer_owner_since_check', sql`(owner_id is null) = (owned_since is null)`)
    .execute();

  // List queries: every list is scoped by owner (or the pool, owner_id null) and sorted by one of these.
  await db.schema.createIndex('customer_owner_updated_index').on('customer').columns(['owner_id', 'updated_at']).execute();
  await db.schema.createIndex('customer_owner_followup_index').on('customer').columns(['owner_id', 'last_followed_up_at']).execute();
  await db.schema.createIndex('customer_updated_index').on('customer').column('updated_at').execute();
  await db.schema.createIndex('customer_created_index').on('customer').column('created_at').execute();
  await db.schema.createIndex('customer_followup_index').on('customer').column('last_followed_up_at').execute();
  await db.schema.createIndex('customer_pinyin_index').on('customer').column('name_pinyin').execute();
  await db.schema.createIndex('customer_initials_index').on('customer').column('name_initials').execute();
  await db.schema.createIndex('customer_county_index').on('customer').column('county_code').execute();
  await db.schema.createIndex('customer_city_index').on('customer').column('city_code').execute();
  await db.schema.createIndex('customer_province_index').on('customer').column('province_code').execute();
  await db.schema.createIndex('customer_department_index').on('customer').column('department_id').execute();

  await db.schema
    .createTable('customer_collaborator')
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('can_edit', 'integer', (c) => c.notNull().defaultTo(0).check(sql`can_edit in (0, 1)`))
    .addColumn('added_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_collaborator_pk', ['customer_id', 'user_id'])
    .execute();
  await db.schema.createIndex('customer_collaborator_user_index').on('customer_collaborator').columns(['user_id', 'customer_id']).execute();

  await db.schema
    .createTable('collaboration_request')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('requester_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','accepted','declined','cancelled')`))
    .addColumn('message', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
    .execute();
  await db.schema.createIndex('collaboration_request_customer_index').on('collaboration_request').columns(['customer_id', 'status']).execute();
  await db.schema.createIndex('collaboration_request_requester_index').on('collaboration_request').columns(['requester_id', 'status']).execute();

  await db.schema
    .createTable('customer_stage_change')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('from_stage', 'text', (c) => c.check(sql.raw(`from_stage is null or from_stage in (${customerStages})`)))
    .addColumn('to_stage', 'text', (c) => c.notNull().check(sql.raw(`to_stage in (${customerStages})`)))
    .addColumn('reason', 'text')
    .addColumn('actor_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_stage_change_customer_index').on('customer_stage_change').columns(['customer_id', 'id']).execute();

  await db.schema
    .createTable('contact')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('role', 'text', (c) => c.notNull().check(sql.raw(`role in (${contactRoles})`)))
    .addColumn('mobile', 'text', (c) => c.unique().check(sql`mobile is null or length(mobile) = 11`))
    .addColumn('landline', 'text')
    .addColumn('email', 'text')
    .addColumn('is_key', 'integer', (c) => c.notNull().defaultTo(0).check(sql`is_key in (0, 1)`))
    .addColumn('notes', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('contact_customer_index').on('contact').columns(['customer_id', 'is_key']).execute();
  await db.schema.createIndex('contact_landline_index').on('contact').column('landline').execute();

  await db.schema
    .createTable('customer_timeline')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_type', 'text')
    .addColumn('ref_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('actor_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_timeline_customer_index').on('customer_timeline').columns(['customer_id', 'occurred_at', 'id']).execute();
}
