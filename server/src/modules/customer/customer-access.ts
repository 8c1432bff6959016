import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import { isInScope, resolveScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { findCollaborator, findCustomerById, type CustomerRow } from './customer.repository.js';

/**
 * Who may see and change a customer. Reps see what they own or collaborate on, plus the pool; managers
 * their department subtree; executives and admins everything. Outside scope is always "not found".
 */
export interface CustomerAccess {
  actor: Actor;
  scope: DataScope;
}

export async function loadCustomerAccess(db: DbExecutor, actor: Actor): Promise<CustomerAccess> {
  return { actor, scope: await resolveScope(db, actor, 'business') };
}

export interface CustomerRelation {
  row: CustomerRow;
  /** The actor's collaborator row on this customer, when there is one. */
  collaboration: { canEdit: boolean } | undefined;
}

export function canViewCustomer(access: CustomerAccess, relation: CustomerRelation, options: { allowPool: boolean }): boolean {
  const { row } = relation;
  if (row.owner_id === null) return options.allowPool;
  return isInScope(access.scope, row.owner_id) || relation.collaboration !== undefined;
}

/** Owners, collaborators granted edit, managers over the owner and admins. Pool records: managers and admins. */
export function canEditCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  const { actor, scope } = access;
  const { row } = relation;
  if (hasRole(actor, 'admin')) return true;
  if (row.owner_id === null) return isManagerActor(actor);
  if (row.owner_id === actor.id) return true;
  if (relation.collaboration?.canEdit) return true;
  return isManagerActor(actor) && isInScope(scope, row.owner_id);
}

/** Assigning and transferring: a manager over the current owner (or any manager for the pool), or an admin. */
export function canTransferCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (hasRole(access.actor, 'admin')) return true;
  if (!isManagerActor(access.actor)) return false;
  return relation.row.owner_id === null || isInScope(access.scope, relation.row.owner_id);
}

export function canReleaseCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (relation.row.owner_id === null) return false;
  return relation.row.owner_id === access.actor.id || canTransferCustomer(access, relation);
}

export function canManageCollaborators(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (relation.row.owner_id === null) return false;
  return relation.row.owner_id === access.actor.id || canTransferCustomer(access, relation);
}

export function canClaimCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  return relation.row.owner_id === null && hasRole(access.actor, 'rep', 'manager');
}

function isManagerActor(actor: Actor): boolean {
  return actor.roles.includes('manager') || actor.leaderOfDepartmentIds.length > 0;
}

/** Loads a customer with the actor's relation to it, or throws 404 when it is missing or out of scope. */
export async function loadVisibleCustomerOrThrow(
  db: DbExecutor,
  access: CustomerAccess,
  customerId: number,
  options: { allowPool: boolean } = { allowPool: true },
): Promise<CustomerRelation> {
  const row = await findCustomerById(db, customerId);
  if (!row) throw notFound('客户');

  const collaborator = await findCollaborator(db, customerId, access.actor.id);
  const relation: CustomerRelation = { row, collaboration: collaborator ? { canEdit: collaborator.can_edit === 1 } : undefined };
  if (!canViewCustomer(access, relation, options)) throw notFound('客户');
  return relation;
}
