import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden } from '../../http/app-error.js';
import { loadMoneyCustomerOrThrow } from './receivable-access.js';
import { contractInForceStatuses, findReceivableContract, type ReceivableContract, type ReceivableCustomer } from './receivable-scope.js';

/** Shipments and returns are entered by the rep of the customer, their manager, or finance. */
export function assertMayEnterDocuments(actor: Actor, action: string): void {
  if (!hasRole(actor, 'rep', 'manager', 'finance', 'admin')) throw forbidden(action);
}

/** Loads the customer (in the actor's money scope) and, when given, a contract of that customer in force. */
export async function loadDocumentParties(db: DbExecutor, scope: DataScope, customerId: number, contractId: number | null | undefined): Promise<{ customer: ReceivableCustomer; contract: ReceivableContract | null }> {
  const customer = await loadMoneyCustomerOrThrow(db, scope, customerId);
  if (contractId === null || contractId === undefined) return { customer, contract: null };

  const contract = await findReceivableContract(db, contractId);
  if (!contract || contract.customerId !== customer.id) throw badRequest('contract_customer_mismatch', `合同 #${contractId} 不属于客户“${customer.name}”，请重新选择合同`);
  if (!contractInForceStatuses.includes(contract.status)) throw conflict('contract_not_in_force', `合同 ${contract.number} 尚未审批通过，不能关联发货或退货`);
  return { customer, contract };
}
