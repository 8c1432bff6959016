import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, KpiSummary, KpiTable } from '@shared/api/kpi.js';
import { createCustomerRequestSchema } from '@shared/api/customer.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomer } from '../customer/customer-profile.service.js';
import { actorOf } from '../project/project.test-support.js';
import { insertContract, insertOpportunity, insertPlan, insertReceipt, insertReturn, insertShipment, insertVisit, setCustomerCreatedAt } from './kpi.test-support.js';

/**
 * A hand-computed fixture for March 2026 (today 2026-03-10, Asia/Shanghai). 张伟 and 李娜 are reps of
 * 华东片区 led by 王磊 (刘洋, also a rep there, has no records); 孙丽 is a rep of 华北片区; 陈国栋 is the executive. Records dated outside March,
 * voided, reversed or pending are there to be left out.
 */
let server: TestServer;
let tokens: Record<string, string>;
let ids: Record<string, number>;
let eastId: number;
let northId: number;

async function customer(owner: string, name: string, createdAt: string, toPool = false): Promise<number> {
  const actor = await actorOf(server, owner);
  const created = await createCustomer(server.db, actor, createCustomerRequestSchema.parse({ name, type: 'library', regionCode: '320102', toPool }), new Date());
  await setCustomerCreatedAt(server.db, created.id, createdAt);
  return created.id;
}

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  ids = {};
  for (const user of ['zhangwei01', 'lina01', 'wanglei01', 'sunli01', 'chenguodong01', 'zhuhongmei01']) {
    tokens[user] = await server.login(user);
    ids[user] = await server.userId(user);
  }
  eastId = (await server.db.selectFrom('department').select('id').where('name', '=', '华东片区').executeTakeFirstOrThrow()).id;
  northId = (await server.db.selectFrom('department').select('id').where('name', '=', '华北片区').executeTakeFirstOrThrow()).id;
  const zhang = ids.zhangwei01!;
  const li = ids.lina01!;
  const sun = ids.sunli01!;
  const db = server.db;

  const cZ1 = await customer('zhangwei01', '苏州市图书馆', '2026-03-02T02:00:00.000Z');
  const cZ2 = await customer('zhangwei01', '无锡市图书馆', '2026-02-20T02:00:00.000Z');
  // 2026-03-01 00:30 in Shanghai, still February in UTC: counts for March.
  await customer('zhangwei01', '常州市图书馆', '2026-02-28T16:30:00.000Z');
  const cL1 = await customer('lina01', '南通市图书馆', '2026-03-05T02:00:00.000Z');
  // 2026-04-01 00:30 in Shanghai: April.
  await customer('lina01', '扬州市图书馆', '2026-03-31T16:30:00.000Z');
  const cS1 = await customer('sunli01', '天津图书馆', '2026-03-03T02:00:00.000Z');
  const cP = await customer('wanglei01', '镇江市图书馆', '2026-03-04T02:00:00.000Z', true);

  await insertVisit(db, { ownerId: zhang, customerId: cZ1, date: '2026-03-02' });
  await insertVisit(db, { ownerId: zhang, customerId: cZ1, date: '2026-03-05' });
  await insertVisit(db, { ownerId: zhang, customerId: cZ2, date: '2026-03-06' });
  await insertVisit(db, { ownerId: zhang, customerId: cZ2, date: '2026-02-27' });
  await insertVisit(db, { ownerId: li, customerId: cL1, date: '2026-03-03' });
  await insertVisit(db, { ownerId: li, customerId: cZ1, date: '2026-03-04' });
  await insertVisit(db, { ownerId: sun, customerId: cS1, date: '2026-03-03' });

  await insertOpportunity(db, { ownerId: zhang, customerId: cZ1, createdAt: '2026-03-01T03:00:00.000Z', stage: 'quoting', closeDate: '2026-03-25' });
  await insertOpportunity(db, { ownerId: zhang, customerId: cZ1, createdAt: '2026-02-10T03:00:00.000Z', stage: 'won', closedAt: '2026-03-03T03:00:00.000Z' });
  await insertOpportunity(db, { ownerId: zhang, customerId: cZ2, createdAt: '2026-03-04T03:00:00.000Z', stage: 'lost', closedAt: '2026-03-06T03:00:00.000Z' });
  await insertOpportunity(db, { ownerId: li, customerId: cL1, createdAt: '2026-03-02T03:00:00.000Z', stage: 'won', closedAt: '2026-03-08T03:00:00.000Z' });
  await insertOpportunity(db, { ownerId: sun, customerId: cS1, createdAt: '2026-03-02T03:00:00.000Z', stage: 'initial_contact', closeDate: '2026-04-30' });

  const kZ1 = await insertContract(db, { ownerId: zhang, customerId: cZ1, approvedAt: '2026-03-03T03:00:00.000Z', totalNetFen: 1_000_000 });
  await insertContract(db, { ownerId: zhang, customerId: cZ1, approvedAt: '2026-02-25T03:00:00.000Z', totalNetFen: 500_000 });
  await insertContract(db, { ownerId: zhang, customerId: cZ2, approvedAt: '2026-03-05T03:00:00.000Z', totalNetFen: 200_000, status: 'voided' });
  await insertContract(db, { ownerId: li, customerId: cL1, approvedAt: '2026-03-09T03:00:00.000Z', totalNetFen: 300_000, status: 'sealed' });
  const kS1 = await insertContract(db, { ownerId: sun, customerId: cS1, approvedAt: '2026-03-01T03:00:00.000Z', totalNetFen: 700_000, status: 'archived' });

  const finance = ids.zhuhongmei01!;
  await insertShipment(db, { customerId: cZ1, createdBy: finance, date: '2026-03-02', listFen: 2_000_000, netFen: 1_200_000 });
  await insertShipment(db, { customerId: cL1, createdBy: finance, date: '2026-03-04', listFen: 1_000_000, netFen: 600_000 });
  await insertShipment(db, { customerId: cL1, createdBy: finance, date: '2026-02-20', listFen: 500_000, netFen: 300_000 });
  await insertShipment(db, { customerId: cS1, createdBy: finance, date: '2026-03-05', listFen: 800_000, netFen: 480_000 });
  await insertReturn(db, { customerId: cZ1, createdBy: finance, date: '2026-03-06', listFen: 200_000, netFen: 120_000 });
  await insertReturn(db, { customerId: cZ1, createdBy: finance, date: '2026-03-07', listFen: 100_000, netFen: 60_000, status: 'pending_approval' });
  await insertReceipt(db, { customerId: cZ1, createdBy: finance, date: '2026-03-03', amountFen: 500_000 });
  await insertReceipt(db, { customerId: cZ1, createdBy: finance, date: '2026-03-04', amountFen: 100_000, status: 'reversed' });
  await insertReceipt(db, { customerId: cL1, createdBy: finance, date: '2026-03-09', amountFen: 300_000 });
  await insertReceipt(db, { customerId: cP, createdBy: finance, date: '2026-03-05', amountFen: 50_000 });
  await insertPlan(db, { customerId: cZ1, contractId: kZ1, dueDate: '2026-03-01', amountFen: 400_000, allocatedFen: 100_000 });
  await insertPlan(db, { customerId: cZ1, contractId: kZ1, dueDate: '2026-03-20', amountFen: 200_000 });
  await insertPlan(db, { customerId: cS1, contractId: kS1, dueDate: '2026-02-15', amountFen: 250_000 });

  await server.request('PUT', '/api/targets', {
    token: tokens.wanglei01,
    body: { month: '2026-03', items: [{ subjectType: 'user', subjectId: zhang, metric: 'contract_amount', value: 2_000_000 }, { subjectType: 'user', subjectId: zhang, metric: 'receipts', value: 400_000 }] },
  });
});

