import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { PaymentPlanTable } from './receivable.tables.js';
import { scopedCustomerIds } from './receivable-scope.js';

export type PaymentPlanRow = Selectable<PaymentPlanTable>;

/**
 * Plans still expecting money: neither received nor cancelled. Literal SQL because it is the condition of
 * the partial indexes on payment_plan (migration 0057), and SQLite uses a partial index only when the
 * query's WHERE clause contains the index condition's terms.
 */
export const unpaidPlan = sql<boolean>`payment_plan.status in ('open', 'partial')`;

export async function findPlanById(db: DbExecutor, id: number): Promise<PaymentPlanRow | undefined> {
  return db.selectFrom('payment_plan').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listPlansForContract(db: DbExecutor, contractId: number): Promise<PaymentPlanRow[]> {
  return db.selectFrom('payment_plan').selectAll().where('contract_id', '=', contractId).orderBy('seq').execute();
}

export async function listPlansForSettlements(db: DbExecutor, settlementIds: readonly number[]): Promise<PaymentPlanRow[]> {
  if (settlementIds.length === 0) return [];
  return db.selectFrom('payment_plan').selectAll().where('consignment_settlement_id', 'in', [...settlementIds]).execute();
}

export async function insertPlans(db: DbExecutor, rows: Insertable<PaymentPlanTable>[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('payment_plan').values(rows).returning('id').execute();
  return inserted.map((row) => row.id);
}

/** Plans of a customer that still lack money, for allocation. */
export async function listUnpaidPlansForCustomer(db: DbExecutor, customerId: number, contractId?: number): Promise<PaymentPlanRow[]> {
  let query = db.selectFrom('payment_plan').selectAll().where('customer_id', '=', customerId).where(unpaidPlan);
  if (contractId !== undefined) query = query.where('contract_id', '=', contractId);
  return query.orderBy('due_date').orderBy('seq').orderBy('id').execute();
}

/**
 * Adds `deltaFen` (negative to undo) to a plan's allocated amount and moves its status with it, only if
 * the result stays within 0…amount. Returns false when it would not, which the caller turns into a
 * conflict; the CHECK constraint backs this up.
 *
 * A plan of a voided contract (`cancelled_at` set) takes no new money, and an amount taken off it is
 * cancelled with the rest instead of being owed again: it becomes or stays 'cancelled'.
 */
export async function addToPlanAllocated(db: DbExecutor, planId: number, deltaFen: number): Promise<boolean> {
  const allocated = sql<number>`allocated_fen + ${deltaFen}`;
  const result = await db
    .updateTable('payment_plan')
    .set({
      allocated_fen: allocated,
      cancelled_fen: sql<number>`case when cancelled_at is null then 0 else amount_fen - (allocated_fen + ${deltaFen}) end`,
      status: sql<PaymentPlanRow['status']>`case
        when cancelled_at is not null then 'cancelled'
        when allocated_fen + ${deltaFen} = 0 then 'open'
        when allocated_fen + ${deltaFen} >= amount_fen then 'received'
        else 'partial' end`,
    })
    .where('id', '=', planId)
    .where((eb) =>
      eb.or([
        eb.and([eb('cancelled_at', 'is', null), sql<boolean>`allocated_fen + ${deltaFen} between 0 and amount_fen`]),
        eb.and([eb('cancelled_at', 'is not', null), sql<boolean>`${deltaFen} < 0 and allocated_fen + ${deltaFen} >= 0`]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface CancelledPlan {
  id: number;
  seq: number;
  dueDate: string;
  amountFen: number;
  allocatedFen: number;
  cancelledFen: number;
  status: PaymentPlanRow['status'];
}

/**
 * Closes every plan of a contract not closed yet: what is still unreceived is cancelled, money already
 * allocated stays. Fully received plans keep their status and only get `cancelled_at`. Returns the plans
 * it changed.
 */
export async function cancelOpenPlansOfContract(db: DbExecutor, contractId: number, at: string): Promise<CancelledPlan[]> {
  const rows = await db
    .updateTable('payment_plan')
    .set({
      status: sql<PaymentPlanRow['status']>`case when allocated_fen < amount_fen then 'cancelled' else status end`,
      cancelled_fen: sql<number>`amount_fen - allocated_fen`,
      cancelled_at: at,
    })
    .where('contract_id', '=', contractId)
    .where('cancelled_at', 'is', null)
    .returning(['id', 'seq', 'due_date', 'amount_fen', 'allocated_fen', 'cancelled_fen', 'status'])
    .execute();
  return rows
    .map((row) => ({ id: row.id, seq: row.seq, dueDate: row.due_date, amountFen: row.amount_fen, allocatedFen: row.allocated_fen, cancelledFen: row.cancelled_fen, status: row.status }))
    .sort((a, b) => a.seq - b.seq);
}

export interface PlanListFilter {
  scope: DataScope;
  customerId?: number;
  contractId?: number;
  ownerId?: number;
  status?: 'unpaid' | 'received' | 'cancelled' | 'all';
  /** Due on or after / on or before, for aging bucket filters. */
  minDueDate?: string;
  maxDueDate?: string;
  limit: number;
  offset: number;
}

/** Plans in scope, overdue (earliest due) first. */
export async function listPlans(db: DbExecutor, filter: PlanListFilter): Promise<{ rows: PaymentPlanRow[]; total: number }> {
  let query = db.selectFrom('payment_plan');
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('payment_plan.customer_id', 'in', inScope);
  if (filter.ownerId !== undefined) {
    const owned = db.selectFrom('customer').select('customer.id').where('customer.owner_id', '=', filter.ownerId);
    query = query.where('payment_plan.customer_id', 'in', owned);
  }
  if (filter.customerId !== undefined) query = query.where('payment_plan.customer_id', '=', filter.customerId);
  if (filter.contractId !== undefined) query = query.where('payment_plan.contract_id', '=', filter.contractId);
  if (filter.status === 'unpaid' || filter.status === undefined) query = query.where(unpaidPlan);
  if (filter.status === 'received') query = query.where('payment_plan.status', '=', 'received');
  if (filter.status === 'cancelled') query = query.where('payment_plan.status', '=', 'cancelled');
  if (filter.minDueDate) query = query.where('payment_plan.due_date', '>=', filter.minDueDate);
  if (filter.maxDueDate) query = query.where('payment_plan.due_date', '<=', filter.maxDueDate);

  const [rows, count] = await Promise.all([
    query.selectAll('payment_plan').orderBy('payment_plan.due_date').orderBy('payment_plan.id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Unpaid plan amounts of a customer less what is allocated: what its contracts still expect. */
export async function sumUnpaidPlanFen(db: DbExecutor, customerId: number): Promise<number> {
  const row = await db
    .selectFrom('payment_plan')
    .select(sql<number>`coalesce(sum(amount_fen - allocated_fen), 0)`.as('unpaid'))
    .where('customer_id', '=', customerId)
    .where(unpaidPlan)
    .executeTakeFirstOrThrow();
  return Number(row.unpaid);
}
