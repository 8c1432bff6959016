import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createCustomerRequestSchema } from '@shared/api/customer.js';
import { Random } from '../../../../scripts/seed-scale/random.js';
import type { KpiCounts } from '@shared/kpi-rules.js';
import type { Db } from '../../db/database.js';
import { rebuildKpiRollups } from '../../db/migrations/0065_kpi_rollups.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomer } from '../customer/customer-profile.service.js';
import { actorOf } from '../project/project.test-support.js';
import { collectKpiFacts, type KpiFacts } from './kpi.facts.js';
import { resolveKpiPeriod, trailingMonths } from './kpi.period.js';
import { planRollupRead, rollupMonthTotals } from './kpi.rollups.js';
import { contractAmountByMonth, rangeOf, receiptsByMonth, returnsByMonth, type OwnerFilter } from './kpi.sources.js';
import { insertContract, insertOpportunity, insertReceipt, insertReturn, insertShipment, insertVisit } from './kpi.test-support.js';

/**
 * The monthly rollups must give the figures the raw queries give. A seeded random sequence of inserts,
 * updates (owner, dates, stages, statuses, amounts), deletes and customer ownership changes runs through
 * the triggers. Then every figure of several periods and owner filters is read both ways, and the
 * trigger-maintained tables are compared with a rebuild from scratch.
 */
let server: TestServer;
let db: Db;
let users: number[];

/** Seeded generator, so a failure replays. */
const generator = new Random(20260310);
const random = {
  next: () => generator.next(),
  int: (min: number, max: number) => generator.int(min, max),
  pick: <T>(items: readonly T[]): T => items[generator.int(0, items.length - 1)]!,
};

/** Dates from late 2025 to spring 2026, crossing a year boundary. */
function randomDate(): string {
  const day = random.int(0, 150);
  return new Date(Date.UTC(2025, 10, 20) + day * 86_400_000).toISOString().slice(0, 10);
}

/** Instants that often fall in the last hours of a UTC day, which are already the next day (or month) in Shanghai. */
function randomInstant(): string {
  const date = randomDate();
  const hour = random.pick([1, 3, 15, 16, 17, 23]);
  return `${date}T${String(hour).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:00.000Z`;
}

const customers: number[] = [];
const rows: Record<'visit' | 'opportunity' | 'contract' | 'shipment' | 'return_order' | 'receipt', number[]> = { visit: [], opportunity: [], contract: [], shipment: [], return_order: [], receipt: [] };

async function addCustomer(): Promise<void> {
  const owner = random.pick(['zhangwei01', 'lina01', 'sunli01', 'wanglei01']);
  const created = await createCustomer(db, await actorOf(server, owner), createCustomerRequestSchema.parse({ name: `规模测试客户${customers.length + 1}`, type: 'library', regionCode: '320102' }), new Date());
  await db.updateTable('customer').set({ created_at: randomInstant() }).where('id', '=', created.id).execute();
  customers.push(created.id);
}

/** Moves a customer to another rep or to the pool (no owner), as transfers and pool returns do. */
async function changeCustomerOwner(): Promise<void> {
  const customerId = random.pick(customers);
  const toPool = random.next() < 0.25;
  await db
    .updateTable('customer')
    .set(toPool ? { owner_id: null, owned_since: null } : { owner_id: random.pick(users), owned_since: '2026-01-01T00:00:00.000Z' })
    .where('id', '=', customerId)
    .execute();
}

