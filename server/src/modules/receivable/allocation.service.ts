import { allocateLatestDueFirst, allocateOldestDueFirst, checkAllocation, type PlanAllocation } from '@shared/receivable-rules.js';
import { formatYuan } from '@shared/money.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { findAllocationById, insertAllocation, markAllocationReversed } from './allocation.repository.js';
import { addToPlanAllocated, findPlanById, listUnpaidPlansForCustomer, type PaymentPlanRow } from './payment-plan.repository.js';
import { addToReceiptAllocated, findReceiptById, listReceiptsWithBalance } from './receipt.repository.js';
import { addReturnCredited, findReturnOrderById } from './return-order.repository.js';

/**
 * Allocation (核销): moving money from a receipt, or credit from a confirmed return, onto payment plans.
 * Every function runs inside the caller's transaction and checks the remaining amounts there. The
 * counters then change through conditional updates, and CHECK constraints reject anything past a
 * plan's or a receipt's amount. So two requests at once can never over-allocate.
 */

interface AllocationActor {
  actorUserId: number | null;
  now: Date;
}

function toPlanCandidates(plans: PaymentPlanRow[]) {
  return plans.map((plan) => ({ id: plan.id, dueDate: plan.due_date, seq: plan.seq, remainingFen: plan.amount_fen - plan.allocated_fen - plan.cancelled_fen }));
}

/** Allocates receipt money to the given plans after checking each against what the plan and receipt still lack. */
export async function allocateReceipt(
  db: DbExecutor,
  input: AllocationActor & { receiptId: number; allocations: PlanAllocation[]; method: 'auto' | 'manual' },
): Promise<PlanAllocation[]> {
  const receipt = await findReceiptById(db, input.receiptId);
  if (!receipt) throw notFound('回款');
  if (receipt.status !== 'active') throw conflict('receipt_reversed', `回款 ${receipt.number} 已冲销，不能再核销`);

  let receiptRemaining = receipt.amount_fen - receipt.allocated_fen;
  for (const allocation of input.allocations) {
    const plan = await findPlanById(db, allocation.planId);
    if (!plan) throw notFound('回款计划');
    if (plan.customer_id !== receipt.customer_id) {
      throw badRequest('allocation_customer_mismatch', `回款计划 #${plan.id} 属于另一个客户，不能用回款 ${receipt.number} 核销`);
    }
    if (plan.cancelled_at !== null) {
      throw conflict('plan_cancelled', `第 ${plan.seq} 期（${plan.due_date} 到期）所属合同已作废，回款计划已关闭，不能再核销；请核销到该客户的其他回款计划`);
    }
    const planRemaining = plan.amount_fen - plan.allocated_fen;
    const refusal = checkAllocation(allocation.amountFen, planRemaining, receiptRemaining);
    if (refusal === 'not_positive') throw badRequest('allocation_amount_invalid', '核销金额必须大于 0');
    if (refusal === 'exceeds_plan') {
      throw conflict('allocation_exceeds_plan', `第 ${plan.seq} 期（${plan.due_date} 到期）只差 ${formatYuan(planRemaining)}，不能核销 ${formatYuan(allocation.amountFen)}；请刷新后按剩余金额核销`);
    }
    if (refusal === 'exceeds_receipt') {
      throw conflict('allocation_exceeds_receipt', `回款 ${receipt.number} 只剩 ${formatYuan(receiptRemaining)} 未核销，不能核销 ${formatYuan(allocation.amountFen)}`);
    }
    await moveMoney(db, { actorUserId: input.actorUserId, now: input.now, planId: plan.id, receiptId: receipt.id, returnOrderId: null, amountFen: allocation.amountFen, method: input.method });
    receiptRemaining -= allocation.amountFen;
  }

  if (input.allocations.length > 0) {
    await appendAudit(db, {
      actorUserId: input.actorUserId,
      action: 'receipt.allocated',
      entityType: 'receipt',
      entityId: receipt.id,
      data: { method: input.method, allocations: input.allocations },
      occurredAt: input.now,
    });
  }
  return input.allocations;
}

async function moveMoney(
  db: DbExecutor,
  input: AllocationActor & { planId: number; receiptId: number | null; returnOrderId: number | null; amountFen: number; method: 'auto' | 'manual' | 'return_credit' },
): Promise<number> {
  // Conditional updates: on a database without SQLite's single writer these are what stop a race.
  if (!(await addToPlanAllocated(db, input.planId, input.amountFen))) {
    throw conflict('allocation_exceeds_plan', `回款计划 #${input.planId} 剩余金额已变化，请刷新后重试`);
  }
  if (input.receiptId !== null && !(await addToReceiptAllocated(db, input.receiptId, input.amountFen))) {
    throw conflict('allocation_exceeds_receipt', `回款 #${input.receiptId} 剩余金额已变化，请刷新后重试`);
  }
  return insertAllocation(db, {
    plan_id: input.planId,
    receipt_id: input.receiptId,
    return_order_id: input.returnOrderId,
    amount_fen: input.amountFen,
    method: input.method,
    created_by: input.actorUserId,
    created_at: input.now.toISOString(),
    reversed_at: null,
    reversed_by: null,
  });
}

