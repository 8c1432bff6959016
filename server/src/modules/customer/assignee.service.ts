import type { Actor } from '../../access/actor.js';
import { resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';

/**
 * Sales people a manager may assign customers to (their department subtree; everyone for admins and
 * executives), with how many customers each owns: the transfer picker and the owner filter use it.
 */
export async function listAssignees(db: DbExecutor, actor: Actor) {
  const scope = await resolveScope(db, actor, 'business');
  let query = db
    .selectFrom('app_user')
    .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
    .select(['app_user.id', 'app_user.name'])
    .select((eb) => [
      eb.selectFrom('customer').select((inner) => inner.fn.countAll<number>().as('count')).whereRef('customer.owner_id', '=', 'app_user.id').as('owned_count'),
      eb
        .selectFrom('user_department')
        .innerJoin('department', 'department.id', 'user_department.department_id')
        .select('department.name')
        .whereRef('user_department.user_id', '=', 'app_user.id')
        .orderBy('department.sort_order')
        .limit(1)
        .as('department_name'),
    ])
    .where('app_user.active', '=', 1)
    .where('user_role.role', 'in', ['rep', 'manager'])
    .groupBy(['app_user.id', 'app_user.name']);
  if (scope.kind === 'users') query = query.where('app_user.id', 'in', scope.userIds.length > 0 ? scope.userIds : [-1]);
  const rows = await query.orderBy('app_user.id').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, departmentName: row.department_name ?? null, ownedCount: Number(row.owned_count ?? 0) }));
}
