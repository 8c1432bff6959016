import type { CreateReceipt, Receipt } from '@shared/api/receivable.js';
import { formatYuan } from '@shared/money.js';
import type { PlanAllocation } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { DataScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { appendTimeline } from '../customer/timeline.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { findAllocationById, listActiveAllocationsForReceipt, listAllocationsForReceipt } from './allocation.repository.js';
import { allocateReceipt, autoAllocateCustomer, autoAllocateReceipt, reverseAllocation, undoAllocation } from './allocation.service.js';
import { nextDocumentNumber } from './document-number.js';
import { postLedgerEntry } from './ledger.service.js';
import { findPlanById } from './payment-plan.repository.js';
import { findReceiptById, findReceiptsByBankReference, insertReceipt, listReceipts, markReceiptReversed, sumUnallocatedReceipts, type ReceiptListFilter } from './receipt.repository.js';
import { assertFinance, loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toAllocation, toPaymentPlans, toReceipts } from './receivable.mapper.js';
import type { ReceivableCustomer } from './receivable-scope.js';

export interface ReceiptContext {
  now: Date;
  /** Calendar date of `now` in the tenant zone. */
  today: string;
  publicUrl: string;
}

/**
 * Records a receipt (回款) by hand and allocates it as asked: oldest due first by default, to chosen
 * plans, or not at all (it then stays as the customer's unallocated balance). The receipt, its ledger
 * entry, allocations, timeline entry, audit entry and the owner's notice commit together.
 */
export async function recordReceipt(db: Db, actor: Actor, input: CreateReceipt, context: ReceiptContext): Promise<{ receipt: Receipt; allocations: PlanAllocation[] }> {
  assertFinance(actor, '登记回款');
  const scope = await loadMoneyScope(db, actor);
  const customer = await loadMoneyCustomerOrThrow(db, scope, input.customerId);

  return db.transaction().execute(async (trx) => {
    const { receiptId } = await insertReceiptWithEntries(trx, actor.id, customer, { ...input, source: 'manual' }, context);

    let allocations: PlanAllocation[] = [];
    if (input.allocation.mode === 'auto') allocations = await autoAllocateReceipt(trx, { receiptId, actorUserId: actor.id, now: context.now });
    if (input.allocation.mode === 'manual') {
      allocations = await allocateReceipt(trx, { receiptId, allocations: input.allocation.allocations, method: 'manual', actorUserId: actor.id, now: context.now });
    }

    const row = await findReceiptById(trx, receiptId);
    const [receipt] = await toReceipts(trx, [row!]);
    return { receipt: receipt!, allocations };
  });
}

export interface ReceiptInsert {
  receivedDate: string;
  amountFen: number;
  payerName: string;
  method: Receipt['method'];
  bankReference: string | null;
  note: string | null;
  source: 'manual' | 'bank_import';
}

/** Inserts a receipt with its ledger entry, timeline entry, audit entry and the owner's notice; no allocation. */
export async function insertReceiptWithEntries(
  db: DbExecutor,
  actorUserId: number,
  customer: ReceivableCustomer,
  input: ReceiptInsert,
  context: ReceiptContext,
): Promise<{ receiptId: number; number: string }> {
  if (input.bankReference && (await findReceiptsByBankReference(db, [input.bankReference])).size > 0) {
    throw conflict('bank_reference_duplicate', `银行流水号 ${input.bankReference} 已登记过回款，同一笔到账不能登记两次`);
  }

  const number = await nextDocumentNumber(db, 'receipt', 'HK', input.receivedDate);
  const receiptId = await insertReceipt(db, {
    number,
    customer_id: customer.id,
    received_date: input.receivedDate,
    amount_fen: input.amountFen,
    allocated_fen: 0,
    payer_name: input.payerName,
    method: input.method,
    bank_reference: input.bankReference,
    note: input.note,
    source: input.source,
    status: 'active',
    created_by: actorUserId,
    created_at: context.now.toISOString(),
    reversed_at: null,
    reversed_by: null,
    reversal_reason: null,
  });

  await postLedgerEntry(db, {
    customerId: customer.id,
    kind: 'receipt',
    sourceId: receiptId,
    documentNumber: number,
    entryDate: input.receivedDate,
    amountFen: input.amountFen,
    description: `回款 ${input.payerName}${input.bankReference ? `（流水 ${input.bankReference}）` : ''}`,
    now: context.now,
  });
  await appendTimeline(db, {
    customerId: customer.id,
    kind: 'receipt',
    refType: 'receipt',
    refId: receiptId,
    title: `回款到账 ${formatYuan(input.amountFen)}`,
    summary: `${input.receivedDate} 收到 ${input.payerName} 回款，单号 ${number}`,
    actorUserId,
    occurredAt: context.now,
    dedupKey: `receipt:${receiptId}:recorded`,
  });
  await appendAudit(db, {
    actorUserId,
    action: 'receipt.recorded',
    entityType: 'receipt',
    entityId: receiptId,
    data: { number, customerId: customer.id, amountFen: input.amountFen, receivedDate: input.receivedDate, bankReference: input.bankReference, source: input.source },
    occurredAt: context.now,
  });
  if (customer.ownerId !== null) {
    await queueNotice(db, {
      dedupKey: `receipt:${receiptId}:owner`,
      recipientUserId: customer.ownerId,
      content: {
        title: '客户回款到账',
        fields: [
          { label: '客户', value: customer.name },
          { label: '金额', value: formatYuan(input.amountFen) },
          { label: '到账日期', value: input.receivedDate },
          { label: '付款方', value: input.payerName },
        ],
        text: `${customer.name} 回款 ${formatYuan(input.amountFen)} 已到账，财务已登记（${number}）。`,
        url: `${context.publicUrl}/receivables/receipts/${receiptId}`,
        buttonText: '查看回款',
      },
      now: context.now,
    });
  }
  return { receiptId, number };
}

export async function listReceiptsForActor(db: Db, actor: Actor, filter: Omit<ReceiptListFilter, 'scope'>): Promise<{ items: Receipt[]; total: number }> {
  const scope = await loadMoneyScope(db, actor);
  const { rows, total } = await listReceipts(db, { ...filter, scope });
  return { items: await toReceipts(db, rows), total };
}

async function loadReceiptInScopeOrThrow(db: DbExecutor, scope: DataScope, receiptId: number) {
  const receipt = await findReceiptById(db, receiptId);
  if (!receipt) throw notFound('回款');
  try {
    await loadMoneyCustomerOrThrow(db, scope, receipt.customer_id);
  } catch {
    throw notFound('回款');
  }
  return receipt;
}

export async function getReceiptDetail(db: Db, actor: Actor, receiptId: number, today: string) {
  const scope = await loadMoneyScope(db, actor);
  const row = await loadReceiptInScopeOrThrow(db, scope, receiptId);
  const [receipt] = await toReceipts(db, [row]);
  const allocationRows = await listAllocationsForReceipt(db, receiptId);
  const plans = await toPaymentPlans(db, (await Promise.all(allocationRows.map((allocation) => findPlanById(db, allocation.plan_id)))).filter((plan) => plan !== undefined), today);
  const plansById = new Map(plans.map((plan) => [plan.id, plan]));
  return {
    receipt: receipt!,
    allocations: allocationRows.map((allocation) => ({ ...toAllocation(allocation), plan: plansById.get(allocation.plan_id)! })),
  };
}

/** Allocates a receipt by hand to the plans the finance clerk chose. */
export async function allocateReceiptManually(db: Db, actor: Actor, receiptId: number, allocations: PlanAllocation[], now: Date) {
  assertFinance(actor, '核销回款');
  const scope = await loadMoneyScope(db, actor);
  await loadReceiptInScopeOrThrow(db, scope, receiptId);
  return db.transaction().execute(async (trx) => {
    const done = await allocateReceipt(trx, { receiptId, allocations, method: 'manual', actorUserId: actor.id, now });
    const receipt = await findReceiptById(trx, receiptId);
    return { allocations: done, unallocatedFen: receipt!.amount_fen - receipt!.allocated_fen };
  });
}

export async function autoAllocateReceiptForActor(db: Db, actor: Actor, receiptId: number, now: Date) {
  assertFinance(actor, '核销回款');
  const scope = await loadMoneyScope(db, actor);
  await loadReceiptInScopeOrThrow(db, scope, receiptId);
  return db.transaction().execute(async (trx) => {
    const done = await autoAllocateReceipt(trx, { receiptId, actorUserId: actor.id, now });
    const receipt = await findReceiptById(trx, receiptId);
    return { allocations: done, unallocatedFen: receipt!.amount_fen - receipt!.allocated_fen };
  });
}

/**
 * Reverses a receipt recorded in error (冲销): its allocations are undone, the receipt is marked
 * reversed (never edited or deleted), and a reversal entry is booked in the ledger on today's date, so
 * a statement already sent keeps its figures and the correction shows in the next one.
 */
export async function reverseReceipt(db: Db, actor: Actor, receiptId: number, reason: string, context: ReceiptContext): Promise<void> {
  assertFinance(actor, '冲销回款');
  const scope = await loadMoneyScope(db, actor);
  await loadReceiptInScopeOrThrow(db, scope, receiptId);

  await db.transaction().execute(async (trx) => {
    const receipt = await findReceiptById(trx, receiptId);
    if (!receipt) throw notFound('回款');
    if (receipt.status === 'reversed') throw conflict('receipt_already_reversed', `回款 ${receipt.number} 已经冲销过了`);

    const allocations = await listActiveAllocationsForReceipt(trx, receiptId);
    for (const allocation of allocations) await undoAllocation(trx, allocation.id, actor.id, context.now);
    if (!(await markReceiptReversed(trx, receiptId, { at: context.now.toISOString(), by: actor.id, reason }))) {
      throw conflict('receipt_reverse_conflict', `回款 ${receipt.number} 正在被其他人处理，请刷新后重试`);
    }

    await postLedgerEntry(trx, {
      customerId: receipt.customer_id,
      kind: 'receipt_reversal',
      sourceId: receipt.id,
      documentNumber: receipt.number,
      entryDate: context.today,
      amountFen: receipt.amount_fen,
      description: `冲销回款 ${receipt.number}：${reason}`,
      now: context.now,
    });
    await appendAudit(trx, {
      actorUserId: actor.id,
      action: 'receipt.reversed',
      entityType: 'receipt',
      entityId: receipt.id,
      data: { number: receipt.number, amountFen: receipt.amount_fen, reason, undoneAllocationIds: allocations.map((allocation) => allocation.id) },
      occurredAt: context.now,
    });
    await appendTimeline(trx, {
      customerId: receipt.customer_id,
      kind: 'receipt',
      refType: 'receipt',
      refId: receipt.id,
      title: `回款冲销 ${formatYuan(receipt.amount_fen)}`,
      summary: `${receipt.number} 已冲销：${reason}`,
      actorUserId: actor.id,
      occurredAt: context.now,
      dedupKey: `receipt:${receipt.id}:reversed`,
    });
  });
}

export async function unallocatedForCustomer(db: DbExecutor, customerId: number): Promise<number> {
  return sumUnallocatedReceipts(db, customerId);
}

/** Undoes one allocation after checking the plan's customer is in the actor's scope. */
export async function reverseAllocationForActor(db: Db, actor: Actor, allocationId: number, reason: string, now: Date): Promise<void> {
  assertFinance(actor, '撤销核销');
  const scope = await loadMoneyScope(db, actor);
  const allocation = await findAllocationById(db, allocationId);
  const plan = allocation ? await findPlanById(db, allocation.plan_id) : undefined;
  if (!allocation || !plan) throw notFound('核销记录');
  try {
    await loadMoneyCustomerOrThrow(db, scope, plan.customer_id);
  } catch {
    throw notFound('核销记录');
  }
  await db.transaction().execute((trx) => reverseAllocation(trx, { allocationId, actorUserId: actor.id, reason, now }));
}

/** Allocates every receipt of a customer that still has money left, oldest due plans first. */
export async function autoAllocateCustomerForActor(db: Db, actor: Actor, customerId: number, now: Date) {
  assertFinance(actor, '核销回款');
  const scope = await loadMoneyScope(db, actor);
  await loadMoneyCustomerOrThrow(db, scope, customerId);
  return db.transaction().execute(async (trx) => {
    const allocations = await autoAllocateCustomer(trx, { customerId, actorUserId: actor.id, now });
    return { allocations, unallocatedFen: await sumUnallocatedReceipts(trx, customerId) };
  });
}
