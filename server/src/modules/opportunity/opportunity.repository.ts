import type { Insertable, Selectable, Updateable } from 'kysely';
import type { OpportunityListQuery } from '@shared/api/opportunity.js';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { OpportunityStageChangeTable, OpportunityTable } from './opportunity.tables.js';

export type OpportunityRow = Selectable<OpportunityTable> & { owner_name: string };

const openStageList = ['initial_contact', 'needs_confirmed', 'quoting', 'negotiating'];

function selectOpportunities(db: DbExecutor) {
  return db.selectFrom('opportunity').innerJoin('app_user as owner', 'owner.id', 'opportunity.owner_id').selectAll('opportunity').select('owner.name as owner_name');
}

export async function findOpportunityById(db: DbExecutor, id: number): Promise<OpportunityRow | undefined> {
  return selectOpportunities(db).where('opportunity.id', '=', id).executeTakeFirst();
}

export async function insertOpportunity(db: DbExecutor, row: Insertable<OpportunityTable>): Promise<number> {
  const inserted = await db.insertInto('opportunity').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateOpportunity(db: DbExecutor, id: number, changes: Updateable<OpportunityTable>): Promise<void> {
  await db.updateTable('opportunity').set(changes).where('id', '=', id).execute();
}

/** Moves the last activity forward only, so an old visit recorded late does not make a lead look fresher. */
export async function touchOpportunity(db: DbExecutor, id: number, at: string): Promise<void> {
  await db.updateTable('opportunity').set({ last_activity_at: at }).where('id', '=', id).where('last_activity_at', '<', at).execute();
}

export async function insertStageChange(db: DbExecutor, row: Insertable<OpportunityStageChangeTable>): Promise<void> {
  await db.insertInto('opportunity_stage_change').values(row).execute();
}

export async function listStageChanges(db: DbExecutor, opportunityId: number) {
  return db
    .selectFrom('opportunity_stage_change')
    .leftJoin('app_user', 'app_user.id', 'opportunity_stage_change.actor_user_id')
    .selectAll('opportunity_stage_change')
    .select('app_user.name as actor_name')
    .where('opportunity_id', '=', opportunityId)
    .orderBy('opportunity_stage_change.id', 'desc')
    .execute();
}

export interface OpportunityFilter extends Omit<OpportunityListQuery, 'stale'> {
  scope: DataScope;
  /** Open opportunities with no activity since this instant. */
  staleBefore?: string;
}

export async function listOpportunities(db: DbExecutor, filter: OpportunityFilter): Promise<{ rows: OpportunityRow[]; total: number }> {
  let query = selectOpportunities(db);
  if (filter.scope.kind === 'users') query = query.where('opportunity.owner_id', 'in', nonEmpty(filter.scope.userIds));
  if (filter.ownerId) query = query.where('opportunity.owner_id', '=', filter.ownerId);
  if (filter.customerId) query = query.where('opportunity.customer_id', '=', filter.customerId);
  if (filter.kind) query = query.where('opportunity.kind', '=', filter.kind);
  if (filter.stage) query = query.where('opportunity.stage', '=', filter.stage);
  if (filter.status === 'open') query = query.where('opportunity.stage', 'in', openStageList);
  if (filter.status === 'closed') query = query.where('opportunity.stage', 'in', ['won', 'lost']);
  if (filter.staleBefore) query = query.where('opportunity.stage', 'in', openStageList).where('opportunity.last_activity_at', '<=', filter.staleBefore);
  if (filter.closeFrom) query = query.where('opportunity.close_date', '>=', filter.closeFrom);
  if (filter.closeTo) query = query.where('opportunity.close_date', '<=', filter.closeTo);
  if (filter.q) query = query.where('opportunity.name', 'like', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

  const ordered =
    filter.sort === 'expected_amount'
      ? query.orderBy('opportunity.expected_amount_fen', 'desc')
      : filter.sort === 'updated_at'
        ? query.orderBy('opportunity.updated_at', 'desc')
        : query.orderBy('opportunity.close_date', 'asc');

  const [rows, count] = await Promise.all([
    ordered.orderBy('opportunity.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export interface FunnelFilter {
  /** Owners whose opportunities count; undefined = everyone. */
  ownerIds?: readonly number[];
  from?: string;
  to?: string;
}

export interface FunnelRow {
  stage: string;
  max_stage_rank: number;
  count: number;
  amount: number;
}

/** Counts and sums opportunities per stage and furthest stage reached, reading only the covering funnel indexes. */
export async function aggregateFunnel(db: DbExecutor, filter: FunnelFilter): Promise<FunnelRow[]> {
  let query = db.selectFrom('opportunity');
  if (filter.ownerIds) query = query.where('owner_id', 'in', nonEmpty(filter.ownerIds));
  if (filter.from) query = query.where('close_date', '>=', filter.from);
  if (filter.to) query = query.where('close_date', '<=', filter.to);
  const rows = await query
    .select(['stage', 'max_stage_rank', (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.sum<number>('expected_amount_fen').as('amount')])
    .groupBy(['stage', 'max_stage_rank'])
    .execute();
  return rows.map((row) => ({ stage: row.stage, max_stage_rank: row.max_stage_rank, count: Number(row.count), amount: Number(row.amount ?? 0) }));
}

/** Lists open opportunities quiet since `before` whose owner has not been notified of this quiet spell. */
export async function listStaleNotYetNotified(db: DbExecutor, before: string, limit: number): Promise<OpportunityRow[]> {
  return selectOpportunities(db)
    .where('opportunity.stage', 'in', openStageList)
    .where('opportunity.last_activity_at', '<=', before)
    .where((eb) => eb.or([eb('opportunity.stale_notified_at', 'is', null), eb('opportunity.stale_notified_at', '<', eb.ref('opportunity.last_activity_at'))]))
    .orderBy('opportunity.id')
    .limit(limit)
    .execute();
}

/** Users of a department and every department below it. */
export async function listDepartmentSubtreeUserIds(db: DbExecutor, departmentId: number): Promise<number[]> {
  const root = await db.selectFrom('department').select('path').where('id', '=', departmentId).executeTakeFirst();
  if (!root) return [];
  const rows = await db
    .selectFrom('user_department')
    .innerJoin('department', 'department.id', 'user_department.department_id')
    .select('user_department.user_id')
    .where('department.path', 'like', `${root.path}%`)
    .distinct()
    .execute();
  return rows.map((row) => row.user_id);
}

function nonEmpty(ids: readonly number[]): readonly number[] {
  return ids.length > 0 ? ids : [-1];
}