afterAll(async () => {
  await server?.close();
});

async function kpis(user: string, query = '') {
  return server.request<KpiSummary>('GET', `/api/kpis${query}`, { token: tokens[user] });
}

describe('GET /api/kpis', () => {
  it('matches the hand-computed figures of a rep', async () => {
    const response = await kpis('zhangwei01');
    expect(response.status).toBe(200);
    expect(response.body.subject).toMatchObject({ type: 'user', id: ids.zhangwei01 });
    expect(response.body.figures).toEqual({
      newCustomers: 2,
      visits: 3,
      customersCovered: 2,
      opportunitiesCreated: 2,
      opportunitiesWon: 1,
      opportunitiesLost: 1,
      conversionRateBp: 5000,
      contractsSigned: 1,
      contractAmountFen: 1_000_000,
      shippedNetFen: 1_200_000,
      shippedListFen: 2_000_000,
      returnedNetFen: 120_000,
      returnedListFen: 200_000,
      returnRateBp: 1000,
      receiptsFen: 500_000,
      commissionBaseFen: 380_000,
      overdueFen: 300_000,
    });
    expect(response.body.targets.contract_amount).toBe(2_000_000);
    expect(response.body.attainment).toEqual({ contract_amount: 5000, receipts: 12500, new_customers: null, visits: null });
  });

  it('matches the hand-computed figures of a team', async () => {
    const response = await kpis('wanglei01');
    expect(response.body.subject).toMatchObject({ type: 'department', id: eastId });
    expect(response.body.figures).toMatchObject({
      newCustomers: 3,
      visits: 5,
      customersCovered: 3,
      opportunitiesCreated: 3,
      opportunitiesWon: 2,
      opportunitiesLost: 1,
      conversionRateBp: 6667,
      contractsSigned: 2,
      contractAmountFen: 1_300_000,
      shippedNetFen: 1_800_000,
      returnRateBp: 667,
      receiptsFen: 800_000,
      commissionBaseFen: 680_000,
      overdueFen: 300_000,
    });
  });

  it('matches the hand-computed figures of the organisation', async () => {
    const response = await kpis('chenguodong01');
    expect(response.body.subject.type).toBe('org');
    expect(response.body.figures).toMatchObject({
      newCustomers: 5,
      visits: 6,
      customersCovered: 4,
      opportunitiesCreated: 4,
      contractsSigned: 3,
      contractAmountFen: 2_000_000,
      shippedNetFen: 2_280_000,
      shippedListFen: 3_800_000,
      returnRateBp: 526,
      receiptsFen: 850_000,
      commissionBaseFen: 730_000,
      overdueFen: 550_000,
    });
  });

  it('lets finance see every customer money but only its own business records', async () => {
    const response = await kpis('zhuhongmei01');
    expect(response.body.figures.receiptsFen).toBe(850_000);
    expect(response.body.figures.visits).toBe(0);
  });

  it('answers 404 for a rep or team outside the caller scope', async () => {
    expect((await kpis('sunli01', `?subjectType=user&subjectId=${ids.zhangwei01}`)).status).toBe(404);
    expect((await kpis('zhangwei01', `?subjectType=department&subjectId=${eastId}`)).status).toBe(404);
    expect((await kpis('wanglei01', `?subjectType=department&subjectId=${northId}`)).status).toBe(404);
  });

  it('counts a long period through the per-customer path', async () => {
    const response = await kpis('chenguodong01', '?from=2026-01-01&to=2026-03-31');
    expect(response.body.period.preset).toBe('custom');
    expect(response.body.figures).toMatchObject({ visits: 7, customersCovered: 4, contractAmountFen: 2_500_000, receiptsFen: 850_000, shippedNetFen: 2_580_000 });
  });

  it('counts last month when asked', async () => {
    const response = await kpis('zhangwei01', '?preset=last_month');
    expect(response.body.period).toMatchObject({ from: '2026-02-01', to: '2026-02-28' });
    expect(response.body.figures).toMatchObject({ newCustomers: 1, visits: 1, contractAmountFen: 500_000 });
  });
});

