import type { DbExecutor } from '../../db/database.js';
import { canonicalJson, sha256Hex } from '../../lib/hash.js';

export interface AuditEntry {
  actorUserId: number | null;
  /** Dotted verb such as 'customer.transfer' or 'approval.approve'. */
  action: string;
  entityType: string;
  entityId: string | number;
  data: Record<string, unknown>;
  occurredAt?: Date;
}

const genesisHash = '0'.repeat(64);

/**
 * Appends one row to the audit chain: its hash covers the previous row's hash and this row's content, so
 * editing or removing any row breaks every hash after it. Call it inside the transaction of the change it
 * records. NOTE: on PostgreSQL with several instances, appends need a lock on the chain head
 * (e.g. SELECT … FOR UPDATE); SQLite serialises writers, so no lock is taken here.
 */
export async function appendAudit(db: DbExecutor, entry: AuditEntry): Promise<{ id: number; hash: string }> {
  const last = await db.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? genesisHash;
  const row = {
    occurred_at: (entry.occurredAt ?? new Date()).toISOString(),
    actor_user_id: entry.actorUserId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: String(entry.entityId),
    data: canonicalJson(entry.data),
  };
  const hash = auditRowHash(prevHash, row);
  const inserted = await db
    .insertInto('audit_log')
    .values({ ...row, prev_hash: prevHash, hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, hash };
}

function auditRowHash(
  prevHash: string,
  row: { occurred_at: string; actor_user_id: number | null; action: string; entity_type: string; entity_id: string; data: string },
): string {
  return sha256Hex(canonicalJson({ prevHash, ...row }));
}

export interface AuditVerification {
  ok: boolean;
  checkedRows: number;
  /** Id of the first row whose hash or link does not match, when ok is false. */
  brokenAtId: number | null;
}

/** Recomputes the whole chain in id order, in pages so a large log does not load at once. */
export async function verifyAuditChain(db: DbExecutor, pageSize = 5000): Promise<AuditVerification> {
  let prevHash = genesisHash;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return { ok: true, checkedRows: checked, brokenAtId: null };
    for (const row of rows) {
      const expected = auditRowHash(prevHash, row);
      if (row.prev_hash !== prevHash || row.hash !== expected) return { ok: false, checkedRows: checked, brokenAtId: row.id };
      prevHash = row.hash;
      lastId = row.id;
      checked += 1;
    }
  }
}

export async function listAuditForEntity(db: DbExecutor, entityType: string, entityId: string | number) {
  return db
    .selectFrom('audit_log')
    .leftJoin('app_user', 'app_user.id', 'audit_log.actor_user_id')
    .select(['audit_log.id', 'audit_log.occurred_at', 'audit_log.action', 'audit_log.data', 'audit_log.hash', 'app_user.name as actor_name'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', String(entityId))
    .orderBy('audit_log.id', 'desc')
    .execute();
}
