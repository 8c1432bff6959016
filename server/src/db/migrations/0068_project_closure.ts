import { type Kysely } from 'kysely';

/**
 * Why and when a project was completed or cancelled, and by whom. Reopening clears the three columns, so
 * they always describe the current closure; earlier closures stay in the audit log.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('project').addColumn('closed_reason', 'text').execute();
  await db.schema.alterTable('project').addColumn('closed_at', 'text').execute();
  await db.schema.alterTable('project').addColumn('closed_by', 'integer', (c) => c.references('app_user.id')).execute();
}
