import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import { isInScope, resolveScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { forbidden, notFound } from '../../http/app-error.js';
import { findReceivableCustomer, type ReceivableCustomer } from './receivable-scope.js';

/** Resolves the money scope: finance, executives and admins see all, managers their subtree, reps their own customers. */
export async function loadMoneyScope(db: DbExecutor, actor: Actor): Promise<DataScope> {
  return resolveScope(db, actor, 'money');
}

/** Loads a customer whose money records the actor may see, or answers 404 as if it did not exist. */
export async function loadMoneyCustomerOrThrow(db: DbExecutor, scope: DataScope, customerId: number): Promise<ReceivableCustomer> {
  const customer = await findReceivableCustomer(db, customerId);
  if (!customer || !isInScope(scope, customer.ownerId)) throw notFound('客户');
  return customer;
}

/** Recording receipts, allocating, issuing fapiao and sending statements is finance work (admins may step in). */
export function assertFinance(actor: Actor, action: string): void {
  if (!hasRole(actor, 'finance', 'admin')) throw forbidden(action);
}

export function isFinance(actor: Actor): boolean {
  return hasRole(actor, 'finance', 'admin');
}
