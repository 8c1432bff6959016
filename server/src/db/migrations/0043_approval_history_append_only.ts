import { sql, type Kysely } from 'kysely';

/**
 * The approval history is append-only like the audit log: the database itself refuses edits and deletions.
 * NOTE: trigger syntax is SQLite's, as for audit_log; a PostgreSQL deployment needs the equivalent
 * trigger functions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create trigger approval_history_no_update before update on approval_history begin select raise(abort, 'approval_history is append-only'); end`.execute(db);
  await sql`create trigger approval_history_no_delete before delete on approval_history begin select raise(abort, 'approval_history is append-only'); end`.execute(db);
}
