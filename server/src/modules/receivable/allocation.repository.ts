import { sql, type Insertable, type Selectable } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { AllocationTable } from './receivable.tables.js';

export type AllocationRow = Selectable<AllocationTable>;

export async function insertAllocation(db: DbExecutor, row: Insertable<AllocationTable>): Promise<number> {
  const inserted = await db.insertInto('allocation').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findAllocationById(db: DbExecutor, id: number): Promise<AllocationRow | undefined> {
  return db.selectFrom('allocation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listActiveAllocationsForReceipt(db: DbExecutor, receiptId: number): Promise<AllocationRow[]> {
  return db.selectFrom('allocation').selectAll().where('receipt_id', '=', receiptId).where('reversed_at', 'is', null).orderBy('id').execute();
}

export async function markAllocationReversed(db: DbExecutor, id: number, at: string, by: number): Promise<boolean> {
  const result = await db.updateTable('allocation').set({ reversed_at: at, reversed_by: by }).where('id', '=', id).where('reversed_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function allocationDetails(db: DbExecutor) {
  return db
    .selectFrom('allocation')
    .leftJoin('receipt', 'receipt.id', 'allocation.receipt_id')
    .leftJoin('return_order', 'return_order.id', 'allocation.return_order_id')
    .leftJoin('app_user', 'app_user.id', 'allocation.created_by')
    .selectAll('allocation')
    .select(['receipt.number as receipt_number', 'return_order.number as return_order_number', 'app_user.name as created_by_name']);
}

export type AllocationDetailRow = Awaited<ReturnType<typeof listAllocationsForPlan>>[number];

/** Allocations of a plan with the receipt or return behind each, oldest first, reversed ones included. */
export async function listAllocationsForPlan(db: DbExecutor, planId: number) {
  return allocationDetails(db).where('allocation.plan_id', '=', planId).orderBy('allocation.id').execute();
}

export async function listAllocationsForReceipt(db: DbExecutor, receiptId: number) {
  return allocationDetails(db).where('allocation.receipt_id', '=', receiptId).orderBy('allocation.id').execute();
}

/** Active allocations onto a contract's plans, split by source: receipts (received) and returns (credited). */
export async function sumAllocationsForContract(db: DbExecutor, contractId: number): Promise<{ receivedFen: number; creditedFen: number }> {
  const row = await db
    .selectFrom('allocation')
    .innerJoin('payment_plan', 'payment_plan.id', 'allocation.plan_id')
    .select([
      sql<number>`coalesce(sum(case when allocation.receipt_id is not null then allocation.amount_fen else 0 end), 0)`.as('received'),
      sql<number>`coalesce(sum(case when allocation.return_order_id is not null then allocation.amount_fen else 0 end), 0)`.as('credited'),
    ])
    .where('payment_plan.contract_id', '=', contractId)
    .where('allocation.reversed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { receivedFen: Number(row.received), creditedFen: Number(row.credited) };
}