/** Allocates what a receipt has left to the customer's unpaid plans, oldest due first. */
export async function autoAllocateReceipt(db: DbExecutor, input: AllocationActor & { receiptId: number }): Promise<PlanAllocation[]> {
  const receipt = await findReceiptById(db, input.receiptId);
  if (!receipt) throw notFound('回款');
  if (receipt.status !== 'active') return [];

  const plans = await listUnpaidPlansForCustomer(db, receipt.customer_id);
  const allocations = allocateOldestDueFirst(receipt.amount_fen - receipt.allocated_fen, toPlanCandidates(plans));
  return allocateReceipt(db, { ...input, allocations, method: 'auto' });
}

/** Allocates every receipt of a customer that still has money left, oldest receipt first. */
export async function autoAllocateCustomer(db: DbExecutor, input: AllocationActor & { customerId: number }): Promise<PlanAllocation[]> {
  const done: PlanAllocation[] = [];
  for (const receipt of await listReceiptsWithBalance(db, input.customerId)) {
    done.push(...(await autoAllocateReceipt(db, { ...input, receiptId: receipt.id })));
  }
  return done;
}

/**
 * Applies a confirmed sale return's credit to its contract's unpaid plans, latest due first, because a
 * return usually shrinks the final payment. Credit left over (no contract, or plans already paid)
 * stays with the return and lowers what the customer owes.
 */
export async function creditReturnToPlans(db: DbExecutor, input: AllocationActor & { returnOrderId: number }): Promise<PlanAllocation[]> {
  const returnOrder = await findReturnOrderById(db, input.returnOrderId);
  if (!returnOrder || returnOrder.status !== 'confirmed' || returnOrder.terms !== 'sale' || returnOrder.contract_id === null) return [];

  const plans = await listUnpaidPlansForCustomer(db, returnOrder.customer_id, returnOrder.contract_id);
  const allocations = allocateLatestDueFirst(returnOrder.net_amount_fen - returnOrder.credited_fen, toPlanCandidates(plans));
  for (const allocation of allocations) {
    await moveMoney(db, { actorUserId: input.actorUserId, now: input.now, planId: allocation.planId, receiptId: null, returnOrderId: returnOrder.id, amountFen: allocation.amountFen, method: 'return_credit' });
    await addReturnCredited(db, returnOrder.id, allocation.amountFen);
  }
  if (allocations.length > 0) {
    await appendAudit(db, { actorUserId: input.actorUserId, action: 'return_order.credited', entityType: 'return_order', entityId: returnOrder.id, data: { allocations }, occurredAt: input.now });
  }
  return allocations;
}

/** Undoes one allocation (a wrong match); the row stays, marked reversed, and the audit log records who and why. */
export async function reverseAllocation(db: DbExecutor, input: { allocationId: number; actorUserId: number; reason: string; now: Date }): Promise<void> {
  const allocation = await findAllocationById(db, input.allocationId);
  if (!allocation) throw notFound('核销记录');
  if (allocation.reversed_at !== null) throw conflict('allocation_already_reversed', '这笔核销已经撤销过了');

  await undoAllocation(db, allocation.id, input.actorUserId, input.now);
  await appendAudit(db, {
    actorUserId: input.actorUserId,
    action: 'allocation.reversed',
    entityType: 'allocation',
    entityId: allocation.id,
    data: { planId: allocation.plan_id, receiptId: allocation.receipt_id, returnOrderId: allocation.return_order_id, amountFen: allocation.amount_fen, reason: input.reason },
    occurredAt: input.now,
  });
}

/** Marks an allocation reversed and gives its amount back to the plan and the receipt or return. */
export async function undoAllocation(db: DbExecutor, allocationId: number, actorUserId: number, now: Date): Promise<void> {
  const allocation = await findAllocationById(db, allocationId);
  if (!allocation || allocation.reversed_at !== null) return;
  if (!(await markAllocationReversed(db, allocation.id, now.toISOString(), actorUserId))) {
    throw conflict('allocation_already_reversed', '这笔核销已经撤销过了');
  }
  if (!(await addToPlanAllocated(db, allocation.plan_id, -allocation.amount_fen))) {
    throw conflict('allocation_undo_failed', `回款计划 #${allocation.plan_id} 的已核销金额与记录不符，请联系管理员`);
  }
  if (allocation.receipt_id !== null && !(await addToReceiptAllocated(db, allocation.receipt_id, -allocation.amount_fen))) {
    throw conflict('allocation_undo_failed', `回款 #${allocation.receipt_id} 的已核销金额与记录不符，请联系管理员`);
  }
  if (allocation.return_order_id !== null) await addReturnCredited(db, allocation.return_order_id, -allocation.amount_fen);
}
