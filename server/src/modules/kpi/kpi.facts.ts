import { emptyKpiCounts, type KpiCounts } from '@shared/kpi-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { coveredCustomersByOwner, coveredCustomersTotal, planRollupRead, rollupsByOwner, visitsInSubtractedDays } from './kpi.rollups.js';
import * as sources from './kpi.sources.js';
import type { OwnerFilter, OwnerValues, PeriodRange } from './kpi.sources.js';

/** KPI counts of a scope for a period: in total and per owner. */
export interface KpiFacts {
  total: KpiCounts;
  byOwner: Map<number | null, KpiCounts>;
}

export interface FactsRequest {
  businessOwners: OwnerFilter;
  moneyOwners: OwnerFilter;
  range: PeriodRange;
  /** Date on which overdue plans are measured. */
  asOfDate: string;
  /**
   * How overdue is read. 'total' reads it for the whole scope with one aging query, as a dashboard shows
   * it. 'byOwner' also splits it per owner, for tables with a row per rep. A number is an overdue total
   * the caller already read, because the dashboard's aging chart reads it anyway.
   */
  overdue: 'total' | 'byOwner' | { totalFen: number };
  /**
   * Whether byOwner carries each owner's distinct customers covered. Tables with a row per rep need it;
   * the dashboard does not, and counting it for a whole organisation's year costs tens of milliseconds.
   * Without it byOwner's customersCovered is 0.
   */
  coveredByOwner?: boolean;
  /** 'raw' reads the source tables only, bypassing the monthly rollups; tests compare the two. */
  source?: 'rollups' | 'raw';
  /** Today's date, which lets the plan read edge months whole and subtract the days outside the period. */
  today?: string;
}

/**
 * Collects every KPI count for the owners and period asked. Whole months are read from the monthly
 * rollups and partial months at the period's edges from the source tables (see kpi.rollups.ts); with
 * `source: 'raw'`, or for a period the rollups cannot cut, everything is read from the source tables.
 * The queries run one after another: SQLite serialises them on its single connection anyway, and
 * sequential awaits keep the cost of each visible in a profile.
 */
export async function collectKpiFacts(db: DbExecutor, request: FactsRequest): Promise<KpiFacts> {
  const { businessOwners, moneyOwners, range } = request;
  const plan = request.source === 'raw' ? null : planRollupRead(range, { today: request.today });

  const parts: OwnerValues[] = [];
  if (plan) {
    if (plan.months) parts.push(...(await rollupsByOwner(db, businessOwners, moneyOwners, plan.months)));
    for (const edge of plan.edges) parts.push(...(await rawParts(db, businessOwners, moneyOwners, edge)));
    for (const after of plan.subtract) parts.push(...(await rawParts(db, businessOwners, moneyOwners, after)).map(negated));
  } else {
    parts.push(...(await rawParts(db, businessOwners, moneyOwners, range)));
  }

  const facts: KpiFacts = { total: emptyKpiCounts(), byOwner: new Map() };
  for (const part of parts) {
    for (const [ownerId, values] of part) {
      addValues(countsOf(facts.byOwner, ownerId), values);
      addValues(facts.total, values);
    }
  }

  // Distinct customers do not add up across owners or months, so the totals are counted on their own. In
  // a raw read byOwner already contains each owner's distinct count for the whole range. The rollup path
  // summed per-edge counts, which it replaces.
  if (plan || !request.coveredByOwner) {
    for (const counts of facts.byOwner.values()) counts.customersCovered = 0;
  }
  if (plan) {
    const coverage = plan.subtract.length > 0 && (await visitsInSubtractedDays(db, businessOwners, plan)) ? planRollupRead(range)! : plan;
    if (request.coveredByOwner) {
      for (const [ownerId, customers] of await coveredCustomersByOwner(db, businessOwners, coverage)) countsOf(facts.byOwner, ownerId).customersCovered = customers;
    }
    facts.total.customersCovered = await coveredCustomersTotal(db, businessOwners, coverage);
  } else {
    facts.total.customersCovered = await sources.customersCoveredTotal(db, businessOwners, range);
  }

  if (request.overdue === 'byOwner') {
    for (const [ownerId, amount] of await sources.overdueByOwner(db, moneyOwners, request.asOfDate)) {
      countsOf(facts.byOwner, ownerId).overdueFen += amount;
      facts.total.overdueFen += amount;
    }
  } else if (request.overdue === 'total') {
    facts.total.overdueFen = (await sources.agingOf(db, moneyOwners, request.asOfDate)).overdueFen;
  } else {
    facts.total.overdueFen = request.overdue.totalFen;
  }
  return facts;
}

/** Reads every additive count of a range from the source tables; the reference the rollups are tested against. */
async function rawParts(db: DbExecutor, businessOwners: OwnerFilter, moneyOwners: OwnerFilter, range: PeriodRange): Promise<OwnerValues[]> {
  return [
    await sources.newCustomersByOwner(db, businessOwners, range),
    await sources.visitsByOwner(db, businessOwners, range),
    ...(await sources.opportunitiesByOwner(db, businessOwners, range)),
    await sources.contractsByOwner(db, businessOwners, range),
    await sources.shipmentsByOwner(db, moneyOwners, range),
    await sources.returnsByOwner(db, moneyOwners, range),
    await sources.receiptsByOwner(db, moneyOwners, range),
  ];
}

function negated(values: OwnerValues): OwnerValues {
  return new Map([...values].map(([ownerId, figures]) => [ownerId, Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, -value]))]));
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
