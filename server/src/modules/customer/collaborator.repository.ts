import type { DbExecutor } from '../../db/database.js';

export async function listCollaborators(db: DbExecutor, customerId: number) {
  return db
    .selectFrom('customer_collaborator')
    .innerJoin('app_user', 'app_user.id', 'customer_collaborator.user_id')
    .select(['app_user.id', 'app_user.name', 'customer_collaborator.can_edit', 'customer_collaborator.added_at'])
    .where('customer_collaborator.customer_id', '=', customerId)
    .orderBy('customer_collaborator.added_at')
    .execute();
}

export async function upsertCollaborator(db: DbExecutor, values: { customerId: number; userId: number; canEdit: boolean; addedBy: number; addedAt: string }): Promise<void> {
  await db
    .insertInto('customer_collaborator')
    .values({ customer_id: values.customerId, user_id: values.userId, can_edit: values.canEdit ? 1 : 0, added_by: values.addedBy, added_at: values.addedAt })
    .onConflict((oc) => oc.columns(['customer_id', 'user_id']).doUpdateSet({ can_edit: values.canEdit ? 1 : 0 }))
    .execute();
}

export async function deleteCollaborator(db: DbExecutor, customerId: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('customer_collaborator').where('customer_id', '=', customerId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertCollaborationRequest(db: DbExecutor, values: { customerId: number; requesterId: number; message: string | null; requestedAs: string; createdAt: string }): Promise<number> {
  const row = await db
    .insertInto('collaboration_request')
    .values({ customer_id: values.customerId, requester_id: values.requesterId, status: 'pending', message: values.message, requested_as: values.requestedAs, created_at: values.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findPendingRequest(db: DbExecutor, customerId: number, requesterId: number) {
  return db
    .selectFrom('collaboration_request')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('requester_id', '=', requesterId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function findRequestById(db: DbExecutor, id: number) {
  return db.selectFrom('collaboration_request').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a pending request; false when it was decided already (a second tap, or two devices). */
export async function decideRequest(db: DbExecutor, id: number, status: 'accepted' | 'declined' | 'cancelled', decidedBy: number, decidedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('collaboration_request')
    .set({ status, decided_by: decidedBy, decided_at: decidedAt })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Requests waiting for this owner (incoming) or sent by this user (outgoing), newest first. */
export async function listRequests(db: DbExecutor, filter: { ownerId?: number; requesterId?: number; status?: string }) {
  let query = db
    .selectFrom('collaboration_request')
    .innerJoin('customer', 'customer.id', 'collaboration_request.customer_id')
    .innerJoin('app_user as requester', 'requester.id', 'collaboration_request.requester_id')
    .leftJoin('app_user as owner', 'owner.id', 'customer.owner_id')
    .select([
      'collaboration_request.id',
      'collaboration_request.status',
      'collaboration_request.message',
      'collaboration_request.requested_as',
      'collaboration_request.created_at',
      'collaboration_request.decided_at',
      'customer.id as customer_id',
      'customer.name as customer_name',
      'requester.id as requester_id',
      'requester.name as requester_name',
      'owner.name as owner_name',
    ]);
  if (filter.ownerId !== undefined) query = query.where('customer.owner_id', '=', filter.ownerId);
  if (filter.requesterId !== undefined) query = query.where('collaboration_request.requester_id', '=', filter.requesterId);
  if (filter.status) query = query.where('collaboration_request.status', '=', filter.status as 'pending');
  return query.orderBy('collaboration_request.id', 'desc').limit(100).execute();
}
