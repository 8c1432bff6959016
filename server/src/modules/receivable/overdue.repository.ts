import { sql } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import { unpaidPlan } from './payment-plan.repository.js';

/**
 * Unpaid plans notified up to `notifiedDays` and due on or before `cutoffDueDate` (= today − the
 * threshold being checked), after the keyset (due date, id) of the previous batch. One range of the
 * overdue-scan index, so the daily run reads little more than the plans that crossed a threshold today.
 */
export async function listPlansDueForNotice(db: DbExecutor, input: { notifiedDays: number; cutoffDueDate: string; after: { dueDate: string; id: number } | null; limit: number }) {
  let query = db
    .selectFrom('payment_plan')
    .select(['id', 'customer_id', 'contract_id', 'consignment_settlement_id', 'seq', 'due_date', 'amount_fen', 'allocated_fen', 'overdue_notified_days'])
    .where(unpaidPlan)
    .where('overdue_notified_days', '=', input.notifiedDays)
    .where('due_date', '<=', input.cutoffDueDate);
  const after = input.after;
  if (after) query = query.where((eb) => eb.or([eb('due_date', '>', after.dueDate), eb.and([eb('due_date', '=', after.dueDate), eb('id', '>', after.id)])]));
  return query.orderBy('due_date').orderBy('id').limit(input.limit).execute();
}

/** Lists the notified thresholds unpaid plans carry, including ones from thresholds an admin has since changed. */
export async function listNotifiedLevels(db: DbExecutor): Promise<number[]> {
  const rows = await db.selectFrom('payment_plan').select('overdue_notified_days').distinct().where(unpaidPlan).execute();
  return rows.map((row) => row.overdue_notified_days).sort((a, b) => a - b);
}

/**
 * Records the threshold on plans still below it and returns the ids this call moved. A concurrent scan
 * that got there first has moved the others, so each plan's notices are queued by exactly one run.
 */
export async function markPlansNotified(db: DbExecutor, planIds: readonly number[], thresholdDays: number): Promise<Set<number>> {
  if (planIds.length === 0) return new Set();
  const rows = await db
    .updateTable('payment_plan')
    .set({ overdue_notified_days: thresholdDays })
    .where('id', 'in', [...planIds])
    .where(unpaidPlan)
    .where('overdue_notified_days', '<', thresholdDays)
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

export type PlanDueForNotice = Awaited<ReturnType<typeof listPlansDueForNotice>>[number];

/**
 * Lists the recipients of the weekly digest: users with the manager or executive role, and the
 * leader of finance. Leaders of departments that own no customers (legal, editorial, the office) are
 * left out even though they lead a department.
 */
export async function listManagerUserIds(db: DbExecutor): Promise<number[]> {
  const [managers, financeLeaders] = await Promise.all([
    db
      .selectFrom('user_role')
      .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
      .select('app_user.id')
      .where('user_role.role', 'in', ['manager', 'executive'])
      .where('app_user.active', '=', 1)
      .execute(),
    db
      .selectFrom('user_role')
      .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
      .innerJoin('user_department', 'user_department.user_id', 'app_user.id')
      .select('app_user.id')
      .where('user_role.role', '=', 'finance')
      .where('user_department.is_leader', '=', 1)
      .where('app_user.active', '=', 1)
      .execute(),
  ]);
  return [...new Set([...managers, ...financeLeaders].map((row) => row.id))].sort((a, b) => a - b);
}

/** Executives who lead a department (the general manager), for the 30-day notices. */
export async function listLeadingExecutiveIds(db: DbExecutor): Promise<number[]> {
  const rows = await db
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .innerJoin('user_department', 'user_department.user_id', 'app_user.id')
    .select('app_user.id')
    .distinct()
    .where('user_role.role', '=', 'executive')
    .where('user_department.is_leader', '=', 1)
    .where('app_user.active', '=', 1)
    .execute();
  return rows.map((row) => row.id);
}

/** Adds a batch's folded notices to the recipient's count of the day, reopening it if it was sent. */
export async function addOverdueOverflow(db: DbExecutor, row: { asOfDate: string; userId: number; planCount: number; amountFen: number }): Promise<void> {
  await db
    .insertInto('overdue_overflow')
    .values({ as_of_date: row.asOfDate, user_id: row.userId, plan_count: row.planCount, amount_fen: row.amountFen, flush_count: 0, flushed_at: null })
    .onConflict((oc) =>
      oc.columns(['as_of_date', 'user_id']).doUpdateSet({
        plan_count: sql`case when overdue_overflow.flushed_at is null then overdue_overflow.plan_count + ${row.planCount} else ${row.planCount} end`,
        amount_fen: sql`case when overdue_overflow.flushed_at is null then overdue_overflow.amount_fen + ${row.amountFen} else ${row.amountFen} end`,
        flushed_at: null,
      }),
    )
    .execute();
}

export async function listPendingOverdueOverflow(db: DbExecutor) {
  return db.selectFrom('overdue_overflow').selectAll().where('flushed_at', 'is', null).orderBy('as_of_date').orderBy('user_id').execute();
}

/** Marks a day's count sent, unless a batch added to it since it was read. */
export async function markOverdueOverflowFlushed(db: DbExecutor, row: { asOfDate: string; userId: number; planCount: number }, at: string): Promise<boolean> {
  const result = await db
    .updateTable('overdue_overflow')
    .set({ flushed_at: at, flush_count: sql`flush_count + 1` })
    .where('as_of_date', '=', row.asOfDate)
    .where('user_id', '=', row.userId)
    .where('plan_count', '=', row.planCount)
    .where('flushed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
