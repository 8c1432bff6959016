import type { DbExecutor } from '../../db/database.js';
import type { Platform, Role } from '@shared/roles.js';
import { roleSchema } from '@shared/roles.js';

export async function findUserByPlatformId(db: DbExecutor, platform: Platform, platformUserId: string) {
  return db.selectFrom('app_user').selectAll().where('platform', '=', platform).where('platform_user_id', '=', platformUserId).executeTakeFirst();
}

export async function findUserById(db: DbExecutor, id: number) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUserRoles(db: DbExecutor, userId: number): Promise<Role[]> {
  const rows = await db.selectFrom('user_role').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((row) => roleSchema.parse(row.role));
}

export async function listUserDepartments(db: DbExecutor, userId: number) {
  return db
    .selectFrom('user_department')
    .innerJoin('department', 'department.id', 'user_department.department_id')
    .select(['department.id', 'department.name', 'department.path', 'user_department.is_leader'])
    .where('user_department.user_id', '=', userId)
    .where('department.active', '=', 1)
    .orderBy('department.sort_order')
    .execute();
}

export async function listDepartments(db: DbExecutor, platform: Platform) {
  return db.selectFrom('department').selectAll().where('platform', '=', platform).where('active', '=', 1).orderBy('path').execute();
}

export async function listUsers(db: DbExecutor, platform: Platform) {
  return db.selectFrom('app_user').selectAll().where('platform', '=', platform).orderBy('id').execute();
}

export async function replaceUserRoles(db: DbExecutor, userId: number, roles: Role[], grantedBy: number | null, now: Date): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  if (roles.length === 0) return;
  await db
    .insertInto('user_role')
    .values(roles.map((role) => ({ user_id: userId, role, granted_by: grantedBy, granted_at: now.toISOString() })))
    .execute();
}

/** Leaders of a department, nearest first is not implied: the caller walks up the path itself. */
export async function listDepartmentLeaders(db: DbExecutor, departmentId: number) {
  return db
    .selectFrom('user_department')
    .innerJoin('app_user', 'app_user.id', 'user_department.user_id')
    .select(['app_user.id', 'app_user.name'])
    .where('user_department.department_id', '=', departmentId)
    .where('user_department.is_leader', '=', 1)
    .where('app_user.active', '=', 1)
    .execute();
}

export async function listUsersWithRole(db: DbExecutor, role: Role) {
  return db
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select(['app_user.id', 'app_user.name'])
    .where('user_role.role', '=', role)
    .where('app_user.active', '=', 1)
    .orderBy('app_user.id')
    .execute();
}
