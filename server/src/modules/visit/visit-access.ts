import type { Actor } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { AppError, notFound } from '../../http/app-error.js';
import { getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import { findVisitById, type VisitRow } from './visit.repository.js';

/**
 * Visibility of a visit. A user may read it when its rep is in the user's scope (the rep, their managers,
 * executives, admins) or when the user may see its customer (the customer's owner and collaborators read
 * every visit to it). Everyone else gets 404. Only the rep who made the visit may change it.
 */
export async function canSeeVisit(db: DbExecutor, actor: Actor, visit: Pick<VisitRow, 'owner_id' | 'customer_id'>): Promise<boolean> {
  if (visit.owner_id === actor.id) return true;
  if (isInScope(await resolveScope(db, actor, 'business'), visit.owner_id)) return true;
  return isCustomerVisible(db, actor, visit.customer_id);
}

export async function isCustomerVisible(db: DbExecutor, actor: Actor, customerId: number): Promise<boolean> {
  try {
    await getVisibleCustomerOrThrow(db, actor, customerId);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return false;
    throw error;
  }
}

export async function getVisibleVisitRowOrThrow(db: DbExecutor, actor: Actor, visitId: number): Promise<VisitRow> {
  const visit = await findVisitById(db, visitId);
  if (!visit || !(await canSeeVisit(db, actor, visit))) throw notFound('拜访记录');
  return visit;
}

export function canEditVisit(actor: Actor, visit: Pick<VisitRow, 'owner_id'>): boolean {
  return visit.owner_id === actor.id;
}

/** Loads a visit its rep is about to change: 404 when the caller may not see it, 403 when it is someone else's. */
export async function getOwnVisitRowOrThrow(db: DbExecutor, actor: Actor, visitId: number, action: string): Promise<VisitRow> {
  const visit = await getVisibleVisitRowOrThrow(db, actor, visitId);
  if (!canEditVisit(actor, visit)) throw new AppError(403, 'forbidden', `只有拜访人本人可以${action}`);
  return visit;
}
