import type { DbExecutor } from '../../db/database.js';
import type { TargetBook } from '../target/target.service.js';

/** Org lookups the KPIs group by: users with their main department, and department subtrees. */

/**
 * Active users with their main department (the first one, in id order, the same choice the approval
 * leader lookup makes) and that department's parent.
 */
export async function listUsersWithMainDepartment(db: DbExecutor, userIds?: readonly number[]) {
  let query = db
    .selectFrom('app_user')
    .leftJoin('user_department', 'user_department.user_id', 'app_user.id')
    .leftJoin('department', 'department.id', 'user_department.department_id')
    .select(['app_user.id', 'app_user.name', 'app_user.active', 'department.id as department_id', 'department.name as department_name'])
    .orderBy('app_user.id')
    .orderBy('user_department.department_id');
  if (userIds) query = query.where('app_user.id', 'in', userIds.length > 0 ? [...userIds] : [-1]);
  const rows = await query.execute();
  const byUser = new Map<number, { id: number; name: string; active: boolean; departmentId: number | null; departmentName: string | null }>();
  for (const row of rows) {
    if (!byUser.has(row.id)) byUser.set(row.id, { id: row.id, name: row.name, active: row.active === 1, departmentId: row.department_id, departmentName: row.department_name });
  }
  return byUser;
}

export async function findDepartment(db: DbExecutor, departmentId: number) {
  return db.selectFrom('department').select(['id', 'name', 'path', 'parent_id']).where('id', '=', departmentId).where('active', '=', 1).executeTakeFirst();
}

export async function listDepartmentsByIds(db: DbExecutor, departmentIds: readonly number[]) {
  if (departmentIds.length === 0) return [];
  return db.selectFrom('department').select(['id', 'name', 'path', 'parent_id']).where('id', 'in', [...departmentIds]).where('active', '=', 1).orderBy('path').execute();
}

export async function listAllDepartments(db: DbExecutor) {
  return db.selectFrom('department').select(['id', 'name', 'path', 'parent_id']).where('active', '=', 1).orderBy('path').execute();
}

/** Members of a department and every department below it. */
export async function listSubtreeMemberIds(db: DbExecutor, path: string): Promise<number[]> {
  const rows = await db
    .selectFrom('user_department')
    .innerJoin('department', 'department.id', 'user_department.department_id')
    .select('user_department.user_id')
    .distinct()
    .where('department.path', 'like', `${path}%`)
    .execute();
  return rows.map((row) => row.user_id);
}

/** Users holding the rep role: the people leaderboards rank. */
export async function listRepIds(db: DbExecutor): Promise<Set<number>> {
  const rows = await db.selectFrom('user_role').select('user_id').where('role', '=', 'rep').execute();
  return new Set(rows.map((row) => row.user_id));
}

/** Lists every membership with its department path, to work out subtrees in memory. */
export async function listMembershipPaths(db: DbExecutor) {
  return db
    .selectFrom('user_department')
    .innerJoin('department', 'department.id', 'user_department.department_id')
    .select(['user_department.user_id', 'department.path'])
    .where('department.active', '=', 1)
    .execute();
}

/**
 * Receipts targets of the months for the given reps and departments, in the target service's book shape.
 * Leaderboards rank by receipts and show no other target, so reading one metric keeps a thousand-rep
 * organisation's book a third of the size.
 * NOTE: reads the target module's table directly; it belongs in target.service.ts as a metric filter of
 * loadTargetBook.
 */
export async function loadReceiptsTargetBook(db: DbExecutor, months: readonly string[], subjects: { userIds: readonly number[]; departmentIds: readonly number[] }): Promise<TargetBook> {
  if (months.length === 0) return { records: [] };
  const read = (subjectType: 'user' | 'department', ids: readonly number[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('sales_target')
          .select(['month', 'subject_type', 'subject_id', 'metric', 'value'])
          .where('month', 'in', [...months])
          .where('subject_type', '=', subjectType)
          .where('subject_id', 'in', [...ids])
          .where('metric', '=', 'receipts')
          .execute();
  return { records: [...(await read('user', subjects.userIds)), ...(await read('department', subjects.departmentIds))] };
}