describe('GET /api/dashboard', () => {
  it('shows the funnel, trend, aging and leaderboard in scope', async () => {
    const response = await server.request<Dashboard>('GET', '/api/dashboard', { token: tokens.wanglei01 });
    expect(response.status).toBe(200);
    expect(response.body.trend).toHaveLength(12);
    expect(response.body.trend.at(-1)).toMatchObject({ month: '2026-03', receiptsFen: 800_000, contractAmountFen: 1_300_000 });
    expect(response.body.aging.overdueFen).toBe(300_000);
    expect(response.body.leaderboard.reps.map((row) => row.name).slice(0, 2)).toEqual(['张伟', '李娜']);
    expect(response.body.leaderboard.reps.map((row) => row.name).sort()).toEqual(['刘洋', '张伟', '李娜', '王磊'].sort());
    expect(response.body.leaderboard.reps.some((row) => row.name === '孙丽')).toBe(false);
    const funnelCount = response.body.funnel.stages.reduce((total, stage) => total + stage.count, 0);
    expect(funnelCount).toBe(4);
  });

  it('answers 404 for another team', async () => {
    const response = await server.request('GET', `/api/dashboard?subjectType=department&subjectId=${northId}`, { token: tokens.wanglei01 });
    expect(response.status).toBe(404);
  });
});

describe('GET /api/kpis/table', () => {
  it('lists each rep of the scope and the scope total', async () => {
    const response = await server.request<KpiTable>('GET', '/api/kpis/table?groupBy=rep', { token: tokens.wanglei01 });
    expect(response.body.rows.map((row) => row.name).sort()).toEqual(['刘洋', '张伟', '李娜', '王磊'].sort());
    expect(response.body.total.contractAmountFen).toBe(1_300_000);
  });

  it('gives a rep only their own row', async () => {
    const response = await server.request<KpiTable>('GET', '/api/kpis/table', { token: tokens.zhangwei01 });
    expect(response.body.rows.map((row) => row.subjectId)).toEqual([ids.zhangwei01]);
    expect(response.body.total.receiptsFen).toBe(500_000);
  });

  it('counts distinct customers once per team', async () => {
    const response = await server.request<KpiTable>('GET', '/api/kpis/table?groupBy=team', { token: tokens.chenguodong01 });
    const east = response.body.rows.find((row) => row.subjectId === eastId);
    expect(east?.figures.customersCovered).toBe(3);
  });

  it('exports the scoped table to Excel', async () => {
    const own = await fetch(`${server.url}/api/kpis/table/export`, { headers: { authorization: `Bearer ${tokens.zhangwei01}` } });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await own.arrayBuffer());
    const names = workbook.worksheets[0]!.getColumn(1).values.filter((value) => typeof value === 'string');
    expect(names).toContain('张伟');
    expect(names).not.toContain('李娜');
  });
});