async function addRecord(): Promise<void> {
  const ownerId = random.pick(users);
  const customerId = random.pick(customers);
  const kind = random.pick(['visit', 'visit', 'opportunity', 'contract', 'shipment', 'return_order', 'receipt'] as const);
  if (kind === 'visit') rows.visit.push(await insertVisit(db, { ownerId, customerId, date: randomDate() }));
  if (kind === 'opportunity') {
    const stage = random.pick(['initial_contact', 'quoting', 'won', 'lost'] as const);
    rows.opportunity.push(await insertOpportunity(db, { ownerId, customerId, createdAt: randomInstant(), stage, closedAt: stage === 'won' || stage === 'lost' ? randomInstant() : undefined }));
  }
  if (kind === 'contract') {
    const status = random.pick(['approved', 'sealed', 'void_review', 'voided', 'approved'] as const);
    rows.contract.push(await insertContract(db, { ownerId, customerId, approvedAt: randomInstant(), totalNetFen: random.int(1, 5_000) * 100, status }));
  }
  if (kind === 'shipment') rows.shipment.push(await insertShipment(db, { customerId, createdBy: ownerId, date: randomDate(), listFen: random.int(100, 9_000) * 100, netFen: random.int(50, 5_000) * 100 }));
  if (kind === 'return_order') {
    const status = random.pick(['confirmed', 'pending_approval'] as const);
    rows.return_order.push(await insertReturn(db, { customerId, createdBy: ownerId, date: randomDate(), listFen: random.int(10, 900) * 100, netFen: random.int(5, 500) * 100, status }));
  }
  if (kind === 'receipt') rows.receipt.push(await insertReceipt(db, { customerId, createdBy: ownerId, date: randomDate(), amountFen: random.int(1, 9_000) * 100, status: random.pick(['active', 'active', 'reversed'] as const) }));
}

/** Changes what a record counts for: its owner, customer, date, stage, status or amount. */
async function changeRecord(): Promise<void> {
  const kind = random.pick(['visit', 'opportunity', 'contract', 'shipment', 'return_order', 'receipt'] as const);
  if (rows[kind].length === 0) return;
  const id = random.pick(rows[kind]);
  if (kind === 'visit') {
    const change = random.pick(['owner', 'customer', 'date'] as const);
    if (change === 'owner') await db.updateTable('visit').set({ owner_id: random.pick(users) }).where('id', '=', id).execute();
    if (change === 'customer') await db.updateTable('visit').set({ customer_id: random.pick(customers) }).where('id', '=', id).execute();
    if (change === 'date') {
      // The visit service stores check_in_date as the Shanghai date of check_in_at; keep the two in step.
      const date = randomDate();
      await db.updateTable('visit').set({ check_in_date: date, check_in_at: `${date}T02:00:00.000Z` }).where('id', '=', id).execute();
    }
  }
  if (kind === 'opportunity') {
    const stage = random.pick(['negotiating', 'won', 'lost'] as const);
    const closed = stage !== 'negotiating';
    await db
      .updateTable('opportunity')
      .set({ stage, closed_at: closed ? randomInstant() : null, lost_reason: stage === 'lost' ? '预算取消' : null, owner_id: random.next() < 0.3 ? random.pick(users) : undefined })
      .where('id', '=', id)
      .execute();
  }
  if (kind === 'contract') {
    const change = random.pick(['void', 'owner', 'amount', 'approved'] as const);
    if (change === 'void') await db.updateTable('contract').set({ status: 'voided', void_reason: '客户取消', void_from_status: 'approved', voided_at: randomInstant() }).where('id', '=', id).execute();
    if (change === 'owner') await db.updateTable('contract').set({ owner_id: random.pick(users) }).where('id', '=', id).execute();
    if (change === 'amount') await db.updateTable('contract').set({ total_net_fen: random.int(1, 5_000) * 100 }).where('id', '=', id).execute();
    if (change === 'approved') await db.updateTable('contract').set({ approved_at: randomInstant() }).where('id', '=', id).execute();
  }
  if (kind === 'shipment') await db.updateTable('shipment').set({ shipped_date: randomDate(), customer_id: random.pick(customers) }).where('id', '=', id).execute();
  if (kind === 'return_order') await db.updateTable('return_order').set({ status: random.pick(['confirmed', 'rejected', 'withdrawn'] as const), return_date: randomDate() }).where('id', '=', id).execute();
  if (kind === 'receipt') {
    const reversed = random.next() < 0.6;
    await db
      .updateTable('receipt')
      .set(reversed ? { status: 'reversed', reversed_at: '2026-03-01T02:00:00.000Z' } : { amount_fen: random.int(1, 9_000) * 100 })
      .where('id', '=', id)
      .where('allocated_fen', '=', 0)
      .execute();
  }
}

