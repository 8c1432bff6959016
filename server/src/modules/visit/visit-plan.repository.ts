import type { Insertable, Updateable } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { VisitPlanTable } from './visit.tables.js';

const planColumns = [
  'visit_plan.id',
  'visit_plan.owner_id',
  'app_user.name as owner_name',
  'visit_plan.customer_id',
  'visit_plan.customer_name',
  'visit_plan.plan_date',
  'visit_plan.purpose',
  'visit_plan.note',
  'visit_plan.status',
  'visit_plan.visit_id',
] as const;

export async function findVisitPlanById(db: DbExecutor, id: number) {
  return db.selectFrom('visit_plan').innerJoin('app_user', 'app_user.id', 'visit_plan.owner_id').select(planColumns).where('visit_plan.id', '=', id).executeTakeFirst();
}

export async function findVisitPlanFor(db: DbExecutor, ownerId: number, customerId: number, planDate: string) {
  return db
    .selectFrom('visit_plan')
    .select(['id', 'status'])
    .where('owner_id', '=', ownerId)
    .where('customer_id', '=', customerId)
    .where('plan_date', '=', planDate)
    .executeTakeFirst();
}

export async function insertVisitPlan(db: DbExecutor, row: Insertable<VisitPlanTable>): Promise<number> {
  const inserted = await db.insertInto('visit_plan').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateVisitPlan(db: DbExecutor, id: number, changes: Updateable<VisitPlanTable>): Promise<void> {
  await db.updateTable('visit_plan').set(changes).where('id', '=', id).execute();
}

export async function listVisitPlans(db: DbExecutor, filter: { owners: DataScope; ownerId?: number; from: string; to: string }) {
  let query = db
    .selectFrom('visit_plan')
    .innerJoin('app_user', 'app_user.id', 'visit_plan.owner_id')
    .select(planColumns)
    .where('visit_plan.plan_date', '>=', filter.from)
    .where('visit_plan.plan_date', '<=', filter.to)
    .where('visit_plan.status', '!=', 'cancelled');
  if (filter.owners.kind === 'users') query = query.where('visit_plan.owner_id', 'in', filter.owners.userIds);
  if (filter.ownerId !== undefined) query = query.where('visit_plan.owner_id', '=', filter.ownerId);

  return query.orderBy('visit_plan.plan_date').orderBy('visit_plan.owner_id').orderBy('visit_plan.id').limit(2000).execute();
}
