import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { agingTotals, agingTotalsByOwner, type AgingTotals } from '../receivable/payment-plan.service.js';
import type { MonthBucket } from './kpi.period.js';

/**
 * The aggregates KPIs are computed from, filtered by the owners the caller may see. Business records
 * (customers, visits, opportunities, contracts) belong to their owner. Money records (shipments, returns,
 * receipts, plans) belong to the owner of their customer, which is the rule the receivables lists apply.
 *
 * Two shapes keep each query cheap on millions of rows: period figures grouped by owner (one range scan,
 * one group per owner), and month totals for trends as one ungrouped range aggregate per month, which
 * streams a covering index without sorting.
 *
 * NOTE: these queries read the customer, visit, opportunity, contract and receivable tables directly,
 * because a grouped aggregate over millions of rows must be one SQL statement; each belongs in its
 * module's service once those modules expose grouped read functions.
 */

/** Owner ids to include; undefined means every owner, including records of pool customers without one. */
export type OwnerFilter = readonly number[] | undefined;

/** A period as calendar dates (inclusive) and as UTC instants [fromInstant, toInstant). */
export interface PeriodRange {
  fromDate: string;
  toDate: string;
  fromInstant: string;
  toInstant: string;
}

export type OwnerValues = Map<number | null, Record<string, number>>;

function ids(owners: readonly number[]): number[] {
  return owners.length > 0 ? [...owners] : [-1];
}

export function rangeOf(buckets: readonly MonthBucket[]): PeriodRange {
  const first = buckets[0]!;
  const last = buckets.at(-1)!;
  return { fromDate: first.fromDate, toDate: last.toDate, fromInstant: first.fromInstant, toInstant: last.toInstant };
}

function toOwnerValues(rows: { owner_id: number | null; [key: string]: unknown }[], keys: string[]): OwnerValues {
  const values: OwnerValues = new Map();
  for (const row of rows) values.set(row.owner_id, Object.fromEntries(keys.map((key) => [key, Number(row[key] ?? 0)])));
  return values;
}

// ---- Business records, by owner ----

export async function newCustomersByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues> {
  let query = db.selectFrom('customer').where('created_at', '>=', range.fromInstant).where('created_at', '<', range.toInstant);
  if (owners) query = query.where('owner_id', 'in', ids(owners));
  const rows = await query.select((eb) => ['owner_id', eb.fn.countAll<number>().as('newCustomers')]).groupBy('owner_id').execute();
  return toOwnerValues(rows, ['newCustomers']);
}

export async function visitsByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues> {
  let query = db.selectFrom('visit').where('check_in_date', '>=', range.fromDate).where('check_in_date', '<=', range.toDate);
  if (owners) query = query.where('owner_id', 'in', ids(owners));
  const rows = await query
    .select((eb) => ['owner_id', eb.fn.countAll<number>().as('visits'), eb.fn.count<number>('customer_id').distinct().as('customersCovered')])
    .groupBy('owner_id')
    .execute();
  return toOwnerValues(rows, ['visits', 'customersCovered']);
}

/** Periods up to this many days read money and visits through the date indexes; longer ones through the customer-leading ones. */
const shortPeriodDays = 62;

function isShort(range: PeriodRange): boolean {
  return Date.parse(`${range.toDate}T00:00:00Z`) - Date.parse(`${range.fromDate}T00:00:00Z`) <= shortPeriodDays * 86_400_000;
}

/**
 * Counts distinct customers visited in the period by all the owners together, so a customer two reps
 * visited counts once. A short period or a few owners count distinct ids over the visits' date or owner
 * index. A long period of a large scope probes each customer once instead, because de-duplicating a
 * million visits in a temporary b-tree is slow (scripts/bench/dashboard-scale.ts data, 900,000 visits,
 * 2-core machine: 8 s against 0.1 s).
 */
