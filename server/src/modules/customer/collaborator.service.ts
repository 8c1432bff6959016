import type { Customer } from '@shared/api/customer.js';
import type { CollaborationRequest, CollaborationRequestInput } from '@shared/api/customer-collaboration.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { findUserById, listUserRoles } from '../org/org.repository.js';
import {
  decideRequest,
  deleteCollaborator,
  findPendingRequest,
  findRequestById,
  insertCollaborationRequest,
  listRequests,
  upsertCollaborator,
} from './collaborator.repository.js';
import { canManageCollaborators, loadCustomerAccess, loadVisibleCustomerOrThrow } from './customer-access.js';
import { customerLink } from './customer-links.js';
import { getCustomerDetail } from './customer-profile.service.js';
import { findCollaborator, findCustomerById } from './customer.repository.js';
import { buildSearchKeys } from './customer.rules.js';
import { findDuplicate } from './duplicate-check.service.js';
import { appendTimeline } from './timeline.service.js';

/**
 * Collaborators (协作人) see a customer and, when granted, edit it. The owner or a manager adds them
 * directly. A rep stopped by the duplicate check sends the owner a request, which the owner accepts or
 * declines in the app.
 */
export interface CollaborationContext {
  now: Date;
  publicUrl: string;
}

export async function addCollaborator(db: Db, actor: Actor, customerId: number, input: { userId: number; canEdit: boolean }, context: CollaborationContext): Promise<Customer> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  if (!canManageCollaborators(access, relation)) throw forbidden('设置协作人（只有负责人和主管可以设置）');
  if (relation.row.owner_id === input.userId) throw badRequest('collaborator_is_owner', '负责人本人不需要设为协作人');
  const user = await findUserById(db, input.userId);
  if (!user || user.active !== 1) throw notFound('同事');
  const roles = await listUserRoles(db, user.id);
  if (!roles.some((role) => role === 'rep' || role === 'manager')) throw badRequest('collaborator_not_sales', `${user.name} 不是销售人员，不能设为协作人`);

  await db.transaction().execute(async (trx) => {
    await upsertCollaborator(trx, { customerId, userId: user.id, canEdit: input.canEdit, addedBy: actor.id, addedAt: context.now.toISOString() });
    await appendTimeline(trx, { customerId, kind: 'collaborator', title: `添加协作人 ${user.name}${input.canEdit ? '（可编辑）' : ''}`, actorUserId: actor.id, occurredAt: context.now });
    await appendAudit(trx, { actorUserId: actor.id, action: 'customer.collaborator_add', entityType: 'customer', entityId: customerId, data: { userId: user.id, canEdit: input.canEdit }, occurredAt: context.now });
    await queueNotice(trx, {
      dedupKey: `customer:${customerId}:collaborator:${user.id}:${context.now.toISOString()}`,
      recipientUserId: user.id,
      content: {
        title: '您被设为客户协作人',
        fields: [{ label: '客户', value: relation.row.name }],
        text: `${actor.name} 把您设为客户“${relation.row.name}”的协作人${input.canEdit ? '，您可以编辑客户资料' : ''}。`,
        url: customerLink(context.publicUrl, `/customers/${customerId}`),
        buttonText: '查看客户',
      },
      now: context.now,
    });
  });
  return getCustomerDetail(db, actor, customerId);
}

export async function removeCollaborator(db: Db, actor: Actor, customerId: number, userId: number, now: Date): Promise<void> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  // A collaborator may leave by themselves; removing others needs the owner or a manager.
  if (userId !== actor.id && !canManageCollaborators(access, relation)) throw forbidden('移除协作人（只有负责人和主管可以移除）');
  const user = await findUserById(db, userId);

  await db.transaction().execute(async (trx) => {
    if (!(await deleteCollaborator(trx, customerId, userId))) throw notFound('协作人');
    await appendTimeline(trx, { customerId, kind: 'collaborator', title: `移除协作人 ${user?.name ?? userId}`, actorUserId: actor.id, occurredAt: now });
    await appendAudit(trx, { actorUserId: actor.id, action: 'customer.collaborator_remove', entityType: 'customer', entityId: customerId, data: { userId }, occurredAt: now });
  });
}

/**
 * Sends the owner of the customer that matched a duplicate check a request to be added as collaborator.
 * The probe is what the rep typed (name, credit code or mobile), so the request reveals nothing the
 * duplicate message did not.
 */
