import { sql, type Kysely } from 'kysely';

const purposes = `'new_title','shelf_check','collection','reconciliation','subscription','library_supply','other'`;

/** Store visits with their check-in, contacts met, shelf check, photos, and the reps' visit plans. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('visit_plan')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('plan_date', 'text', (c) => c.notNull().check(sql`length(plan_date) = 10`))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql.raw(`purpose in (${purposes})`)))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('planned','visited','cancelled')`))
    .addColumn('visit_id', 'integer')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('visit_plan_owner_customer_date_unique', ['owner_id', 'customer_id', 'plan_date'])
    .execute();
  await db.schema.createIndex('visit_plan_owner_date_index').on('visit_plan').columns(['owner_id', 'plan_date']).execute();

  await db.schema
    .createTable('visit')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('purpose', 'text', (c) => c.notNull().check(sql.raw(`purpose in (${purposes})`)))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('checked_in','checked_out')`))
    .addColumn('check_in_at', 'text', (c) => c.notNull())
    .addColumn('check_in_date', 'text', (c) => c.notNull().check(sql`length(check_in_date) = 10`))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('delayed_upload', 'integer', (c) => c.notNull().defaultTo(0).check(sql`delayed_upload in (0, 1)`))
    .addColumn('latitude', 'real', (c) => c.check(sql`latitude is null or (latitude between -90 and 90)`))
    .addColumn('longitude', 'real', (c) => c.check(sql`longitude is null or (longitude between -180 and 180)`))
    .addColumn('accuracy_m', 'real', (c) => c.check(sql`accuracy_m is null or accuracy_m >= 0`))
    .addColumn('coordinate_system', 'text', (c) => c.check(sql`coordinate_system is null or coordinate_system in ('wgs84','gcj02')`))
    .addColumn('address', 'text')
    .addColumn('location_failure', 'text')
    .addColumn('distance_m', 'integer', (c) => c.check(sql`distance_m is null or distance_m >= 0`))
    .addColumn('radius_m', 'integer', (c) => c.notNull().check(sql`radius_m > 0`))
    .addColumn('location_status', 'text', (c) => c.notNull().check(sql`location_status in ('near','far','customer_unlocated','device_unlocated')`))
    .addColumn('flagged', 'integer', (c) => c.notNull().check(sql`flagged in (0, 1)`))
    .addColumn('flag_reason', 'text')
    .addColumn('set_customer_location', 'integer', (c) => c.notNull().defaultTo(0).check(sql`set_customer_location in (0, 1)`))
    .addColumn('plan_id', 'integer', (c) => c.references('visit_plan.id'))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('next_step', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('follow_up_date', 'text', (c) => c.check(sql`follow_up_date is null or length(follow_up_date) = 10`))
    .addColumn('follow_up_done_at', 'text')
    .addColumn('check_out_at', 'text')
    .addColumn('duration_minutes', 'integer', (c) => c.check(sql`duration_minutes is null or duration_minutes >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('visit_location_pair_check', sql`(latitude is null) = (longitude is null)`)
    .addCheckConstraint('visit_flag_reason_check', sql`flagged = 0 or flag_reason is not null`)
    .addCheckConstraint('visit_check_out_check', sql`(status = 'checked_out') = (check_out_at is not null)`)
    .execute();

  // Team view and per-rep lists: one range scan per rep over (owner, day).
  await db.schema.createIndex('visit_owner_date_index').on('visit').columns(['owner_id', 'check_in_date']).execute();
  // A rep's or a team's list, newest first, pages by id.
  await db.schema.createIndex('visit_owner_id_index').on('visit').columns(['owner_id', 'id']).execute();
  // A customer's visits, and the previous shelf check at the same store.
  await db.schema.createIndex('visit_customer_index').on('visit').columns(['customer_id', 'check_in_at']).execute();
  // Counts over all reps (executives, KPIs).
  await db.schema.createIndex('visit_date_index').on('visit').column('check_in_date').execute();
  // Follow-ups still open, per rep, by due date: only the few open ones are indexed.
  await db.schema
    .createIndex('visit_open_follow_up_index')
    .on('visit')
    .columns(['owner_id', 'follow_up_date'])
    .where(sql.ref('follow_up_date'), 'is not', null)
    .where(sql.ref('follow_up_done_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('visit_contact')
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('contact_id', 'integer', (c) => c.references('contact.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('visit_contact_pk', ['visit_id', 'seq'])
    .execute();

  await db.schema
    .createTable('visit_shelf_item')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('isbn', 'text', (c) => c.notNull().check(sql`length(isbn) = 13`))
    .addColumn('book_id', 'integer', (c) => c.references('book.id'))
    .addColumn('title', 'text')
    .addColumn('on_shelf', 'integer', (c) => c.notNull().check(sql`on_shelf in (0, 1)`))
    .addColumn('facing_count', 'integer', (c) => c.notNull().check(sql`facing_count >= 0`))
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('visit_shelf_item_visit_isbn_unique', ['visit_id', 'isbn'])
    .execute();

  await db.schema
    .createTable('visit_photo')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('visit_id', 'integer', (c) => c.notNull().references('visit.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`length(sha256) = 64`))
    .addColumn('mime_type', 'text', (c) => c.notNull().check(sql`mime_type in ('image/jpeg','image/png','image/webp')`))
    .addColumn('width', 'integer', (c) => c.notNull().check(sql`width > 0`))
    .addColumn('height', 'integer', (c) => c.notNull().check(sql`height > 0`))
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('taken_at', 'text')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.notNull().references('app_user.id'))
    // The same bytes sent twice for one visit (a retried upload) are one photo.
    .addUniqueConstraint('visit_photo_visit_sha256_unique', ['visit_id', 'sha256'])
    .execute();
}
