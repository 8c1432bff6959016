import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, KpiSummary, KpiTable } from '@shared/api/kpi.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { insertVisit, seedMarchFixture } from './kpi.test-support.js';

/** Figures of the hand-computed March 2026 fixture of seedMarchFixture (today 2026-03-10, Asia/Shanghai). */
let server: TestServer;
let tokens: Record<string, string>;
let ids: Record<string, number>;
let eastId: number;
let northId: number;

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
  await seedMarchFixture(server);
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

describe('GET /api/kpis/table grouped by department', () => {
  async function departmentId(name: string): Promise<number> {
    return (await server.db.selectFrom('department').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  }

  async function table(user: string, query: string) {
    return server.request<KpiTable>('GET', `/api/kpis/table?${query}`, { token: tokens[user] });
  }

  it('lists the root departments for an executive', async () => {
    const response = await table('chenguodong01', 'groupBy=department');
    expect(response.status).toBe(200);
    expect(response.body.groupBy).toBe('department');
    const names = response.body.rows.map((row) => row.name);
    expect(names).toContain('发行部');
    expect(names).toContain('馆配部');
    expect(names).not.toContain('华东片区');
    expect(names, 'a department without reps or figures').not.toContain('法务部');
    expect(response.body.rows.find((row) => row.name === '发行部')?.childDepartmentCount).toBe(3);
  });

  it('gives child subtree totals equal to the department KPIs', async () => {
    const sales = await departmentId('发行部');
    const response = await table('chenguodong01', `groupBy=department&departmentId=${sales}`);
    expect(response.status).toBe(200);
    expect(response.body.department).toEqual({ id: sales, name: '发行部' });
    expect(response.body.rows.filter((row) => !row.directMembers).map((row) => row.name).sort()).toEqual(['华东片区', '华北片区', '西南片区'].sort());
    for (const row of response.body.rows.filter((item) => !item.directMembers)) {
      const summary = await kpis('chenguodong01', `?subjectType=department&subjectId=${row.subjectId}`);
      expect(row.figures, row.name).toEqual(summary.body.figures);
    }
    const whole = await kpis('chenguodong01', `?subjectType=department&subjectId=${sales}`);
    expect(response.body.total).toEqual(whole.body.figures);
    expect(response.body.rows.find((row) => row.subjectId === eastId)?.figures.contractAmountFen).toBe(1_300_000);
  });

  it('adds a row for members placed directly in the parent', async () => {
    const sales = await departmentId('发行部');
    const before = await table('chenguodong01', `groupBy=department&departmentId=${sales}`);
    expect(before.body.rows.some((row) => row.directMembers), 'a member without reps or records gets no row').toBe(false);

    // 周建华 belongs to 发行部 itself, not to one of its regions.
    const customerId = (await server.db.selectFrom('customer').select('id').executeTakeFirstOrThrow()).id;
    await insertVisit(server.db, { ownerId: await server.userId('zhoujianhua01'), customerId, date: '2026-03-05' });
    const after = await table('chenguodong01', `groupBy=department&departmentId=${sales}`);
    const direct = after.body.rows.find((row) => row.directMembers);
    expect(direct).toMatchObject({ subjectId: sales, name: '发行部（直属）', childDepartmentCount: 0 });
    expect(direct?.figures.visits).toBe(1);
    expect(after.body.total.visits).toBe(before.body.total.visits + 1);
  });

  it("opens a department's reps", async () => {
    const response = await table('chenguodong01', `groupBy=rep&departmentId=${eastId}`);
    expect(response.status).toBe(200);
    expect(response.body.rows.map((row) => row.name).sort()).toEqual(['刘洋', '张伟', '李娜', '王磊'].sort());
    expect(response.body.total.contractAmountFen).toBe(1_300_000);
  });

  it("opens at a manager's own department", async () => {
    const response = await table('wanglei01', 'groupBy=department');
    expect(response.status).toBe(200);
    expect(response.body.department).toEqual({ id: eastId, name: '华东片区' });
    expect(response.body.rows.map((row) => row.name)).toEqual(['华东片区（直属）']);
    expect(response.body.rows[0]!.figures.contractAmountFen).toBe(1_300_000);
  });

  it("returns 404 for another team's department", async () => {
    const response = await table('wanglei01', `groupBy=department&departmentId=${northId}`);
    expect(response.status).toBe(404);
  });

  it('exports department rows to Excel', async () => {
    const sales = await departmentId('发行部');
    const response = await fetch(`${server.url}/api/kpis/table/export?groupBy=department&departmentId=${sales}`, { headers: { authorization: `Bearer ${tokens.chenguodong01}` } });
    expect(response.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const names = workbook.worksheets[0]!.getColumn(1).values.filter((value) => typeof value === 'string');
    expect(names).toContain('部门');
    expect(names).toContain('华东片区');
    expect(names).not.toContain('张伟');
  });

  it('returns 404 when a rep opens a department', async () => {
    const response = await table('zhangwei01', `groupBy=rep&departmentId=${eastId}`);
    expect(response.status).toBe(404);
  });

  it("limits a rep's department rows to their own figures", async () => {
    const response = await table('zhangwei01', 'groupBy=department');
    expect(response.status).toBe(200);
    expect(response.body.rows.map((row) => row.name)).toEqual(['发行部']);
    expect(response.body.rows[0]!.figures).toEqual(response.body.total);
  });
});

