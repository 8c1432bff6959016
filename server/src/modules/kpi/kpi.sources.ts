import { sql, type RawBuilder } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { agingTotals, agingTotalsByOwner, type AgingTotals } from '../receivable/payment-plan.service.js';
import type { MonthBucket } from './kpi.period.js';

/**
 * The aggregates KPIs are computed from, one grouped query per kind of record, each filtered by the
 * owners the caller may see. Business records (customers, visits, opportunities, contracts) belong to
 * their owner; money records (shipments, returns, receipts, plans) to the owner of their customer, the
 * same rule the receivables lists apply.
 *
 * NOTE: these queries read the customer, visit, opportunity, contract and receivable tables directly,
 * because a grouped aggregate over millions of rows must be one SQL statement; each belongs in its
 * module's service once those modules expose grouped read functions.
 */

/** Owner ids to include; undefined means every owner, including records of pool customers without one. */
export type OwnerFilter = readonly number[] | undefined;

export interface OwnerMonthRow {
  ownerId: number | null;
  month: string;
  values: Record<string, number>;
}

function ids(owners: readonly number[]): number[] {
  return owners.length > 0 ? [...owners] : [-1];
}

/** `case when <column> < <end of month 1> then 'YYYY-MM' … end`: the tenant-zone month of a UTC instant column. */
function instantMonth(column: string, buckets: readonly MonthBucket[]): RawBuilder<string> {
  const branches = buckets.map((bucket) => sql`when ${sql.ref(column)} < ${bucket.toInstant} then ${bucket.month}`);
  return sql<string>`case ${sql.join(branches, sql` `)} end`;
}

function dateMonth(column: string): RawBuilder<string> {
  return sql<string>`substr(${sql.ref(column)}, 1, 7)`;
}

function periodBounds(buckets: readonly MonthBucket[]) {
  const first = buckets[0]!;
  const last = buckets.at(-1)!;
  return { fromDate: first.fromDate, toDate: last.toDate, fromInstant: first.fromInstant, toInstant: last.toInstant };
}

function toRows(rows: { owner_id: number | null; month: string | null; [key: string]: unknown }[], keys: string[]): OwnerMonthRow[] {
  return rows.map((row) => ({ ownerId: row.owner_id, month: row.month ?? '', values: Object.fromEntries(keys.map((key) => [key, Number(row[key] ?? 0)])) }));
}

// ---- Customers ----

export async function newCustomersByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  let query = db.selectFrom('customer').where('customer.created_at', '>=', bounds.fromInstant).where('customer.created_at', '<', bounds.toInstant);
  if (owners) query = query.where('customer.owner_id', 'in', ids(owners));
  const month = instantMonth('customer.created_at', buckets);
  const rows = await query
    .select((eb) => ['customer.owner_id', month.as('month'), eb.fn.countAll<number>().as('newCustomers')])
    .groupBy(['customer.owner_id', month])
    .execute();
  return toRows(rows, ['newCustomers']);
}

// ---- Visits ----

export async function visitsByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  let query = db.selectFrom('visit').where('visit.check_in_date', '>=', bounds.fromDate).where('visit.check_in_date', '<=', bounds.toDate);
  if (owners) query = query.where('visit.owner_id', 'in', ids(owners));
  const month = dateMonth('visit.check_in_date');
  const rows = await query
    .select((eb) => ['visit.owner_id', month.as('month'), eb.fn.countAll<number>().as('visits')])
    .groupBy(['visit.owner_id', month])
    .execute();
  return toRows(rows, ['visits']);
}

/** Distinct customers visited in the period, per owner and in total (a customer two reps visited counts once in the total). */
export async function customersCovered(db: DbExecutor, owners: OwnerFilter, fromDate: string, toDate: string): Promise<{ byOwner: Map<number, number>; total: number }> {
  let query = db.selectFrom('visit').where('visit.check_in_date', '>=', fromDate).where('visit.check_in_date', '<=', toDate);
  if (owners) query = query.where('visit.owner_id', 'in', ids(owners));
  const [byOwner, total] = await Promise.all([
    query.select((eb) => ['visit.owner_id', eb.fn.count<number>('visit.customer_id').distinct().as('customers')]).groupBy('visit.owner_id').execute(),
    query.select((eb) => eb.fn.count<number>('visit.customer_id').distinct().as('customers')).executeTakeFirstOrThrow(),
  ]);
  return { byOwner: new Map(byOwner.map((row) => [row.owner_id, Number(row.customers)])), total: Number(total.customers) };
}

// ---- Opportunities ----

export async function opportunitiesByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  let created = db.selectFrom('opportunity').where('opportunity.created_at', '>=', bounds.fromInstant).where('opportunity.created_at', '<', bounds.toInstant);
  let closed = db
    .selectFrom('opportunity')
    .where('opportunity.closed_at', '>=', bounds.fromInstant)
    .where('opportunity.closed_at', '<', bounds.toInstant)
    .where('opportunity.stage', 'in', ['won', 'lost']);
  if (owners) {
    created = created.where('opportunity.owner_id', 'in', ids(owners));
    closed = closed.where('opportunity.owner_id', 'in', ids(owners));
  }
  const createdMonth = instantMonth('opportunity.created_at', buckets);
  const closedMonth = instantMonth('opportunity.closed_at', buckets);
  const [createdRows, closedRows] = await Promise.all([
    created.select((eb) => ['opportunity.owner_id', createdMonth.as('month'), eb.fn.countAll<number>().as('opportunitiesCreated')]).groupBy(['opportunity.owner_id', createdMonth]).execute(),
    closed
      .select((eb) => [
        'opportunity.owner_id',
        closedMonth.as('month'),
        eb.fn.sum<number>(eb.case().when('opportunity.stage', '=', 'won').then(1).else(0).end()).as('opportunitiesWon'),
        eb.fn.sum<number>(eb.case().when('opportunity.stage', '=', 'lost').then(1).else(0).end()).as('opportunitiesLost'),
      ])
      .groupBy(['opportunity.owner_id', closedMonth])
      .execute(),
  ]);
  return [...toRows(createdRows, ['opportunitiesCreated']), ...toRows(closedRows, ['opportunitiesWon', 'opportunitiesLost'])];
}

