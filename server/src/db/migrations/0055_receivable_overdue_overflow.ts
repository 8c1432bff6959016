import { sql, type Kysely } from 'kysely';

/**
 * Overdue notices past the per-person limit of one day, counted per recipient in the batch that marked
 * the plans, and sent as one summary when the run ends (or by the next run, after a crash).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('overdue_overflow')
    .addColumn('as_of_date', 'text', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
    .addColumn('plan_count', 'integer', (c) => c.notNull().check(sql`plan_count >= 0`))
    .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen >= 0`))
    .addColumn('flush_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flushed_at', 'text')
    .addPrimaryKeyConstraint('overdue_overflow_pk', ['as_of_date', 'user_id'])
    .execute();
  await db.schema.createIndex('overdue_overflow_pending_index').on('overdue_overflow').column('flushed_at').execute();
}
