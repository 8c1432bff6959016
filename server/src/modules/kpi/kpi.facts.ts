import { emptyKpiCounts, type KpiCounts } from '@shared/kpi-rules.js';
import type { DbExecutor } from '../../db/database.js';
import type { MonthBucket } from './kpi.period.js';
import * as sources from './kpi.sources.js';
import type { OwnerFilter, OwnerMonthRow } from './kpi.sources.js';

/** KPI counts of a scope for a period: in total, per owner and per month. */
export interface KpiFacts {
  total: KpiCounts;
  byOwner: Map<number | null, KpiCounts>;
  byMonth: Map<string, KpiCounts>;
}

export interface FactsRequest {
  businessOwners: OwnerFilter;
  moneyOwners: OwnerFilter;
  buckets: readonly MonthBucket[];
  /** Date on which overdue plans are measured. */
  asOfDate: string;
}

/**
 * Collects every KPI count for the owners and months asked. The queries run one after another: SQLite
 * serialises them on its single connection anyway, and sequential awaits keep the cost of each visible
 * in a profile.
 */
export async function collectKpiFacts(db: DbExecutor, request: FactsRequest): Promise<KpiFacts> {
  const { businessOwners, moneyOwners, buckets } = request;
  const rows: OwnerMonthRow[] = [
    ...(await sources.newCustomersByOwnerMonth(db, businessOwners, buckets)),
    ...(await sources.visitsByOwnerMonth(db, businessOwners, buckets)),
    ...(await sources.opportunitiesByOwnerMonth(db, businessOwners, buckets)),
    ...(await sources.contractsByOwnerMonth(db, businessOwners, buckets)),
    ...(await sources.shipmentsByOwnerMonth(db, moneyOwners, buckets)),
    ...(await sources.returnsByOwnerMonth(db, moneyOwners, buckets)),
    ...(await sources.receiptsByOwnerMonth(db, moneyOwners, buckets)),
  ];
  const covered = buckets.length > 0 ? await sources.customersCovered(db, businessOwners, buckets[0]!.fromDate, buckets.at(-1)!.toDate) : { byOwner: new Map<number, number>(), total: 0 };
  const overdue = await sources.overdueByOwner(db, moneyOwners, request.asOfDate);

  const facts: KpiFacts = { total: emptyKpiCounts(), byOwner: new Map(), byMonth: new Map() };
  for (const row of rows) {
    addValues(countsOf(facts.byOwner, row.ownerId), row.values);
    addValues(countsOf(facts.byMonth, row.month), row.values);
    addValues(facts.total, row.values);
  }
  for (const [ownerId, customers] of covered.byOwner) countsOf(facts.byOwner, ownerId).customersCovered = customers;
  facts.total.customersCovered = covered.total;
  for (const [ownerId, amount] of overdue) {
    countsOf(facts.byOwner, ownerId).overdueFen += amount;
    facts.total.overdueFen += amount;
  }
  return facts;
}

function countsOf<K>(map: Map<K, KpiCounts>, key: K): KpiCounts {
  let counts = map.get(key);
  if (!counts) {
    counts = emptyKpiCounts();
    map.set(key, counts);
  }
  return counts;
}

function addValues(counts: KpiCounts, values: Record<string, number>): void {
  for (const [key, value] of Object.entries(values)) {
    if (key in counts) counts[key as keyof KpiCounts] += value;
  }
}

/** Sums the counts of several owners; distinct customers covered are summed too, so use it for rows of different people only. */
export function sumOwners(facts: KpiFacts, ownerIds: readonly (number | null)[]): KpiCounts {
  const total = emptyKpiCounts();
  for (const ownerId of ownerIds) {
    const counts = facts.byOwner.get(ownerId);
    if (counts) addValues(total, counts as unknown as Record<string, number>);
  }
  return total;
}
