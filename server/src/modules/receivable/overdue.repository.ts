import type { DbExecutor } from '../../db/database.js';

/**
 * Unpaid plans that have reached `thresholdDays` overdue on `cutoffDueDate` (= today − thresholdDays)
 * and have not been notified at that threshold yet. Walks the partial index of unpaid plans by due
 * date; plans drop out once marked, so the caller simply asks again for the next batch.
 */
export async function listPlansDueForNotice(db: DbExecutor, cutoffDueDate: string, thresholdDays: number, limit: number) {
  return db
    .selectFrom('payment_plan')
    .select(['id', 'customer_id', 'contract_id', 'consignment_settlement_id', 'seq', 'due_date', 'amount_fen', 'allocated_fen', 'overdue_notified_days'])
    .where('status', '<>', 'received')
    .where('due_date', '<=', cutoffDueDate)
    .where('overdue_notified_days', '<', thresholdDays)
    .orderBy('due_date')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export type PlanDueForNotice = Awaited<ReturnType<typeof listPlansDueForNotice>>[number];

/** Users who lead a department or hold the manager role: the recipients of the weekly digest. */
export async function listManagerUserIds(db: DbExecutor): Promise<number[]> {
  const [leaders, managers] = await Promise.all([
    db
      .selectFrom('user_department')
      .innerJoin('app_user', 'app_user.id', 'user_department.user_id')
      .select('app_user.id')
      .where('user_department.is_leader', '=', 1)
      .where('app_user.active', '=', 1)
      .execute(),
    db
      .selectFrom('user_role')
      .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
      .select('app_user.id')
      .where('user_role.role', '=', 'manager')
      .where('app_user.active', '=', 1)
      .execute(),
  ]);
  return [...new Set([...leaders, ...managers].map((row) => row.id))].sort((a, b) => a - b);
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