async function deleteRecord(): Promise<void> {
  const kind = random.pick(['visit', 'opportunity', 'contract', 'shipment', 'return_order', 'receipt'] as const);
  if (rows[kind].length === 0) return;
  const id = rows[kind].splice(random.int(0, rows[kind].length - 1), 1)[0]!;
  await db.deleteFrom(kind).where('id', '=', id).execute();
}

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  db = server.db;
  users = [];
  for (const user of ['zhangwei01', 'lina01', 'sunli01', 'wanglei01', 'liuyang01']) users.push(await server.userId(user));
  for (let index = 0; index < 12; index += 1) await addCustomer();
  for (let step = 0; step < 600; step += 1) {
    const roll = random.next();
    if (roll < 0.55) await addRecord();
    else if (roll < 0.8) await changeRecord();
    else if (roll < 0.9) await deleteRecord();
    else if (roll < 0.95) await changeCustomerOwner();
    else await addCustomer();
  }

  // A customer deleted before any record points at it, e.g. a mistaken entry.
  await addCustomer();
  await db.deleteFrom('customer').where('id', '=', customers.pop()!).execute();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** Drops owners whose every count is zero: the rollups keep zeroed rows that the raw queries never return. */
function nonZeroOwners(facts: KpiFacts): Map<number | null, KpiCounts> {
  return new Map([...facts.byOwner].filter(([, counts]) => Object.values(counts).some((value) => value !== 0)));
}

const periods: [string, string][] = [
  ['2026-01-01', '2026-01-31'],
  ['2025-12-01', '2026-03-31'],
  ['2025-12-16', '2026-02-10'],
  ['2026-02-27', '2026-03-02'],
  ['2026-02-14', '2026-02-14'],
  ['2025-11-01', '2026-04-30'],
  // End on the last generated day, so the trimmed days of April hold no record.
  ['2025-12-06', '2026-04-19'],
  ['2026-01-01', '2026-04-19'],
];

describe('KPI rollups', () => {
  it('ran a sequence with records of every kind', () => {
    for (const [kind, ids] of Object.entries(rows)) expect(ids.length, kind).toBeGreaterThan(5);
  });

  for (const [from, to] of periods) {
    it(`equal raw figures for ${from} to ${to}`, async () => {
      const range = rangeOf(resolveKpiPeriod({ from, to }, '2026-03-10', 'Asia/Shanghai').buckets);
      expect(planRollupRead(range), 'the period is read through the rollups').not.toBeNull();
      const filters: [string, OwnerFilter, OwnerFilter][] = [
        ['everyone', undefined, undefined],
        ['two reps', users.slice(0, 2), users.slice(0, 2)],
        ['one rep, finance money scope', users.slice(2, 3), undefined],
      ];
      for (const [label, businessOwners, moneyOwners] of filters) {
        const request = { businessOwners, moneyOwners, range, asOfDate: '2026-03-10', overdue: { totalFen: 0 }, coveredByOwner: true };
        const fromRaw = await collectKpiFacts(db, { ...request, source: 'raw' });
        // Without today the last partial month is read raw; with today = the period's end it is read
        // whole and the later days subtracted.
        for (const today of [undefined, to]) {
          const fromRollups = await collectKpiFacts(db, { ...request, today });
          expect(fromRollups.total, `${label}, today ${today}: total`).toEqual(fromRaw.total);
          expect(nonZeroOwners(fromRollups), `${label}, today ${today}: per owner`).toEqual(nonZeroOwners(fromRaw));
        }
      }
    });
  }

  it('equal raw month totals for trends', async () => {
    const buckets = trailingMonths('2026-04-10', 6, 'Asia/Shanghai');
    const plan = planRollupRead(rangeOf(buckets))!;
    expect(plan.edges).toEqual([]);
    for (const owners of [undefined, users.slice(1, 3)]) {
      const totals = await rollupMonthTotals(db, owners, owners, plan.months!);
      const receipts = await receiptsByMonth(db, owners, buckets);
      const returns = await returnsByMonth(db, owners, buckets);
      const contracts = await contractAmountByMonth(db, owners, buckets);
      for (const bucket of buckets) {
        expect(totals.receipts.get(bucket.month) ?? 0, `receipts ${bucket.month}`).toBe(receipts.get(bucket.month));
        expect(totals.returns.get(bucket.month) ?? 0, `returns ${bucket.month}`).toBe(returns.get(bucket.month));
        expect(totals.contracts.get(bucket.month) ?? 0, `contracts ${bucket.month}`).toBe(contracts.get(bucket.month));
      }
    }
  });

  it('equal a rebuild from the source tables', async () => {
    const snapshot = async () => ({
      owners: await sql`select * from kpi_owner_month where new_customers or visits or opportunities_created or opportunities_won or opportunities_lost or contracts_signed or contract_amount_fen or shipped_net_fen or shipped_list_fen or returned_net_fen or returned_list_fen or receipts_fen order by owner_key, month`.execute(db),
      customers: await sql`select * from kpi_customer_month where shipped_net_fen or shipped_list_fen or returned_net_fen or returned_list_fen or receipts_fen order by customer_id, month`.execute(db),
      coverage: await sql`select * from kpi_visit_coverage order by owner_id, customer_id, month`.execute(db),
    });
    const maintained = await snapshot();
    await rebuildKpiRollups(db);
    const rebuilt = await snapshot();
    expect(maintained.owners.rows.length).toBeGreaterThan(0);
    expect(maintained.owners.rows).toEqual(rebuilt.owners.rows);
    expect(maintained.customers.rows).toEqual(rebuilt.customers.rows);
    expect(maintained.coverage.rows).toEqual(rebuilt.coverage.rows);
  });
});

