import { agingBucketDueRange, ratioBasisPoints, shiftDate, type AgingBucket } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { listAllocationsForPlan } from './allocation.repository.js';
import { findAgreement } from './consignment.repository.js';
import { countInvoiceRequests } from './invoice.repository.js';
import { sumLedgerBalance } from './ledger.repository.js';
import { findPlanById, listPlans, listPlansForContract } from './payment-plan.repository.js';
import { agingTotals, agingTotalsByOwner, sumOutstandingForCustomer } from './payment-plan.service.js';
import { sumUnallocatedReceipts, sumUnallocatedReceiptsInScope } from './receipt.repository.js';
import { loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toAllocation, toPaymentPlans } from './receivable.mapper.js';
import { sumReturnedListFen } from './return-order.repository.js';
import { countOpenDisputes } from './statement.repository.js';
import { sumShippedListFen } from './shipment.repository.js';

/** Read side of plans for the receivables page: lists by aging bucket, plan detail, overview and summaries. */

export interface PlanListQuery {
  bucket?: AgingBucket | 'overdue';
  status: 'unpaid' | 'received' | 'cancelled' | 'all';
  customerId?: number;
  contractId?: number;
  ownerId?: number;
  limit: number;
  offset: number;
}

/** Plans in the actor's money scope, earliest due (most overdue) first. */
export async function listPlansForActor(db: Db, actor: Actor, query: PlanListQuery, today: string) {
  const scope = await loadMoneyScope(db, actor);
  const range = query.bucket === 'overdue' ? { maxDueDate: shiftDate(today, -1) } : query.bucket ? agingBucketDueRange(query.bucket, today) : {};
  const { rows, total } = await listPlans(db, { ...query, ...range, scope });
  return { items: await toPaymentPlans(db, rows, today), total };
}

export async function getPlanDetail(db: Db, actor: Actor, planId: number, today: string) {
  const scope = await loadMoneyScope(db, actor);
  const row = await findPlanById(db, planId);
  if (!row) throw notFound('回款计划');
  try {
    await loadMoneyCustomerOrThrow(db, scope, row.customer_id);
  } catch {
    throw notFound('回款计划');
  }
  const siblings = row.contract_id === null ? [] : (await listPlansForContract(db, row.contract_id)).filter((plan) => plan.id !== row.id);
  const [plan, ...others] = await toPaymentPlans(db, [row, ...siblings], today);
  const allocations = await listAllocationsForPlan(db, planId);
  return { plan: plan!, allocations: allocations.map(toAllocation), siblings: others };
}

/** Loads the receivables page header: aging in scope, per-rep breakdown for managers, and pending work counts. */
export async function getReceivableOverview(db: Db, actor: Actor, asOfDate: string) {
  const scope = await loadMoneyScope(db, actor);
  const showTeam = scope.kind === 'all' || scope.userIds.length > 1;
  const [aging, byOwner, openDisputes, pendingInvoiceRequests, unallocatedReceiptsFen] = await Promise.all([
    agingTotals(db, scope, asOfDate),
    showTeam ? agingTotalsByOwner(db, scope, asOfDate) : Promise.resolve([]),
    countOpenDisputes(db, scope),
    countInvoiceRequests(db, scope, ['pending_approval', 'approved']),
    sumUnallocatedReceiptsInScope(db, scope),
  ]);
  return { aging, byOwner, openDisputes, pendingInvoiceRequests, unallocatedReceiptsFen };
}

/** Loads what the customer 360 view shows about money: outstanding, aging, unallocated receipts, return rates over the last year. */
export async function getCustomerReceivableSummary(db: Db, actor: Actor, customerId: number, today: string) {
  const scope = await loadMoneyScope(db, actor);
  const customer = await loadMoneyCustomerOrThrow(db, scope, customerId);
  const from = shiftDate(today, -365);
  const [outstandingFen, ledgerBalanceFen, unallocatedReceiptsFen, aging, shippedListFen, returnedListFen, ownerRate, agreement] = await Promise.all([
    sumOutstandingForCustomer(db, customerId),
    sumLedgerBalance(db, customerId),
    sumUnallocatedReceipts(db, customerId),
    agingTotals(db, { kind: 'all' }, today, { customerId }),
    sumShippedListFen(db, { customerId }, from, today),
    sumReturnedListFen(db, { customerId }, from, today),
    customer.ownerId === null ? Promise.resolve(null) : ownerReturnRateBp(db, customer.ownerId, from, today),
    findAgreement(db, customerId),
  ]);
  return {
    customerId,
    outstandingFen,
    ledgerBalanceFen,
    unallocatedReceiptsFen,
    aging,
    returnRateBp: ratioBasisPoints(returnedListFen, shippedListFen),
    ownerReturnRateBp: ownerRate,
    shippedListFen,
    returnedListFen,
    consignment: agreement?.active === 1,
  };
}

async function ownerReturnRateBp(db: Db, ownerId: number, from: string, to: string): Promise<number | null> {
  const [shipped, returned] = await Promise.all([sumShippedListFen(db, { ownerId }, from, to), sumReturnedListFen(db, { ownerId }, from, to)]);
  return shipped > 0 ? ratioBasisPoints(returned, shipped) : null;
}

