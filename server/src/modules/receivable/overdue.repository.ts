import type { DbExecutor } from '../../db/database.js';

/**
 * Unpaid plans notified up to `notifiedDays` and due on or before `cutoffDueDate` (= today − the
 * threshold being checked), after the keyset (due date, id) of the previous batch. One range of the
 * overdue-scan index, so the daily run reads little more than the plans that crossed a threshold today.
 */
export async function listPlansDueForNotice(db: DbExecutor, input: { notifiedDays: number; cutoffDueDate: string; after: { dueDate: string; id: number } | null; limit: number }) {
  let query = db
    .selectFrom('payment_plan')
    .select(['id', 'customer_id', 'contract_id', 'consignment_settlement_id', 'seq', 'due_date', 'amount_fen', 'allocated_fen', 'overdue_notified_days'])
    .where('status', '<>', 'received')
    .where('overdue_notified_days', '=', input.notifiedDays)
    .where('due_date', '<=', input.cutoffDueDate);
  const after = input.after;
  if (after) query = query.where((eb) => eb.or([eb('due_date', '>', after.dueDate), eb.and([eb('due_date', '=', after.dueDate), eb('id', '>', after.id)])]));
  return query.orderBy('due_date').orderBy('id').limit(input.limit).execute();
}

/** Lists the notified thresholds unpaid plans carry, including ones from thresholds an admin has since changed. */
export async function listNotifiedLevels(db: DbExecutor): Promise<number[]> {
  const rows = await db.selectFrom('payment_plan').select('overdue_notified_days').distinct().where('status', '<>', 'received').execute();
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
    .where('status', '<>', 'received')
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
