import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamView, Visit, VisitPlan } from '@shared/api/visit.js';
import { addDays, localDate } from '../../lib/clock.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createTestCustomer, pointNorthOf } from './visit.test-support.js';

let server: TestServer;
let zhangwei: string;
let lina: string;
let wanglei: string;
let sunli: string;
let zhaozhiqiang: string;
let keySeq = 0;
const origin = { lat: 32.0603, lng: 118.7969 };
const today = () => localDate(new Date(), 'Asia/Shanghai');

beforeAll(async () => {
  server = await startTestServer();
  zhangwei = await server.login('zhangwei01');
  lina = await server.login('lina01');
  wanglei = await server.login('wanglei01');
  sunli = await server.login('sunli01');
  zhaozhiqiang = await server.login('zhaozhiqiang01');
});

afterAll(async () => {
  await server?.close();
});

async function plan(token: string, body: Record<string, unknown>) {
  return server.request<VisitPlan & { error?: { code: string } }>('POST', '/api/visit-plans', { token, body });
}

async function checkIn(token: string, body: Record<string, unknown>) {
  return server.request<Visit>('POST', '/api/visits', { token, body, headers: { 'idempotency-key': `plan-test-${Date.now()}-${(keySeq += 1)}` } });
}

describe('visit plans', () => {
  it('plan completed by check-in', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const created = await plan(zhangwei, { customerId: customer.id, planDate: today(), purpose: 'new_title', note: '带样书' });
    const duplicate = await plan(zhangwei, { customerId: customer.id, planDate: today() });
    const target = await server.request<{ planId: number | null }>('GET', `/api/visits/check-in-target?customerId=${customer.id}`, { token: zhangwei });
    const visit = await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 20) });
    const after = await server.request<{ items: VisitPlan[] }>('GET', `/api/visit-plans?from=${today()}&to=${today()}`, { token: zhangwei });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'planned', customerName: customer.name, note: '带样书' });
    expect(duplicate.status).toBe(409);
    expect(target.body.planId).toBe(created.body.id);
    expect(visit.body.planId).toBe(created.body.id);
    expect(after.body.items.find((item) => item.id === created.body.id)).toMatchObject({ status: 'visited', visitId: visit.body.id });
  });

  it('past date rejected', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const response = await plan(zhangwei, { customerId: customer.id, planDate: addDays(today(), -1) });

    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('plan_date_in_past');
  });

  it('only own team manager plans for rep', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const zhangweiId = await server.userId('zhangwei01');

    const byManager = await plan(wanglei, { customerId: customer.id, planDate: addDays(today(), 2), ownerId: zhangweiId });
    const byColleague = await plan(lina, { customerId: customer.id, planDate: addDays(today(), 3), ownerId: zhangweiId });
    const byOtherManager = await plan(zhaozhiqiang, { customerId: customer.id, planDate: addDays(today(), 3), ownerId: zhangweiId });

    expect(byManager.status).toBe(201);
    expect(byManager.body.ownerId).toBe(zhangweiId);
    expect(byColleague.status).toBe(403);
    expect(byOtherManager.status).toBe(403);
  });

  it('cancel by rep, 404 for other team', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const created = await plan(zhangwei, { customerId: customer.id, planDate: addDays(today(), 1) });

    const byOther = await server.request('POST', `/api/visit-plans/${created.body.id}/cancel`, { token: sunli });
    const cancelled = await server.request<VisitPlan>('POST', `/api/visit-plans/${created.body.id}/cancel`, { token: zhangwei });
    const listed = await server.request<{ items: VisitPlan[] }>('GET', `/api/visit-plans?from=${addDays(today(), 1)}&to=${addDays(today(), 1)}`, { token: zhangwei });
    const revived = await plan(zhangwei, { customerId: customer.id, planDate: addDays(today(), 1) });

    expect(byOther.status).toBe(404);
    expect(cancelled.body.status).toBe('cancelled');
    expect(listed.body.items.map((item) => item.id)).not.toContain(created.body.id);
    expect(revived.body).toMatchObject({ id: created.body.id, status: 'planned' });
  });
});

describe('GET /api/visits/team', () => {
  it('per rep and day figures', async () => {
    const first = await createTestCustomer(server, 'lina01');
    const second = await createTestCustomer(server, 'lina01');
    await plan(lina, { customerId: first.id, planDate: today() });
    await plan(lina, { customerId: second.id, planDate: today() });
    await checkIn(lina, { customerId: first.id, location: pointNorthOf(origin, 20) });
    await checkIn(lina, { customerId: first.id, location: pointNorthOf(origin, 3000), flagReason: '在分馆开会' });

    const response = await server.request<TeamView>('GET', `/api/visits/team?from=${addDays(today(), -6)}&to=${today()}`, { token: wanglei });

    expect(response.status).toBe(200);
    const linaRow = response.body.reps.find((rep) => rep.name === '李娜')!;
    expect(linaRow.days).toEqual([{ date: today(), planned: 2, plannedVisited: 1, visits: 2, customers: 1, flagged: 1 }]);
    expect(linaRow.totals).toEqual({ planned: 2, plannedVisited: 1, visits: 2, customers: 1, flagged: 1 });
    expect(response.body.reps.map((rep) => rep.name)).toEqual(expect.arrayContaining(['张伟', '李娜', '刘洋', '王磊']));
    expect(response.body.reps.map((rep) => rep.name)).not.toContain('孙丽');
  });

  it('reps rejected, managers see own team', async () => {
    const byRep = await server.request('GET', `/api/visits/team?from=${today()}&to=${today()}`, { token: zhangwei });
    const byOtherManager = await server.request<TeamView>('GET', `/api/visits/team?from=${today()}&to=${today()}`, { token: zhaozhiqiang });
    const tooLong = await server.request('GET', `/api/visits/team?from=${addDays(today(), -200)}&to=${today()}`, { token: wanglei });

    expect(byRep.status).toBe(403);
    expect(byOtherManager.body.reps.map((rep) => rep.name)).not.toContain('李娜');
    expect(byOtherManager.body.totals.visits).toBe(0);
    expect(tooLong.status).toBe(400);
  });
});
