import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import { isInScope, resolveScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { findCollaborator, findCustomerById, type CustomerRow } from './customer.repository.js';

/**
 * Who may see and change a customer. Reps see what they own or collaborate on, plus the pool; managers
 * their department subtree; executives and admins everything. Finance reads every customer in its money
 * scope, where its receivables are, and changes none. Outside scope is always "not found".
 */
export interface CustomerAccess {
  actor: Actor;
  /** Owners whose customers the actor may read: lists, search, detail, contacts, timeline. */
  scope: DataScope;
  /** Owners whose customers the actor may edit, assign or transfer as a manager; never wider than `scope`. */
  businessScope: DataScope;
}

/**
 * Loads the actor's scopes. `purpose: 'business'` keeps the read scope to the business one, for callers
 * that act on the customer (other modules creating visits, quotes or contracts through
 * getVisibleCustomerOrThrow), so finance's wider read access never lets it sell.
 */
export async function loadCustomerAccess(db: DbExecutor, actor: Actor, purpose: 'read' | 'business' = 'read'): Promise<CustomerAccess> {
  const businessScope = await resolveScope(db, actor, 'business');
  // Finance follows receivables up to the customer's 360 view, so it reads customers in its money scope
  // (every customer today). Its business scope stays its own, which keeps every change out of reach.
  const readsMoneyScope = purpose === 'read' && hasRole(actor, 'finance') && businessScope.kind !== 'all';
  const scope = readsMoneyScope ? await resolveScope(db, actor, 'money') : businessScope;
  return { actor, scope, businessScope };
}

/** Finance staff without a sales or management role: they read customers and change none. */
export function isFinanceReader(actor: Actor): boolean {
  return hasRole(actor, 'finance') && !hasRole(actor, 'rep', 'manager', 'executive', 'admin');
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
  const { actor, businessScope } = access;
  const { row } = relation;
  if (hasRole(actor, 'admin')) return true;
  if (row.owner_id === null) return isManagerActor(actor);
  if (row.owner_id === actor.id) return true;
  if (relation.collaboration?.canEdit) return true;
  return isManagerActor(actor) && isInScope(businessScope, row.owner_id);
}

/** Assigning and transferring: a manager over the current owner (or any manager for the pool), or an admin. */
export function canTransferCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (hasRole(access.actor, 'admin')) return true;
  if (!isManagerActor(access.actor)) return false;
  return relation.row.owner_id === null || isInScope(access.businessScope, relation.row.owner_id);
}

export function canReleaseCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (relation.row.owner_id === null) return false;
  return relation.row.owner_id === access.actor.id || canTransferCustomer(access, relation);
}

export function canManageCollaborators(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (relation.row.owner_id === null) return false;
  return relation.row.owner_id === access.actor.id || canTransferCustomer(access, relation);
}

/**
 * Recording visits and follow-ups: allowed to users who see the customer in their business scope or
 * collaborate on it. Finance reads customers through its money scope, so it does not follow them up.
 */
export function canFollowUpCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (relation.row.owner_id === null) return false;
  return isInScope(access.businessScope, relation.row.owner_id) || relation.collaboration !== undefined;
}

export function canClaimCustomer(access: CustomerAccess, relation: CustomerRelation): boolean {
  return relation.row.owner_id === null && hasRole(access.actor, 'rep', 'manager');
}

/**
 * A manager of customers: the manager role, or a department leader who is not a finance reader. The head
 * of the finance department leads people who own no customers, so leading it grants no pool edits or
 * assignments.
 */
function isManagerActor(actor: Actor): boolean {
  if (isFinanceReader(actor)) return false;
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
