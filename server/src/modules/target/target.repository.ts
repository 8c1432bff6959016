import type { DbExecutor } from '../../db/database.js';
import type { TargetMetric, TargetSubjectType } from '@shared/api/target.js';

export async function listTargets(db: DbExecutor, filter: { months: string[]; subjectType?: TargetSubjectType; subjectIds?: number[] }) {
  if (filter.months.length === 0) return [];
  let query = db.selectFrom('sales_target').select(['month', 'subject_type', 'subject_id', 'metric', 'value']).where('month', 'in', filter.months);
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectIds) query = query.where('subject_id', 'in', filter.subjectIds.length > 0 ? filter.subjectIds : [-1]);
  return query.execute();
}

export type TargetRecord = Awaited<ReturnType<typeof listTargets>>[number];

export async function upsertTarget(
  db: DbExecutor,
  values: { month: string; subjectType: TargetSubjectType; subjectId: number; metric: TargetMetric; value: number; setBy: number; now: string },
): Promise<void> {
  await db
    .insertInto('sales_target')
    .values({ month: values.month, subject_type: values.subjectType, subject_id: values.subjectId, metric: values.metric, value: values.value, set_by: values.setBy, set_at: values.now })
    .onConflict((oc) => oc.columns(['month', 'subject_type', 'subject_id', 'metric']).doUpdateSet({ value: values.value, set_by: values.setBy, set_at: values.now }))
    .execute();
}

export async function deleteTarget(db: DbExecutor, key: { month: string; subjectType: TargetSubjectType; subjectId: number; metric: TargetMetric }): Promise<void> {
  await db
    .deleteFrom('sales_target')
    .where('month', '=', key.month)
    .where('subject_type', '=', key.subjectType)
    .where('subject_id', '=', key.subjectId)
    .where('metric', '=', key.metric)
    .execute();
}

/** Active users with a sales role, with their departments, for the target sheet. */
export async function listSalesUsers(db: DbExecutor, userIds?: number[]) {
  let query = db
    .selectFrom('app_user')
    .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
    .leftJoin('user_department', 'user_department.user_id', 'app_user.id')
    .leftJoin('department', 'department.id', 'user_department.department_id')
    .select(['app_user.id', 'app_user.name', 'department.id as department_id', 'department.name as department_name', 'department.sort_order'])
    .where('app_user.active', '=', 1)
    .where('user_role.role', '=', 'rep');
  if (userIds) query = query.where('app_user.id', 'in', userIds.length > 0 ? userIds : [-1]);
  return query.orderBy('department.path').orderBy('app_user.id').execute();
}

export async function listDepartments(db: DbExecutor, departmentIds?: number[]) {
  let query = db
    .selectFrom('department')
    .leftJoin('department as parent', 'parent.id', 'department.parent_id')
    .select(['department.id', 'department.name', 'department.path', 'parent.name as parent_name'])
    .where('department.active', '=', 1);
  if (departmentIds) query = query.where('department.id', 'in', departmentIds.length > 0 ? departmentIds : [-1]);
  return query.orderBy('department.path').execute();
}

/** Targets of the users summed per month and metric, so a department of a thousand reps costs one small result. */
export async function sumUserTargetsByMonth(db: DbExecutor, userIds: number[], months: string[]) {
  if (months.length === 0 || userIds.length === 0) return [];
  return db
    .selectFrom('sales_target')
    .select((eb) => ['month', 'metric', eb.fn.sum<number>('value').as('value')])
    .where('subject_type', '=', 'user')
    .where('subject_id', 'in', userIds)
    .where('month', 'in', months)
    .groupBy(['month', 'metric'])
    .execute();
}