// ---- Contracts ----

/** Statuses of a contract that was approved and not voided. */
export const signedContractStatuses = ['approved', 'sealed', 'archived', 'void_review'];

export async function contractsByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  let query = db
    .selectFrom('contract')
    .where('contract.approved_at', '>=', bounds.fromInstant)
    .where('contract.approved_at', '<', bounds.toInstant)
    .where('contract.status', 'in', signedContractStatuses);
  if (owners) query = query.where('contract.owner_id', 'in', ids(owners));
  const month = instantMonth('contract.approved_at', buckets);
  const rows = await query
    .select((eb) => ['contract.owner_id', month.as('month'), eb.fn.countAll<number>().as('contractsSigned'), eb.fn.sum<number>('contract.total_net_fen').as('contractAmountFen')])
    .groupBy(['contract.owner_id', month])
    .execute();
  return toRows(rows, ['contractsSigned', 'contractAmountFen']);
}

// ---- Money: shipments, returns, receipts, overdue ----

export async function shipmentsByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  let query = db
    .selectFrom('shipment')
    .innerJoin('customer', 'customer.id', 'shipment.customer_id')
    .where('shipment.shipped_date', '>=', bounds.fromDate)
    .where('shipment.shipped_date', '<=', bounds.toDate);
  if (owners) query = query.where('customer.owner_id', 'in', ids(owners));
  const month = dateMonth('shipment.shipped_date');
  const rows = await query
    .select((eb) => ['customer.owner_id', month.as('month'), eb.fn.sum<number>('shipment.net_amount_fen').as('shippedNetFen'), eb.fn.sum<number>('shipment.list_amount_fen').as('shippedListFen')])
    .groupBy(['customer.owner_id', month])
    .execute();
  return toRows(rows, ['shippedNetFen', 'shippedListFen']);
}

export async function returnsByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  let query = db
    .selectFrom('return_order')
    .innerJoin('customer', 'customer.id', 'return_order.customer_id')
    .where('return_order.return_date', '>=', bounds.fromDate)
    .where('return_order.return_date', '<=', bounds.toDate)
    .where('return_order.status', '=', 'confirmed');
  if (owners) query = query.where('customer.owner_id', 'in', ids(owners));
  const month = dateMonth('return_order.return_date');
  const rows = await query
    .select((eb) => ['customer.owner_id', month.as('month'), eb.fn.sum<number>('return_order.net_amount_fen').as('returnedNetFen'), eb.fn.sum<number>('return_order.list_amount_fen').as('returnedListFen')])
    .groupBy(['customer.owner_id', month])
    .execute();
  return toRows(rows, ['returnedNetFen', 'returnedListFen']);
}

export async function receiptsByOwnerMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<OwnerMonthRow[]> {
  if (buckets.length === 0) return [];
  const bounds = periodBounds(buckets);
  const month = dateMonth('receipt.received_date');
  let query = db.selectFrom('receipt').where('receipt.received_date', '>=', bounds.fromDate).where('receipt.received_date', '<=', bounds.toDate).where('receipt.status', '=', 'active');
  if (owners) query = query.where('receipt.customer_id', 'in', db.selectFrom('customer').select('customer.id').where('customer.owner_id', 'in', ids(owners)));
  const rows = await query
    .innerJoin('customer', 'customer.id', 'receipt.customer_id')
    .select((eb) => ['customer.owner_id', month.as('month'), eb.fn.sum<number>('receipt.amount_fen').as('receiptsFen')])
    .groupBy(['customer.owner_id', month])
    .execute();
  return toRows(rows, ['receiptsFen']);
}

/** Receipts per month only (no owner grouping), for the trend line of a whole scope. */
export async function receiptsByMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<Map<string, number>> {
  if (buckets.length === 0) return new Map();
  const bounds = periodBounds(buckets);
  const month = dateMonth('receipt.received_date');
  let query = db.selectFrom('receipt').where('receipt.received_date', '>=', bounds.fromDate).where('receipt.received_date', '<=', bounds.toDate).where('receipt.status', '=', 'active');
  if (owners) query = query.where('receipt.customer_id', 'in', db.selectFrom('customer').select('customer.id').where('customer.owner_id', 'in', ids(owners)));
  const rows = await query.select((eb) => [month.as('month'), eb.fn.sum<number>('receipt.amount_fen').as('total')]).groupBy(month).execute();
  return new Map(rows.map((row) => [row.month, Number(row.total)]));
}

function moneyScope(owners: OwnerFilter): DataScope {
  return owners ? { kind: 'users', userIds: [...owners] } : { kind: 'all' };
}

/** Outstanding plan amounts by aging bucket, through the receivables service. */
export async function agingOf(db: DbExecutor, owners: OwnerFilter, asOfDate: string): Promise<AgingTotals> {
  return agingTotals(db, moneyScope(owners), asOfDate);
}

/** Overdue outstanding per customer owner, through the receivables service. */
export async function overdueByOwner(db: DbExecutor, owners: OwnerFilter, asOfDate: string): Promise<Map<number | null, number>> {
  const rows = await agingTotalsByOwner(db, moneyScope(owners), asOfDate);
  return new Map(rows.map((row) => [row.ownerId, row.overdueFen]));
}
