import { sql, type Kysely } from 'kysely';

const stages = `'initial_contact','needs_confirmed','quoting','negotiating','won','lost'`;

/**
 * Opportunities and their stage history. `close_date` is the actual close date once won or lost and the
 * expected one while open, so the funnel filters a period on one indexed column. `max_stage_rank` is the
 * furthest stage reached (1 initial contact … 5 won), which gives stage-to-stage conversion without
 * reading the history.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('opportunity')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('customer_id', 'integer', (c) => c.notNull().references('customer.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('textbook_subscription','library_supply','group_purchase','replenishment','new_release','other')`),
    )
    .addColumn('stage', 'text', (c) => c.notNull().check(sql.raw(`stage in (${stages})`)))
    .addColumn('max_stage_rank', 'integer', (c) => c.notNull().check(sql`max_stage_rank between 1 and 5`))
    .addColumn('expected_amount_fen', 'integer', (c) => c.notNull().check(sql`expected_amount_fen >= 0`))
    .addColumn('expected_close_date', 'text', (c) => c.notNull())
    .addColumn('close_date', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('competitor', 'text')
    .addColumn('notes', 'text')
    .addColumn('lost_reason', 'text')
    // The contract module's table is created by a later migration, so this is a plain id.
    .addColumn('won_contract_id', 'integer')
    .addColumn('closed_at', 'text')
    .addColumn('last_activity_at', 'text', (c) => c.notNull())
    .addColumn('stale_notified_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('opportunity_lost_reason_check', sql`stage <> 'lost' or lost_reason is not null`)
    .addCheckConstraint('opportunity_closed_at_check', sql`(stage in ('won','lost')) = (closed_at is not null)`)
    .execute();

  // Funnel: covering indexes so a period of one team, or of everyone, is read from the index alone.
  await db.schema
    .createIndex('opportunity_owner_funnel_index')
    .on('opportunity')
    .columns(['owner_id', 'close_date', 'stage', 'max_stage_rank', 'expected_amount_fen'])
    .execute();
  await db.schema
    .createIndex('opportunity_period_funnel_index')
    .on('opportunity')
    .columns(['close_date', 'stage', 'max_stage_rank', 'expected_amount_fen', 'owner_id'])
    .execute();
  await db.schema.createIndex('opportunity_customer_index').on('opportunity').columns(['customer_id', 'stage']).execute();
  await db.schema.createIndex('opportunity_stale_index').on('opportunity').columns(['stage', 'last_activity_at']).execute();

  await db.schema
    .createTable('opportunity_stage_change')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('opportunity_id', 'integer', (c) => c.notNull().references('opportunity.id').onDelete('cascade'))
    .addColumn('from_stage', 'text', (c) => c.check(sql.raw(`from_stage is null or from_stage in (${stages})`)))
    .addColumn('to_stage', 'text', (c) => c.notNull().check(sql.raw(`to_stage in (${stages})`)))
    .addColumn('reason', 'text')
    .addColumn('actor_user_id', 'integer', (c) => c.references('app_user.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('opportunity_stage_change_opportunity_index').on('opportunity_stage_change').columns(['opportunity_id', 'id']).execute();
}
