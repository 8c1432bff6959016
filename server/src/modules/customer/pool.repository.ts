import type { DbExecutor } from '../../db/database.js';

export async function countOwnedCustomers(db: DbExecutor, ownerId: number): Promise<number> {
  const row = await db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('count')).where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Takes a pool customer for a new owner; false when someone else claimed it first. */
export async function assignFromPool(db: DbExecutor, customerId: number, owner: { userId: number; departmentId: number | null; at: string }): Promise<boolean> {
  const result = await db
    .updateTable('customer')
    .set((eb) => ({
      owner_id: owner.userId,
      owned_since: owner.at,
      department_id: owner.departmentId,
      released_at: null,
      release_reason: null,
      released_by: null,
      updated_at: owner.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', customerId)
    .where('owner_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Moves an owned customer to another owner; false when the owner changed meanwhile. */
export async function changeOwner(db: DbExecutor, customerId: number, fromOwnerId: number | null, owner: { userId: number; departmentId: number | null; at: string }): Promise<boolean> {
  const result = await db
    .updateTable('customer')
    .set((eb) => ({
      owner_id: owner.userId,
      owned_since: owner.at,
      department_id: owner.departmentId,
      released_at: null,
      release_reason: null,
      released_by: null,
      updated_at: owner.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', customerId)
    .where((eb) => (fromOwnerId === null ? eb('owner_id', 'is', null) : eb('owner_id', '=', fromOwnerId)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a customer back in the pool; false when its owner changed meanwhile. */
export async function returnToPool(db: DbExecutor, customerId: number, fromOwnerId: number, release: { reason: string; by: number | null; at: string }): Promise<boolean> {
  const result = await db
    .updateTable('customer')
    .set((eb) => ({
      owner_id: null,
      owned_since: null,
      department_id: null,
      released_at: release.at,
      release_reason: release.reason,
      released_by: release.by,
      updated_at: release.at,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', customerId)
    .where('owner_id', '=', fromOwnerId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;

  // Collaborators worked with the old owner; the next owner chooses their own.
  await db.deleteFrom('customer_collaborator').where('customer_id', '=', customerId).execute();
  await db
    .updateTable('collaboration_request')
    .set({ status: 'cancelled', decided_at: release.at })
    .where('customer_id', '=', customerId)
    .where('status', '=', 'pending')
    .execute();
  return true;
}

/**
 * Owned customers of one type whose last follow-up (or, never followed up, the start of ownership) is
 * before the cut-off: the candidates for returning to the pool, or for the advance notice.
 */
export async function listStaleCustomers(db: DbExecutor, type: string, cutoff: string, limit: number) {
  return db
    .selectFrom('customer')
    .select(['id', 'name', 'owner_id', 'owned_since', 'last_followed_up_at', 'type'])
    .where('type', '=', type)
    .where('owner_id', 'is not', null)
    .where('owned_since', '<', cutoff)
    .where((eb) => eb.or([eb('last_followed_up_at', 'is', null), eb('last_followed_up_at', '<', cutoff)]))
    .orderBy('id')
    .limit(limit)
    .execute();
}