export async function requestCollaboration(db: Db, actor: Actor, input: CollaborationRequestInput, context: CollaborationContext): Promise<CollaborationRequest> {
  if (!actor.roles.some((role) => role === 'rep' || role === 'manager')) throw forbidden('申请成为协作人（仅销售人员）');
  const probe = {
    nameKey: input.name ? buildSearchKeys(input.name, null, null).nameKey : null,
    creditCode: input.creditCode ?? null,
    mobiles: input.mobile ? [input.mobile] : [],
  };
  const hit = await findDuplicate(db, probe);
  if (!hit) throw notFound('匹配的客户');
  const customer = hit.customer;
  if (customer.owner_id === null) throw conflict('customer_in_pool', '这个客户在公海中，可以直接领取，无需申请');
  if (customer.owner_id === actor.id || (await findCollaborator(db, customer.id, actor.id))) throw conflict('already_collaborating', '您已经是这个客户的负责人或协作人');

  const requestedAs = input.name ?? input.creditCode ?? input.mobile ?? '';
  const existing = await findPendingRequest(db, customer.id, actor.id);
  if (existing) return { id: existing.id, status: 'pending', requestedAs: existing.requested_as ?? requestedAs, customer: null, requester: { id: actor.id, name: actor.name }, message: existing.message, createdAt: existing.created_at, decidedAt: null };

  const ownerId = customer.owner_id;
  const id = await db.transaction().execute(async (trx) => {
    const requestId = await insertCollaborationRequest(trx, { customerId: customer.id, requesterId: actor.id, message: input.message ?? null, requestedAs, createdAt: context.now.toISOString() });
    await queueNotice(trx, {
      dedupKey: `collaboration-request:${requestId}:created`,
      recipientUserId: ownerId,
      content: {
        title: '协作申请',
        fields: [
          { label: '申请人', value: actor.name },
          { label: '客户', value: customer.name },
          ...(input.message ? [{ label: '说明', value: input.message }] : []),
        ],
        text: `${actor.name} 申请成为您负责的客户“${customer.name}”的协作人，请在应用中同意或拒绝。`,
        url: customerLink(context.publicUrl, '/customers/requests'),
        buttonText: '去处理',
      },
      now: context.now,
    });
    return requestId;
  });
  return { id, status: 'pending', requestedAs, customer: null, requester: { id: actor.id, name: actor.name }, message: input.message ?? null, createdAt: context.now.toISOString(), decidedAt: null };
}

/** Incoming requests (customers the actor owns) or outgoing ones (the actor asked). */
export async function listCollaborationRequests(db: Db, actor: Actor, box: 'incoming' | 'outgoing', status?: string): Promise<CollaborationRequest[]> {
  const rows = await listRequests(db, box === 'incoming' ? { ownerId: actor.id, status } : { requesterId: actor.id, status });
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    requestedAs: row.requested_as ?? '',
    // The requester learns the customer's record only once the owner accepted.
    customer: box === 'incoming' || row.status === 'accepted' ? { id: row.customer_id, name: row.customer_name } : null,
    requester: { id: row.requester_id, name: row.requester_name },
    message: row.message,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  }));
}

export async function decideCollaborationRequest(
  db: Db,
  actor: Actor,
  requestId: number,
  decision: { accept: boolean; canEdit: boolean },
  context: CollaborationContext,
): Promise<CollaborationRequest> {
  const request = await findRequestById(db, requestId);
  if (!request) throw notFound('协作申请');
  const customer = await findCustomerById(db, request.customer_id);
  if (!customer) throw notFound('协作申请');
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customer.id, { allowPool: false }).catch(() => {
    throw notFound('协作申请');
  });
  if (!canManageCollaborators(access, relation)) throw notFound('协作申请');
  const requester = await findUserById(db, request.requester_id);

  const at = context.now.toISOString();
  await db.transaction().execute(async (trx) => {
    if (!(await decideRequest(trx, requestId, decision.accept ? 'accepted' : 'declined', actor.id, at))) {
      throw conflict('request_already_decided', '这条申请已经处理过了');
    }
    if (decision.accept) {
      await upsertCollaborator(trx, { customerId: customer.id, userId: request.requester_id, canEdit: decision.canEdit, addedBy: actor.id, addedAt: at });
      await appendTimeline(trx, { customerId: customer.id, kind: 'collaborator', title: `同意 ${requester?.name ?? ''} 的协作申请`, actorUserId: actor.id, occurredAt: context.now });
      await appendAudit(trx, { actorUserId: actor.id, action: 'customer.collaborator_add', entityType: 'customer', entityId: customer.id, data: { userId: request.requester_id, canEdit: decision.canEdit, requestId }, occurredAt: context.now });
    }
    await queueNotice(trx, {
      dedupKey: `collaboration-request:${requestId}:decided`,
      recipientUserId: request.requester_id,
      content: {
        title: decision.accept ? '协作申请已通过' : '协作申请未通过',
        fields: [
          { label: '申请', value: request.requested_as ?? '' },
          { label: '处理人', value: actor.name },
        ],
        text: decision.accept ? `${actor.name} 同意了您的协作申请，您现在可以查看客户“${customer.name}”。` : `${actor.name} 拒绝了您对“${request.requested_as ?? ''}”的协作申请。`,
        url: customerLink(context.publicUrl, decision.accept ? `/customers/${customer.id}` : '/customers/requests'),
        buttonText: decision.accept ? '查看客户' : '查看申请',
      },
      now: context.now,
    });
  });
  return {
    id: request.id,
    status: decision.accept ? 'accepted' : 'declined',
    requestedAs: request.requested_as ?? '',
    customer: { id: customer.id, name: customer.name },
    requester: { id: request.requester_id, name: requester?.name ?? '' },
    message: request.message,
    createdAt: request.created_at,
    decidedAt: at,
  };
}
