import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the team view, which counts visits, distinct customers and flagged check-ins per rep and
 * day. With the customer in the (owner, day) index, the counts are read from the index alone instead of
 * from every visit row of the month. Flagged check-ins are a few percent of all, so a partial index of
 * just those rows serves their count. Plans get their status into the (owner, day) index for the same reason.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('visit_owner_date_index').execute();
  await db.schema.createIndex('visit_owner_date_index').on('visit').columns(['owner_id', 'check_in_date', 'customer_id']).execute();
  await db.schema.dropIndex('visit_plan_owner_date_index').execute();
  await db.schema.createIndex('visit_plan_owner_date_index').on('visit_plan').columns(['owner_id', 'plan_date', 'status']).execute();
  await db.schema.createIndex('visit_flagged_index').on('visit').columns(['owner_id', 'check_in_date']).where(sql<boolean>`flagged = 1`).execute();
}
