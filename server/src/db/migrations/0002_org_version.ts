import { sql, type Kysely } from 'kysely';

/**
 * A counter that goes up with every change to users, departments, memberships and roles, so a server
 * process can keep actors and their scopes in memory and know, with one single-row read, when they are
 * stale. Triggers keep it: org sync, callbacks, role edits and tests all write these tables in their own
 * ways, and none of them can forget to bump it.
 *
 * NOTE: trigger syntax is SQLite's, as for audit_log; a PostgreSQL deployment needs the equivalent
 * trigger functions.
 */
const orgTables = ['app_user', 'department', 'user_department', 'user_role'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('org_version')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into org_version (id, version) values (1, 0)`.execute(db);

  for (const table of orgTables) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql
        .raw(`create trigger ${table}_${event}_org_version after ${event} on ${table} begin update org_version set version = version + 1 where id = 1; end`)
        .execute(db);
    }
  }
}
