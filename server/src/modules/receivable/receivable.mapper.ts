import type { Allocation, PaymentPlan, Receipt } from '@shared/api/receivable.js';
import { agingBucketOf, daysOverdue } from '@shared/receivable-rules.js';
import type { DbExecutor } from '../../db/database.js';
import type { AllocationDetailRow } from './allocation.repository.js';
import type { PaymentPlanRow } from './payment-plan.repository.js';
import type { ReceiptRow } from './receipt.repository.js';
import { listContractNumbers, listCustomerNames } from './receivable-scope.js';

/** Converts receivable rows to the shared API shapes; customer names and contract numbers come in batches. */

export type CustomerNames = Awaited<ReturnType<typeof listCustomerNames>>;

export function toCustomerRef(customerId: number, customers: CustomerNames) {
  const customer = customers.get(customerId);
  return { id: customerId, name: customer?.name ?? `客户 #${customerId}`, ownerId: customer?.ownerId ?? null, ownerName: customer?.ownerName ?? null };
}

export function toPaymentPlan(row: PaymentPlanRow, asOfDate: string, customers: CustomerNames, contractNumbers: Map<number, string>): PaymentPlan {
  const outstandingFen = row.amount_fen - row.allocated_fen - row.cancelled_fen;
  const overdue = outstandingFen > 0 ? daysOverdue(row.due_date, asOfDate) : 0;
  return {
    id: row.id,
    customer: toCustomerRef(row.customer_id, customers),
    contractId: row.contract_id,
    contractNumber: row.contract_id === null ? null : contractNumbers.get(row.contract_id) ?? null,
    consignmentSettlementId: row.consignment_settlement_id,
    seq: row.seq,
    dueDate: row.due_date,
    amountFen: row.amount_fen,
    allocatedFen: row.allocated_fen,
    cancelledFen: row.cancelled_fen,
    outstandingFen,
    status: row.status,
    cancelledAt: row.cancelled_at,
    daysOverdue: overdue,
    agingBucket: outstandingFen > 0 ? agingBucketOf(row.due_date, asOfDate) : 'not_due',
  };
}

/** Maps a page of plans, loading the customer names and contract numbers it needs in two queries. */
export async function toPaymentPlans(db: DbExecutor, rows: PaymentPlanRow[], asOfDate: string): Promise<PaymentPlan[]> {
  const [customers, contractNumbers] = await Promise.all([listCustomerNames(db, rows.map((row) => row.customer_id)), listContractNumbers(db, rows.map((row) => row.contract_id))]);
  return rows.map((row) => toPaymentPlan(row, asOfDate, customers, contractNumbers));
}

export function toAllocation(row: AllocationDetailRow): Allocation {
  return {
    id: row.id,
    planId: row.plan_id,
    receiptId: row.receipt_id,
    receiptNumber: row.receipt_number,
    returnOrderId: row.return_order_id,
    returnOrderNumber: row.return_order_number,
    amountFen: row.amount_fen,
    method: row.method,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
    reversedAt: row.reversed_at,
  };
}

export function toReceipt(row: ReceiptRow & { created_by_name?: string | null }, customers: CustomerNames): Receipt {
  return {
    id: row.id,
    number: row.number,
    customer: toCustomerRef(row.customer_id, customers),
    receivedDate: row.received_date,
    amountFen: row.amount_fen,
    allocatedFen: row.allocated_fen,
    unallocatedFen: row.status === 'active' ? row.amount_fen - row.allocated_fen : 0,
    payerName: row.payer_name,
    method: row.method,
    bankReference: row.bank_reference,
    note: row.note,
    source: row.source,
    status: row.status,
    createdAt: row.created_at,
    createdByName: row.created_by_name ?? null,
    reversedAt: row.reversed_at,
    reversalReason: row.reversal_reason,
  };
}

export async function toReceipts(db: DbExecutor, rows: ReceiptRow[]): Promise<Receipt[]> {
  const customers = await listCustomerNames(db, rows.map((row) => row.customer_id));
  const userIds = [...new Set(rows.map((row) => row.created_by))];
  const users = userIds.length > 0 ? await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).execute() : [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  return rows.map((row) => toReceipt({ ...row, created_by_name: names.get(row.created_by) ?? null }, customers));
}