export async function customersCoveredTotal(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<number> {
  if (isShort(range) || (owners && owners.length <= 200)) {
    let query = db.selectFrom('visit').where('check_in_date', '>=', range.fromDate).where('check_in_date', '<=', range.toDate);
    if (owners) query = query.where('owner_id', 'in', ids(owners));
    const row = await query.select((eb) => eb.fn.count<number>('customer_id').distinct().as('customers')).executeTakeFirstOrThrow();
    return Number(row.customers);
  }
  const row = await db
    .selectFrom('customer')
    .where(({ exists, selectFrom }) => {
      let visits = selectFrom('visit').select('visit.id').whereRef('visit.customer_id', '=', 'customer.id').where('visit.check_in_at', '>=', range.fromInstant).where('visit.check_in_at', '<', range.toInstant);
      if (owners) visits = visits.where('visit.owner_id', 'in', ids(owners));
      return exists(visits);
    })
    .select((eb) => eb.fn.countAll<number>().as('customers'))
    .executeTakeFirstOrThrow();
  return Number(row.customers);
}

/** Lists the distinct (owner, customer) pairs visited in the period, to count covered customers of any group of owners in memory. */
export async function visitedPairs(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<{ ownerId: number; customerId: number }[]> {
  let query = db.selectFrom('visit').where('check_in_date', '>=', range.fromDate).where('check_in_date', '<=', range.toDate);
  if (owners) query = query.where('owner_id', 'in', ids(owners));
  const rows = await query.select(['owner_id', 'customer_id']).groupBy(['owner_id', 'customer_id']).execute();
  return rows.map((row) => ({ ownerId: row.owner_id, customerId: row.customer_id }));
}

export async function opportunitiesByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues[]> {
  let created = db.selectFrom('opportunity').where('created_at', '>=', range.fromInstant).where('created_at', '<', range.toInstant);
  let closed = db.selectFrom('opportunity').where('closed_at', '>=', range.fromInstant).where('closed_at', '<', range.toInstant);
  if (owners) {
    created = created.where('owner_id', 'in', ids(owners));
    closed = closed.where('owner_id', 'in', ids(owners));
  }
  const createdRows = await created.select((eb) => ['owner_id', eb.fn.countAll<number>().as('opportunitiesCreated')]).groupBy('owner_id').execute();
  const closedRows = await closed
    .select((eb) => [
      'owner_id',
      eb.fn.sum<number>(eb.case().when('stage', '=', 'won').then(1).else(0).end()).as('opportunitiesWon'),
      eb.fn.sum<number>(eb.case().when('stage', '=', 'lost').then(1).else(0).end()).as('opportunitiesLost'),
    ])
    .groupBy('owner_id')
    .execute();
  return [toOwnerValues(createdRows, ['opportunitiesCreated']), toOwnerValues(closedRows, ['opportunitiesWon', 'opportunitiesLost'])];
}

/** Statuses of a contract that was approved and not voided. */
export const signedContractStatuses = ['approved', 'sealed', 'archived', 'void_review'];

export async function contractsByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues> {
  let query = db
    .selectFrom('contract')
    .where('approved_at', '>=', range.fromInstant)
    .where('approved_at', '<', range.toInstant)
    .where('status', 'in', signedContractStatuses);
  if (owners) query = query.where('owner_id', 'in', ids(owners));
  const rows = await query
    .select((eb) => ['owner_id', eb.fn.countAll<number>().as('contractsSigned'), eb.fn.sum<number>('total_net_fen').as('contractAmountFen')])
    .groupBy('owner_id')
    .execute();
  return toOwnerValues(rows, ['contractsSigned', 'contractAmountFen']);
}

// ---- Money records, by the customer's owner ----

/** Customers of the owners, for filtering money records; undefined for everyone. */
function customersOf(db: DbExecutor, owners: OwnerFilter) {
  return owners ? db.selectFrom('customer').select('customer.id').where('customer.owner_id', 'in', ids(owners)) : undefined;
}

/**
 * Money per customer over the period first (a range scan of the record's date index), then per owner by
 * joining the much smaller per-customer result to the customer table.
 *
 * For a short period the per-customer grouping is on `+customer_id`. With the bare column SQLite prefers
 * a customer-leading index, which returns rows already grouped but reads every year instead of one
 * month's range. On the benchmark's 634,000 receipts a month took 45 ms through the date index and
 * 150 ms through the customer index. Long periods keep the bare column and stream the customer-leading
 * covering index. The unary plus is plain SQL that PostgreSQL accepts too.
 */
const customerOfShortPeriod = sql<number>`+customer_id`;

function groupCustomerFor(range: PeriodRange) {
  return isShort(range) ? customerOfShortPeriod : sql<number>`customer_id`;
}
export async function shipmentsByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues> {
  let perCustomer = db.selectFrom('shipment').where('shipped_date', '>=', range.fromDate).where('shipped_date', '<=', range.toDate);
  const customers = customersOf(db, owners);
  if (customers) perCustomer = perCustomer.where('customer_id', 'in', customers);
  const grouped = perCustomer
    .select((eb) => [groupCustomerFor(range).as('customer_id'), eb.fn.sum<number>('net_amount_fen').as('net'), eb.fn.sum<number>('list_amount_fen').as('list')])
    .groupBy(groupCustomerFor(range))
    .as('per_customer');
  const rows = await db
    .selectFrom(grouped)
    .innerJoin('customer', 'customer.id', 'per_customer.customer_id')
    .select((eb) => ['customer.owner_id', eb.fn.sum<number>('per_customer.net').as('shippedNetFen'), eb.fn.sum<number>('per_customer.list').as('shippedListFen')])
    .groupBy('customer.owner_id')
    .execute();
  return toOwnerValues(rows, ['shippedNetFen', 'shippedListFen']);
}

export async function returnsByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues> {
  let perCustomer = db.selectFrom('return_order').where('return_date', '>=', range.fromDate).where('return_date', '<=', range.toDate).where('status', '=', 'confirmed');
  const customers = customersOf(db, owners);
  if (customers) perCustomer = perCustomer.where('customer_id', 'in', customers);
  const grouped = perCustomer
    .select((eb) => [groupCustomerFor(range).as('customer_id'), eb.fn.sum<number>('net_amount_fen').as('net'), eb.fn.sum<number>('list_amount_fen').as('list')])
    .groupBy(groupCustomerFor(range))
    .as('per_customer');
  const rows = await db
    .selectFrom(grouped)
    .innerJoin('customer', 'customer.id', 'per_customer.customer_id')
    .select((eb) => ['customer.owner_id', eb.fn.sum<number>('per_customer.net').as('returnedNetFen'), eb.fn.sum<number>('per_customer.list').as('returnedListFen')])
    .groupBy('customer.owner_id')
    .execute();
  return toOwnerValues(rows, ['returnedNetFen', 'returnedListFen']);
}

export async function receiptsByOwner(db: DbExecutor, owners: OwnerFilter, range: PeriodRange): Promise<OwnerValues> {
  let perCustomer = db.selectFrom('receipt').where('received_date', '>=', range.fromDate).where('received_date', '<=', range.toDate).where('status', '=', 'active');
  const customers = customersOf(db, owners);
  if (customers) perCustomer = perCustomer.where('customer_id', 'in', customers);
  const grouped = perCustomer.select((eb) => [groupCustomerFor(range).as('customer_id'), eb.fn.sum<number>('amount_fen').as('amount')]).groupBy(groupCustomerFor(range)).as('per_customer');
  const rows = await db
    .selectFrom(grouped)
    .innerJoin('customer', 'customer.id', 'per_customer.customer_id')
    .select((eb) => ['customer.owner_id', eb.fn.sum<number>('per_customer.amount').as('receiptsFen')])
    .groupBy('customer.owner_id')
    .execute();
  return toOwnerValues(rows, ['receiptsFen']);
}

// ---- Month totals for trends ----

/** Sums receipts per month with one ungrouped range aggregate per month over the receipt date index. */
export async function receiptsByMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const customers = customersOf(db, owners);
  for (const bucket of buckets) {
    let query = db.selectFrom('receipt').where('received_date', '>=', bucket.fromDate).where('received_date', '<=', bucket.toDate).where('status', '=', 'active');
    if (customers) query = query.where('customer_id', 'in', customers);
    const row = await query.select((eb) => eb.fn.sum<number>('amount_fen').as('total')).executeTakeFirst();
    totals.set(bucket.month, Number(row?.total ?? 0));
  }
  return totals;
}

export async function returnsByMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const customers = customersOf(db, owners);
  for (const bucket of buckets) {
    let query = db.selectFrom('return_order').where('return_date', '>=', bucket.fromDate).where('return_date', '<=', bucket.toDate).where('status', '=', 'confirmed');
    if (customers) query = query.where('customer_id', 'in', customers);
    const row = await query.select((eb) => eb.fn.sum<number>('net_amount_fen').as('total')).executeTakeFirst();
    totals.set(bucket.month, Number(row?.total ?? 0));
  }
  return totals;
}

export async function contractAmountByMonth(db: DbExecutor, owners: OwnerFilter, buckets: readonly MonthBucket[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const bucket of buckets) {
    let query = db
      .selectFrom('contract')
      .where('approved_at', '>=', bucket.fromInstant)
      .where('approved_at', '<', bucket.toInstant)
      .where('status', 'in', signedContractStatuses);
    if (owners) query = query.where('owner_id', 'in', ids(owners));
    const row = await query.select((eb) => eb.fn.sum<number>('total_net_fen').as('total')).executeTakeFirst();
    totals.set(bucket.month, Number(row?.total ?? 0));
  }
  return totals;
}

// ---- Receivables through the receivables service ----

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
