import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiSummary } from '@shared/api/kpi.js';
import { localDate } from '../../lib/clock.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { seedMarchFixture } from './kpi.test-support.js';

/**
 * The dashboard's figures must be what the same user can list: for a rep, a manager and an executive,
 * every figure of March 2026 is recomputed here from the modules' own list endpoints, paged to the end.
 */
let server: TestServer;
const from = '2026-03-01';
const to = '2026-03-31';
const inMarch = (instant: string | null) => instant !== null && localDate(new Date(instant), 'Asia/Shanghai').startsWith('2026-03');

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  await seedMarchFixture(server);
});

afterAll(async () => {
  await server?.close();
});

async function get<T>(token: string, path: string): Promise<T> {
  const response = await server.request<T>('GET', path, { token });
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function offsetPages<T>(token: string, path: string, pageSize: number): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const page = await get<{ items: T[] }>(token, `${path}${path.includes('?') ? '&' : '?'}limit=${pageSize}&offset=${offset}`);
    items.push(...page.items);
    if (page.items.length < pageSize) return items;
  }
}

async function cursorPages<T extends { id: number }>(token: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let before: number | null = null;
  do {
    const page: { items: T[]; nextBefore: number | null } = await get(token, `${path}${path.includes('?') ? '&' : '?'}limit=50${before ? `&before=${before}` : ''}`);
    items.push(...page.items);
    before = page.nextBefore;
  } while (before !== null);
  return items;
}

/** Recomputes the March figures from the user's lists. */
async function figuresFromLists(token: string, withPool: boolean) {
  const visits = await cursorPages<{ id: number; customerId: number }>(token, `/api/visits?from=${from}&to=${to}`);

  const opportunities = await offsetPages<{ createdAt: string; closedAt: string | null; stage: string }>(token, '/api/opportunities?status=all', 100);

  const contracts = await cursorPages<{ id: number; status: string }>(token, '/api/contracts');
  let contractsSigned = 0;
  let contractAmountFen = 0;
  for (const contract of contracts.filter((item) => ['approved', 'sealed', 'archived', 'void_review'].includes(item.status))) {
    const detail = await get<{ approvedAt: string | null; totalNetFen: number }>(token, `/api/contracts/${contract.id}`);
    if (inMarch(detail.approvedAt)) {
      contractsSigned += 1;
      contractAmountFen += detail.totalNetFen;
    }
  }

  const customerIds = (await offsetPages<{ id: number }>(token, '/api/customers?view=mine', 100)).map((item) => item.id);
  if (withPool) customerIds.push(...(await offsetPages<{ id: number }>(token, '/api/customers?view=pool', 100)).map((item) => item.id));
  let newCustomers = 0;
  for (const id of customerIds) {
    const detail = await get<{ createdAt: string }>(token, `/api/customers/${id}`);
    if (inMarch(detail.createdAt)) newCustomers += 1;
  }

  const receipts = await offsetPages<{ amountFen: number; status: string }>(token, `/api/receivables/receipts?from=${from}&to=${to}`, 200);
  const shipments = await offsetPages<{ netAmountFen: number; listAmountFen: number }>(token, `/api/receivables/shipments?from=${from}&to=${to}`, 200);
  const returns = await offsetPages<{ netAmountFen: number; listAmountFen: number }>(token, `/api/receivables/returns?from=${from}&to=${to}&status=confirmed`, 200);
  const overdue = await offsetPages<{ outstandingFen: number }>(token, '/api/receivables/plans?bucket=overdue', 200);
  const sum = <T>(items: T[], value: (item: T) => number) => items.reduce((total, item) => total + value(item), 0);

  return {
    newCustomers,
    visits: visits.length,
    customersCovered: new Set(visits.map((visit) => visit.customerId)).size,
    opportunitiesCreated: opportunities.filter((item) => inMarch(item.createdAt)).length,
    opportunitiesWon: opportunities.filter((item) => item.stage === 'won' && inMarch(item.closedAt)).length,
    opportunitiesLost: opportunities.filter((item) => item.stage === 'lost' && inMarch(item.closedAt)).length,
    contractsSigned,
    contractAmountFen,
    shippedNetFen: sum(shipments, (item) => item.netAmountFen),
    shippedListFen: sum(shipments, (item) => item.listAmountFen),
    returnedNetFen: sum(returns, (item) => item.netAmountFen),
    returnedListFen: sum(returns, (item) => item.listAmountFen),
    receiptsFen: sum(receipts.filter((item) => item.status === 'active'), (item) => item.amountFen),
    overdueFen: sum(overdue, (item) => item.outstandingFen),
  };
}

describe('dashboard totals', () => {
  for (const [role, user, withPool] of [
    ['rep', 'zhangwei01', false],
    ['manager', 'wanglei01', false],
    ['executive', 'chenguodong01', true],
  ] as const) {
    it(`equal the list sums for a ${role}`, async () => {
      const token = await server.login(user);
      const dashboard = await get<{ summary: KpiSummary }>(token, '/api/dashboard');
      const listed = await figuresFromLists(token, withPool);

      expect(dashboard.summary.period).toMatchObject({ from, to });
      expect(listed.visits, 'the fixture has records for this user').toBeGreaterThan(0);
      for (const [key, value] of Object.entries(listed)) {
        expect(dashboard.summary.figures[key as keyof typeof listed], key).toBe(value);
      }
    });
  }
});