describe('planRollupRead', () => {
  it('splits partial months into edge ranges', () => {
    const plan = planRollupRead(rangeOf(resolveKpiPeriod({ from: '2025-06-16', to: '2026-06-15' }, '2026-06-15', 'Asia/Shanghai').buckets))!;
    expect(plan.months).toEqual({ from: '2025-07', to: '2026-05' });
    expect(plan.edges.map((edge) => [edge.fromDate, edge.toDate, edge.fromInstant, edge.toInstant])).toEqual([
      ['2025-06-16', '2025-06-30', '2025-06-15T16:00:00.000Z', '2025-06-30T16:00:00.000Z'],
      ['2026-06-01', '2026-06-15', '2026-05-31T16:00:00.000Z', '2026-06-15T16:00:00.000Z'],
    ]);
  });

  it('reads a period inside one month from the raw tables', () => {
    const range = rangeOf(resolveKpiPeriod({ from: '2026-03-02', to: '2026-03-30' }, '2026-03-10', 'Asia/Shanghai').buckets);
    expect(planRollupRead(range)).toEqual({ months: null, edges: [range], subtract: [] });
  });

  it('reads the last 12 months as whole months minus the days outside', () => {
    const range = rangeOf(resolveKpiPeriod({ from: '2025-12-06', to: '2026-12-05' }, '2026-12-05', 'Asia/Shanghai').buckets);
    const plan = planRollupRead(range, { today: '2026-12-05' })!;

    expect(plan.months).toEqual({ from: '2025-12', to: '2026-12' });
    expect(plan.edges).toEqual([]);
    expect(plan.subtract.map((days) => [days.fromDate, days.toDate])).toEqual([
      ['2025-12-01', '2025-12-05'],
      ['2026-12-06', '2026-12-31'],
    ]);
  });

  it('keeps a mostly outside first month raw', () => {
    const range = rangeOf(resolveKpiPeriod({ from: '2026-01-25', to: '2026-03-10' }, '2026-03-10', 'Asia/Shanghai').buckets);
    const plan = planRollupRead(range, { today: '2026-03-10' })!;

    expect(plan.edges.map((edge) => [edge.fromDate, edge.toDate])).toEqual([['2026-01-25', '2026-01-31']]);
    expect(plan.subtract.map((days) => [days.fromDate, days.toDate])).toEqual([['2026-03-11', '2026-03-31']]);
  });

  it('keeps the raw edge for a period that ended before today', () => {
    const range = rangeOf(resolveKpiPeriod({ from: '2026-01-01', to: '2026-02-10' }, '2026-03-10', 'Asia/Shanghai').buckets);
    const plan = planRollupRead(range, { today: '2026-03-10' })!;

    expect(plan.subtract).toEqual([]);
    expect(plan.edges.map((edge) => [edge.fromDate, edge.toDate])).toEqual([['2026-02-01', '2026-02-10']]);
  });

  it('rejects periods of another time zone', () => {
    expect(planRollupRead(rangeOf(resolveKpiPeriod({ preset: 'this_month' }, '2026-03-10', 'Europe/Berlin').buckets))).toBeNull();
  });
});
