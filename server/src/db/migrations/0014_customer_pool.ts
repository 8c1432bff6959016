import type { Kysely } from 'kysely';

/**
 * Who released a customer to the pool (the reclaim cool-down applies to that rep), and what a
 * collaboration request was made as: the requester sees their own words, not the customer's record,
 * until the owner accepts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('customer').addColumn('released_by', 'integer', (c) => c.references('app_user.id')).execute();
  await db.schema.alterTable('collaboration_request').addColumn('requested_as', 'text').execute();
  await db.schema.createIndex('customer_pool_index').on('customer').columns(['owner_id', 'released_at']).execute();
}
