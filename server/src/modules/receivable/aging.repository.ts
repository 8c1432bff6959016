import { sql, type RawBuilder } from 'kysely';
import { agingBucketDueRange, agingBuckets, type AgingBucket } from '@shared/receivable-rules.js';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { scopedCustomerIds } from './receivable-scope.js';

export type AgingSums = Record<AgingBucket, { amountFen: number; count: number }>;

/** `case when <due date in bucket> then <outstanding> else 0 end` for one bucket. */
function bucketCondition(bucket: AgingBucket, asOfDate: string): RawBuilder<boolean> {
  const range = agingBucketDueRange(bucket, asOfDate);
  if (range.minDueDate && range.maxDueDate) return sql<boolean>`payment_plan.due_date between ${range.minDueDate} and ${range.maxDueDate}`;
  if (range.minDueDate) return sql<boolean>`payment_plan.due_date >= ${range.minDueDate}`;
  return sql<boolean>`payment_plan.due_date <= ${range.maxDueDate}`;
}

function bucketColumns(asOfDate: string) {
  return agingBuckets.flatMap((bucket) => {
    const condition = bucketCondition(bucket, asOfDate);
    return [
      sql<number>`coalesce(sum(case when ${condition} then payment_plan.amount_fen - payment_plan.allocated_fen else 0 end), 0)`.as(`${bucket}_fen`),
      sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`.as(`${bucket}_count`),
    ];
  });
}

function toAgingSums(row: Record<string, unknown>): AgingSums {
  const sums = {} as AgingSums;
  for (const bucket of agingBuckets) {
    sums[bucket] = { amountFen: Number(row[`${bucket}_fen`] ?? 0), count: Number(row[`${bucket}_count`] ?? 0) };
  }
  return sums;
}

/** Outstanding amounts of unpaid plans in scope, by aging bucket, in one pass over the unpaid-plan index. */
export async function sumAging(db: DbExecutor, scope: DataScope, asOfDate: string, customerId?: number): Promise<AgingSums> {
  let query = db.selectFrom('payment_plan').where('payment_plan.status', '<>', 'received');
  const inScope = scopedCustomerIds(db, scope);
  if (inScope) query = query.where('payment_plan.customer_id', 'in', inScope);
  if (customerId !== undefined) query = query.where('payment_plan.customer_id', '=', customerId);
  const row = await query.select(bucketColumns(asOfDate)).executeTakeFirstOrThrow();
  return toAgingSums(row as Record<string, unknown>);
}

/** The same sums per owner rep of the customer, for a manager's team view. */
export async function sumAgingByOwner(db: DbExecutor, scope: DataScope, asOfDate: string): Promise<{ ownerId: number | null; ownerName: string | null; sums: AgingSums }[]> {
  let query = db
    .selectFrom('payment_plan')
    .innerJoin('customer', 'customer.id', 'payment_plan.customer_id')
    .leftJoin('app_user', 'app_user.id', 'customer.owner_id')
    .where('payment_plan.status', '<>', 'received');
  if (scope.kind === 'users') query = query.where('customer.owner_id', 'in', scope.userIds.length > 0 ? scope.userIds : [-1]);
  const rows = await query
    .select(['customer.owner_id', 'app_user.name as owner_name'])
    .select(bucketColumns(asOfDate))
    .groupBy(['customer.owner_id', 'app_user.name'])
    .execute();
  return rows.map((row) => ({ ownerId: row.owner_id, ownerName: row.owner_name, sums: toAgingSums(row as Record<string, unknown>) }));
}
