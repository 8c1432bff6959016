import type { DbExecutor } from '../../db/database.js';

export async function insertSession(
  db: DbExecutor,
  session: { tokenHash: string; userId: number; now: Date; idleExpiresAt: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      created_at: session.now.toISOString(),
      last_seen_at: session.now.toISOString(),
      idle_expires_at: session.idleExpiresAt.toISOString(),
      expires_at: session.expiresAt.toISOString(),
      revoked_at: null,
      revoke_reason: null,
    })
    .execute();
}

export async function findSessionByTokenHash(db: DbExecutor, tokenHash: string) {
  return db.selectFrom('session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function touchSession(db: DbExecutor, id: number, now: Date, idleExpiresAt: Date): Promise<void> {
  await db
    .updateTable('session')
    .set({ last_seen_at: now.toISOString(), idle_expires_at: idleExpiresAt.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function revokeSession(db: DbExecutor, id: number, now: Date, reason: string): Promise<void> {
  await db.updateTable('session').set({ revoked_at: now.toISOString(), revoke_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Revokes every live session of a user, e.g. when they leave the organisation. Returns how many. */
export async function revokeUserSessions(db: DbExecutor, userId: number, now: Date, reason: string): Promise<number> {
  const result = await db
    .updateTable('session')
    .set({ revoked_at: now.toISOString(), revoke_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
