import { agingBuckets, type AgingBucket } from '@shared/receivable-rules.js';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest } from '../../http/app-error.js';
import { formatYuan } from '@shared/money.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { listUsersWithRole } from '../org/org.repository.js';
import { sumAging, sumAgingByOwner, type AgingSums } from './aging.repository.js';
import { sumLedgerBalance } from './ledger.repository.js';
import { cancelOpenPlansOfContract, insertPlans, listPlansForContract, sumUnpaidPlanFen, type CancelledPlan } from './payment-plan.repository.js';
import { sumUnallocatedReceipts } from './receipt.repository.js';
import { findReceivableContract, findReceivableCustomer } from './receivable-scope.js';
import { sumReturnedListFen, sumUnappliedReturnCredit } from './return-order.repository.js';
import { sumShippedListFen } from './shipment.repository.js';

export interface ContractInstallment {
  seq: number;
  /** 'YYYY-MM-DD' in the tenant zone. */
  dueDate: string;
  amountFen: number;
}

export interface CreatePlansInput {
  contractId: number;
  customerId: number;
  /** The contract's owner, recorded in the audit entry; plans follow the customer's current owner. */
  ownerId: number;
  installments: ContractInstallment[];
  now: Date;
}

/**
 * Turns an approved contract's installments into payment plans. Idempotent per contract: a second call
 * (a retried approval, a replayed callback) returns the plans created the first time and writes nothing.
 * Call inside the approval's transaction.
 */
export async function createPaymentPlansForContract(db: DbExecutor, input: CreatePlansInput): Promise<{ planIds: number[]; created: boolean }> {
  const existing = await listPlansForContract(db, input.contractId);
  if (existing.length > 0) return { planIds: existing.map((plan) => plan.id), created: false };

  assertInstallments(input.installments);

  const planIds = await insertPlans(
    db,
    input.installments.map((installment) => ({
      customer_id: input.customerId,
      contract_id: input.contractId,
      consignment_settlement_id: null,
      seq: installment.seq,
      due_date: installment.dueDate,
      amount_fen: installment.amountFen,
      allocated_fen: 0,
      status: 'open' as const,
      overdue_notified_days: 0,
      created_at: input.now.toISOString(),
    })),
  );

  await appendAudit(db, {
    actorUserId: null,
    action: 'payment_plan.created',
    entityType: 'contract',
    entityId: input.contractId,
    data: { customerId: input.customerId, ownerId: input.ownerId, planIds, installments: input.installments },
    occurredAt: input.now,
  });
  return { planIds, created: true };
}

/**
 * Closes the payment plans of a voided contract: every plan still owed is cancelled (已取消) for what it
 * has not received, and the overdue job, aging, lists of unpaid plans and credit exposure stop counting
 * it. Each changed plan gets an audit entry, and finance gets a notice when money stays on the plans.
 * Idempotent: plans closed before are left alone. Call inside the transaction that voids the contract.
 *
 * Money already allocated stays on its plan. It records what the customer really paid (or a return
 * credited) for this contract, and voiding the contract cancels only what was still expected. Taking
 * the allocations off would turn that money into an unallocated balance that automatic allocation then
 * spreads over the customer's other contracts. Whether to refund it or apply it elsewhere is finance's
 * decision, made by reversing the allocation, and that reversal cancels the amount instead of reopening
 * the plan (see addToPlanAllocated).
 */
export async function cancelPaymentPlansForContract(db: DbExecutor, input: { contractId: number; actorUserId: number | null; reason: string | null; now: Date }): Promise<CancelledPlan[]> {
  // NOTE: an overdue notice the scan queued for one of these plans before the void, and the dispatcher
  // has not sent yet, still goes out: the outbox has no call to withdraw a queued message.
  const changed = await cancelOpenPlansOfContract(db, input.contractId, input.now.toISOString());
  for (const plan of changed) {
    await appendAudit(db, {
      actorUserId: input.actorUserId,
      action: 'payment_plan.cancelled',
      entityType: 'payment_plan',
      entityId: plan.id,
      data: { contractId: input.contractId, seq: plan.seq, dueDate: plan.dueDate, amountFen: plan.amountFen, allocatedFen: plan.allocatedFen, cancelledFen: plan.cancelledFen, status: plan.status, reason: input.reason },
      occurredAt: input.now,
    });
  }
  await noticeFinanceOfKeptMoney(db, input.contractId, changed, input.now);
  return changed;
}

let publicUrl = '';

export function configurePlanLinks(url: string): void {
  publicUrl = url.replace(/\/+$/, '');
}

/**
 * Queues a notice to each finance user when a voided contract still has money allocated to its plans,
 * so that finance decides whether to refund it or move it to another contract by reversing the allocation.
 */
