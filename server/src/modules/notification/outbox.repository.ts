import type { DbExecutor } from '../../db/database.js';

export interface OutboxInsert {
  dedupKey: string;
  kind: 'message' | 'todo_create' | 'todo_complete';
  recipientUserId: number;
  payload: unknown;
  now: Date;
}

/** Inserts unless the dedup key exists. Returns true when a new row was written. */
export async function insertOutboxRow(db: DbExecutor, row: OutboxInsert): Promise<boolean> {
  const result = await db
    .insertInto('outbox')
    .values({
      dedup_key: row.dedupKey,
      kind: row.kind,
      recipient_user_id: row.recipientUserId,
      payload: JSON.stringify(row.payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: row.now.toISOString(),
      last_error: null,
      platform_message_id: null,
      created_at: row.now.toISOString(),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function listDueOutboxRows(db: DbExecutor, now: Date, limit: number) {
  return db
    .selectFrom('outbox')
    .innerJoin('app_user', 'app_user.id', 'outbox.recipient_user_id')
    .select(['outbox.id', 'outbox.dedup_key', 'outbox.kind', 'outbox.payload', 'outbox.attempts', 'app_user.platform_user_id', 'app_user.union_id', 'app_user.active'])
    .where('outbox.status', '=', 'pending')
    .where('outbox.next_attempt_at', '<=', now.toISOString())
    .orderBy('outbox.id')
    .limit(limit)
    .execute();
}

/** Moves a row from pending to sending; false when another dispatcher took it first. */
export async function claimOutboxRow(db: DbExecutor, id: number): Promise<boolean> {
  const result = await db.updateTable('outbox').set({ status: 'sending' }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markOutboxSent(db: DbExecutor, id: number, platformMessageId: string | null, now: Date): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', platform_message_id: platformMessageId, sent_at: now.toISOString(), last_error: null }).where('id', '=', id).execute();
}

export async function markOutboxRetry(db: DbExecutor, id: number, attempts: number, nextAttemptAt: Date, error: string, failed: boolean): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ status: failed ? 'failed' : 'pending', attempts, next_attempt_at: nextAttemptAt.toISOString(), last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

/** Rows left in 'sending' by a dispatcher that crashed go back to pending after the lease has lapsed. */
export async function resetStuckOutboxRows(db: DbExecutor, olderThan: Date): Promise<void> {
  await db.updateTable('outbox').set({ status: 'pending' }).where('status', '=', 'sending').where('next_attempt_at', '<=', olderThan.toISOString()).execute();
}

export async function findTodoIdForSource(db: DbExecutor, dedupKey: string): Promise<string | null> {
  const row = await db.selectFrom('outbox').select('platform_message_id').where('dedup_key', '=', dedupKey).where('status', '=', 'sent').executeTakeFirst();
  return row?.platform_message_id ?? null;
}
