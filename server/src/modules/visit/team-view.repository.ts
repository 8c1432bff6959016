import { sql } from 'kysely';
import type { DbExecutor } from '../../db/database.js';

/**
 * Aggregates behind the managers' team view. Each query is a range scan of (owner, day) indexes for the
 * team's reps, grouped in the database, so a month of a 50-rep team returns about 1,500 small rows.
 */

export async function sumVisitsByRepAndDay(db: DbExecutor, ownerIds: number[], from: string, to: string) {
  if (ownerIds.length === 0) return [];
  return db
    .selectFrom('visit')
    .select((eb) => ['owner_id', 'check_in_date', eb.fn.countAll<number>().as('visits'), eb.fn.count<number>('customer_id').distinct().as('customers')])
    .where('owner_id', 'in', ownerIds)
    .where('check_in_date', '>=', from)
    .where('check_in_date', '<=', to)
    .groupBy(['owner_id', 'check_in_date'])
    .execute();
}

/** Counts flagged check-ins per rep and day; the literal `flagged = 1` lets SQLite use the partial index. */
export async function countFlaggedByRepAndDay(db: DbExecutor, ownerIds: number[], from: string, to: string) {
  if (ownerIds.length === 0) return [];
  return db
    .selectFrom('visit')
    .select((eb) => ['owner_id', 'check_in_date', eb.fn.countAll<number>().as('flagged')])
    .where('owner_id', 'in', ownerIds)
    .where('check_in_date', '>=', from)
    .where('check_in_date', '<=', to)
    .where(sql<boolean>`flagged = 1`)
    .groupBy(['owner_id', 'check_in_date'])
    .execute();
}

/** Distinct customers per rep over the whole range (a customer visited on two days counts once). */
export async function countCustomersByRep(db: DbExecutor, ownerIds: number[], from: string, to: string) {
  if (ownerIds.length === 0) return [];
  return db
    .selectFrom('visit')
    .select((eb) => ['owner_id', eb.fn.count<number>('customer_id').distinct().as('customers')])
    .where('owner_id', 'in', ownerIds)
    .where('check_in_date', '>=', from)
    .where('check_in_date', '<=', to)
    .groupBy('owner_id')
    .execute();
}

export async function countTeamCustomers(db: DbExecutor, ownerIds: number[], from: string, to: string): Promise<number> {
  if (ownerIds.length === 0) return 0;
  const row = await db
    .selectFrom('visit')
    .select((eb) => eb.fn.count<number>('customer_id').distinct().as('customers'))
    .where('owner_id', 'in', ownerIds)
    .where('check_in_date', '>=', from)
    .where('check_in_date', '<=', to)
    .executeTakeFirstOrThrow();
  return Number(row.customers);
}

export async function sumPlansByRepAndDay(db: DbExecutor, ownerIds: number[], from: string, to: string) {
  if (ownerIds.length === 0) return [];
  return db
    .selectFrom('visit_plan')
    .select((eb) => [
      'owner_id',
      'plan_date',
      eb.fn.countAll<number>().as('planned'),
      eb.fn.sum<number>(sql<number>`case when status = 'visited' then 1 else 0 end`).as('visited'),
    ])
    .where('owner_id', 'in', ownerIds)
    .where('plan_date', '>=', from)
    .where('plan_date', '<=', to)
    .where('status', '!=', 'cancelled')
    .groupBy(['owner_id', 'plan_date'])
    .execute();
}

/** Lists the team's members with their names and whether each has the rep role (only reps get a row by default). */
export async function listTeamMembers(db: DbExecutor, userIds: number[] | 'all') {
  let query = db
    .selectFrom('app_user')
    .select((eb) => [
      'app_user.id',
      'app_user.name',
      eb.exists(eb.selectFrom('user_role').select('user_role.user_id').whereRef('user_role.user_id', '=', 'app_user.id').where('user_role.role', '=', 'rep')).as('is_rep'),
    ])
    .where('app_user.active', '=', 1);
  if (userIds !== 'all') {
    if (userIds.length === 0) return [];
    query = query.where('app_user.id', 'in', userIds);
  }
  return query.orderBy('app_user.id').execute();
}