async function noticeFinanceOfKeptMoney(db: DbExecutor, contractId: number, changed: CancelledPlan[], now: Date): Promise<void> {
  const keptFen = changed.reduce((sum, plan) => sum + plan.allocatedFen, 0);
  if (keptFen === 0) return;
  const contract = await findReceivableContract(db, contractId);
  if (!contract) return;
  const customer = await findReceivableCustomer(db, contract.customerId);
  const firstPlan = changed.find((plan) => plan.allocatedFen > 0)!;

  for (const user of await listUsersWithRole(db, 'finance')) {
    await queueNotice(db, {
      dedupKey: `contract:${contractId}:voided:kept-money:${user.id}`,
      recipientUserId: user.id,
      content: {
        title: '合同作废：已收款项待处理',
        fields: [
          { label: '合同', value: contract.number },
          { label: '客户', value: customer?.name ?? `客户 #${contract.customerId}` },
          { label: '已收', value: formatYuan(keptFen) },
        ],
        text: `合同 ${contract.number} 已作废，未收部分已取消；已收的 ${formatYuan(keptFen)} 仍核销在该合同的回款计划上。如需退款或转到其他合同，请先撤销对应核销。`,
        url: `${publicUrl}/receivables/plans/${firstPlan.id}`,
        buttonText: '查看回款计划',
      },
      now,
    });
  }
}

function assertInstallments(installments: ContractInstallment[]): void {
  if (installments.length === 0) throw badRequest('installments_missing', '合同没有回款计划：请至少填写一期回款（日期和金额）');
  const seen = new Set<number>();
  for (const installment of installments) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(installment.dueDate)) {
      throw badRequest('installment_due_date_invalid', `第 ${installment.seq} 期回款日期“${installment.dueDate}”格式不对，应为 YYYY-MM-DD`);
    }
    if (!Number.isInteger(installment.amountFen) || installment.amountFen <= 0) {
      throw badRequest('installment_amount_invalid', `第 ${installment.seq} 期回款金额必须大于 0（单位：分）`);
    }
    if (seen.has(installment.seq)) throw badRequest('installment_seq_duplicate', `回款期次 ${installment.seq} 重复，请逐期编号`);
    seen.add(installment.seq);
  }
}

/**
 * Returns what a customer owes, in fen, never negative: the larger of its ledger balance (shipped and settled
 * 实洋 minus returns and receipts) and its unpaid plan amounts less money received or credited but not
 * allocated. The two differ when a contract's books are not shipped yet or a shipment has no contract,
 * and credit checks want the larger.
 */
export async function sumOutstandingForCustomer(db: DbExecutor, customerId: number): Promise<number> {
  const [ledgerBalance, unpaidPlans, unallocated, unappliedCredit] = await Promise.all([
    sumLedgerBalance(db, customerId),
    sumUnpaidPlanFen(db, customerId),
    sumUnallocatedReceipts(db, customerId),
    sumUnappliedReturnCredit(db, customerId),
  ]);
  return Math.max(0, ledgerBalance, unpaidPlans - unallocated - unappliedCredit);
}

/**
 * Return rate (退货率) of a customer between two dates inclusive: returned 码洋 of confirmed returns ÷
 * shipped 码洋, as a fraction 0…1 (0 when nothing was shipped). Consignment stock returned counts too.
 */
export async function returnRateForCustomer(db: DbExecutor, customerId: number, fromDate: string, toDate: string): Promise<number> {
  return returnRate(db, { customerId }, fromDate, toDate);
}

/** Returns the same rate over every customer a rep owns. */
export async function returnRateForOwner(db: DbExecutor, ownerId: number, fromDate: string, toDate: string): Promise<number> {
  return returnRate(db, { ownerId }, fromDate, toDate);
}

async function returnRate(db: DbExecutor, party: { customerId: number } | { ownerId: number }, fromDate: string, toDate: string): Promise<number> {
  const [shipped, returned] = await Promise.all([sumShippedListFen(db, party, fromDate, toDate), sumReturnedListFen(db, party, fromDate, toDate)]);
  if (shipped <= 0) return 0;
  return returned / shipped;
}

export interface AgingTotals {
  asOfDate: string;
  buckets: { bucket: AgingBucket; amountFen: number; count: number }[];
  outstandingFen: number;
  overdueFen: number;
  overdueCount: number;
}

function toAgingTotals(asOfDate: string, sums: AgingSums): AgingTotals {
  const buckets = agingBuckets.map((bucket) => ({ bucket, ...sums[bucket] }));
  const overdue = buckets.filter((item) => item.bucket !== 'not_due');
  return {
    asOfDate,
    buckets,
    outstandingFen: buckets.reduce((total, item) => total + item.amountFen, 0),
    overdueFen: overdue.reduce((total, item) => total + item.amountFen, 0),
    overdueCount: overdue.reduce((total, item) => total + item.count, 0),
  };
}

/**
 * Outstanding plan amounts in scope by aging bucket (not due, 1–30, 31–60, 61–90, over 90 days) on a
 * calendar date of the tenant zone. Dashboards pass the scope of the person looking.
 */
export async function agingTotals(db: DbExecutor, scope: DataScope, asOfDate: string, options: { customerId?: number } = {}): Promise<AgingTotals> {
  return toAgingTotals(asOfDate, await sumAging(db, scope, asOfDate, options.customerId));
}

/** Aging per owner rep, largest overdue first, for a manager's team view. */
export async function agingTotalsByOwner(db: DbExecutor, scope: DataScope, asOfDate: string): Promise<(AgingTotals & { ownerId: number | null; ownerName: string | null })[]> {
  const rows = await sumAgingByOwner(db, scope, asOfDate);
  return rows
    .map((row) => ({ ownerId: row.ownerId, ownerName: row.ownerName, ...toAgingTotals(asOfDate, row.sums) }))
    .sort((a, b) => b.overdueFen - a.overdueFen || b.outstandingFen - a.outstandingFen);
}
