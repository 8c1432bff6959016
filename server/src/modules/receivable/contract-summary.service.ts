import type { ContractReceivableSummary } from '@shared/api/receivable.js';
import { daysOverdue, invoiceableFen } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import { isInScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { sumAllocationsForContract } from './allocation.repository.js';
import { sumInvoicedForContract } from './invoice.repository.js';
import { listPlansForContract } from './payment-plan.repository.js';
import { sumReturnsForContract } from './return-order.repository.js';
import { findReceivableCustomer, findReceivableContract, type ReceivableContract } from './receivable-scope.js';
import { loadMoneyScope } from './receivable-access.js';
import { toPaymentPlans } from './receivable.mapper.js';
import { sumShippedNetForContract } from './shipment.repository.js';

/**
 * Sums a contract's money: planned, received (receipts), credited (returns), outstanding and overdue.
 * It adds shipped and returned 实洋, invoiced (blue minus red fapiao), what open invoice requests
 * reserve, and what may still be invoiced. The contract page shows it and invoice requests check
 * against it. The caller checks access to the contract.
 */
export async function contractReceivableSummary(db: DbExecutor, contractId: number, today: string): Promise<ContractReceivableSummary> {
  const [planRows, allocations, shippedNetFen, returns, invoiced] = await Promise.all([
    listPlansForContract(db, contractId),
    sumAllocationsForContract(db, contractId),
    sumShippedNetForContract(db, contractId),
    sumReturnsForContract(db, contractId),
    sumInvoicedForContract(db, contractId),
  ]);

  const planFen = planRows.reduce((sum, plan) => sum + plan.amount_fen, 0);
  const cancelledFen = planRows.reduce((sum, plan) => sum + plan.cancelled_fen, 0);
  const unpaid = (plan: (typeof planRows)[number]) => plan.amount_fen - plan.allocated_fen - plan.cancelled_fen;
  const outstandingFen = planRows.reduce((sum, plan) => sum + unpaid(plan), 0);
  const overdueFen = planRows.filter((plan) => daysOverdue(plan.due_date, today) > 0).reduce((sum, plan) => sum + unpaid(plan), 0);

  return {
    contractId,
    planFen,
    receivedFen: allocations.receivedFen,
    creditedFen: allocations.creditedFen,
    cancelledFen,
    outstandingFen,
    overdueFen,
    shippedNetFen,
    returnedNetFen: returns.confirmedNetFen,
    invoicedFen: invoiced.issuedNetFen,
    reservedFen: invoiced.reservedFen,
    invoiceableFen: invoiceableFen({ shippedNetFen, returnedNetFen: returns.confirmedNetFen, issuedNetFen: invoiced.issuedNetFen, reservedFen: invoiced.reservedFen }),
    plans: await toPaymentPlans(db, planRows, today),
  };
}

/** Loads a contract whose customer's money the actor may see, or answers 404. */
export async function loadMoneyContractOrThrow(db: DbExecutor, actor: Actor, contractId: number): Promise<ReceivableContract> {
  const contract = await findReceivableContract(db, contractId);
  if (!contract) throw notFound('合同');
  const scope = await loadMoneyScope(db, actor);
  const customer = await findReceivableCustomer(db, contract.customerId);
  if (!isInScope(scope, customer?.ownerId ?? null) && !isInScope(scope, contract.ownerId)) throw notFound('合同');
  return contract;
}

export async function getContractSummaryForActor(db: DbExecutor, actor: Actor, contractId: number, today: string): Promise<ContractReceivableSummary> {
  await loadMoneyContractOrThrow(db, actor, contractId);
  return contractReceivableSummary(db, contractId, today);
}
