import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Funnel, OpportunityDetail } from '@shared/api/opportunity.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs } from '../customer/customer.test-support.js';
import { markOpportunityWon } from './opportunity.service.js';
import { notifyStaleOpportunities } from './opportunity.stale.js';

// A fixed instant (10:00 in Shanghai) so won and lost opportunities close inside the fixture's month.
const now = new Date('2030-03-15T02:00:00.000Z');

let server: TestServer;
let rep: string;
let otherRep: string;
let ownManager: string;
let otherManager: string;
let customerId: number;

beforeAll(async () => {
  server = await startTestServer({ now });
  rep = await server.login('lina01');
  otherRep = await server.login('sunli01');
  ownManager = await server.login('wanglei01');
  otherManager = await server.login('zhaozhiqiang01');
  customerId = (await createCustomerAs(server, rep)).id;
});

afterAll(async () => {
  await server.close();
});

async function createOpportunity(body: Record<string, unknown>, token = rep): Promise<OpportunityDetail> {
  const response = await server.request<OpportunityDetail>('POST', '/api/opportunities', {
    token,
    body: { customerId, name: '春季教辅征订', kind: 'textbook_subscription', expectedAmountFen: 100_000, expectedCloseDate: '2030-03-31', ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function moveStage(id: number, stage: string, reason: string | null = null, token = rep) {
  return server.request<OpportunityDetail & { error?: { code: string; message: string } }>('POST', `/api/opportunities/${id}/stage`, { token, body: { stage, reason } });
}

describe('POST /api/opportunities', () => {
  it('makes the creator the owner and records the first stage', async () => {
    const created = await createOpportunity({ name: '市图书馆年度馆配', kind: 'library_supply' });
    expect(created).toMatchObject({ stage: 'initial_contact', winProbability: 10, ownerName: '李娜', isStale: false });
    expect(created.stageChanges).toHaveLength(1);
    expect(created.stageChanges[0]).toMatchObject({ fromStage: null, toStage: 'initial_contact', actorName: '李娜' });
  });

  it('answers 404 for a customer outside the rep’s scope', async () => {
    const response = await server.request('POST', '/api/opportunities', { token: otherRep, body: { customerId, name: 'x', kind: 'other', expectedAmountFen: 1, expectedCloseDate: '2030-03-31' } });
    expect(response.status).toBe(404);
  });
});

describe('POST /api/opportunities/:id/stage', () => {
  it('records who moved the stage, when and why', async () => {
    const created = await createOpportunity({});
    const moved = await moveStage(created.id, 'needs_confirmed', '确认了 3 所学校的需求');
    expect(moved.status).toBe(200);
    expect(moved.body.stageChanges[0]).toMatchObject({ fromStage: 'initial_contact', toStage: 'needs_confirmed', reason: '确认了 3 所学校的需求', changedAt: now.toISOString() });
  });

  it('refuses lost without a reason and accepts it with one', async () => {
    const created = await createOpportunity({});
    const refused = await moveStage(created.id, 'lost');
    expect(refused.status).toBe(400);
    const lost = await moveStage(created.id, 'lost', '客户选择了竞争对手的版本');
    expect(lost.body).toMatchObject({ stage: 'lost', lostReason: '客户选择了竞争对手的版本', closedAt: now.toISOString() });
  });

  it('lets a lost opportunity be reopened but not a won one be changed', async () => {
    const created = await createOpportunity({});
    await moveStage(created.id, 'lost', '预算取消');
    expect((await moveStage(created.id, 'needs_confirmed', '预算恢复')).body).toMatchObject({ stage: 'needs_confirmed', lostReason: null, closedAt: null });

    await moveStage(created.id, 'won', '主管确认', ownManager);
    const refused = await moveStage(created.id, 'negotiating', null, ownManager);
    expect(refused.status).toBe(409);
  });

  it('does not let the owner declare a win, but lets the owner’s manager confirm it', async () => {
    const created = await createOpportunity({});
    const refused = await moveStage(created.id, 'won', '客户口头答应');
    expect(refused.status).toBe(403);
    expect(refused.body.error?.message).toContain('上级主管确认');

    const confirmed = await moveStage(created.id, 'won', '已见到盖章订单', ownManager);
    expect(confirmed.body).toMatchObject({ stage: 'won', winProbability: 100 });
    const audit = await server.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'opportunity').where('entity_id', '=', String(created.id)).execute();
    expect(audit.map((row) => row.action)).toEqual(['opportunity.won']);
  });
});

describe('markOpportunityWon', () => {
  it('closes the opportunity with the contract and ignores a repeated call', async () => {
    const created = await createOpportunity({});
    const first = await markOpportunityWon(server.db, { opportunityId: created.id, contractId: 77, actorUserId: null, at: now });
    const second = await markOpportunityWon(server.db, { opportunityId: created.id, contractId: 77, actorUserId: null, at: now });
    expect([first.changed, second.changed]).toEqual([true, false]);
    const detail = await server.request<OpportunityDetail>('GET', `/api/opportunities/${created.id}`, { token: rep });
    expect(detail.body).toMatchObject({ stage: 'won', wonContractId: 77 });
    expect(detail.body.stageChanges.filter((change) => change.toStage === 'won')).toHaveLength(1);
  });
});

describe('another team', () => {
  it('sees neither the opportunity nor any way to change it', async () => {
    const created = await createOpportunity({ name: '不该被看到的商机' });
    for (const token of [otherRep, otherManager]) {
      expect((await server.request('GET', `/api/opportunities/${created.id}`, { token })).status).toBe(404);
      expect((await server.request('PATCH', `/api/opportunities/${created.id}`, { token, body: { name: '改名' } })).status).toBe(404);
      expect((await moveStage(created.id, 'lost', '抢单', token)).status).toBe(404);
      const list = await server.request<{ items: { id: number }[] }>('GET', '/api/opportunities?status=all&limit=100', { token });
      expect(list.body.items.map((item) => item.id)).not.toContain(created.id);
    }
  });

  it('lets the owner’s own manager see it', async () => {
    const created = await createOpportunity({ name: '主管可见' });
    expect((await server.request('GET', `/api/opportunities/${created.id}`, { token: ownManager })).status).toBe(200);
  });
});

describe('GET /api/opportunities/funnel', () => {
  let funnelRep: string;
  let funnelRepId: number;

  beforeAll(async () => {
    funnelRep = await server.login('liuyang01');
    funnelRepId = await server.userId('liuyang01');
    const customer = (await createCustomerAs(server, funnelRep)).id;
    const make = (stage: string, amount: number) => createOpportunity({ customerId: customer, stage, expectedAmountFen: amount, expectedCloseDate: '2030-03-20' }, funnelRep);

    await make('initial_contact', 100_000);
    await make('needs_confirmed', 200_000);
    const quoting = await make('initial_contact', 300_000);
    await moveStage(quoting.id, 'needs_confirmed', null, funnelRep);
    await moveStage(quoting.id, 'quoting', null, funnelRep);
    await make('negotiating', 400_000);
    const won = await make('negotiating', 500_000);
    await moveStage(won.id, 'won', '合同已签', ownManager);
    const lost = await make('quoting', 600_000);
    await moveStage(lost.id, 'lost', '价格没谈拢', funnelRep);
  });

  it('matches the hand-computed figures per stage, conversion and forecast', async () => {
    const response = await server.request<Funnel>('GET', `/api/opportunities/funnel?from=2030-03-01&to=2030-03-31&ownerId=${funnelRepId}`, { token: funnelRep });
    expect(response.status).toBe(200);
    const funnel = response.body;
    expect(funnel.stages.map((figure) => [figure.stage, figure.count, figure.amountFen, figure.weightedAmountFen])).toEqual([
      ['initial_contact', 1, 100_000, 10_000],
      ['needs_confirmed', 1, 200_000, 60_000],
      ['quoting', 1, 300_000, 150_000],
      ['negotiating', 1, 400_000, 300_000],
      ['won', 1, 500_000, 500_000],
      ['lost', 1, 600_000, 0],
    ]);
    // Reached: every one reached 初步接触; 5 of 6 需求确认; 4 报价中 (including the lost one); 2 谈判中; 1 签约.
    expect(funnel.conversions.map((step) => [step.fromStage, step.reached, step.advanced, step.rateBasisPoints])).toEqual([
      ['initial_contact', 6, 5, 8333],
      ['needs_confirmed', 5, 4, 8000],
      ['quoting', 4, 2, 5000],
      ['negotiating', 2, 1, 5000],
    ]);
    expect(funnel).toMatchObject({ openCount: 4, openAmountFen: 1_000_000, weightedOpenAmountFen: 520_000 });
    expect(funnel.forecasts[0]).toMatchObject({ label: '本月', from: '2030-03-01', to: '2030-03-31', wonAmountFen: 500_000, weightedOpenAmountFen: 520_000, forecastAmountFen: 1_020_000 });
    expect(funnel.forecasts[1]).toMatchObject({ label: '本季度', from: '2030-01-01', to: '2030-03-31' });
  });

  it('gives the rep of another team an empty funnel for that rep', async () => {
    for (const token of [otherRep, otherManager]) {
      const response = await server.request<Funnel>('GET', `/api/opportunities/funnel?from=2030-03-01&to=2030-03-31&ownerId=${funnelRepId}`, { token });
      expect(response.body.stages.every((figure) => figure.count === 0)).toBe(true);
      expect(response.body.forecasts.every((item) => item.forecastAmountFen === 0)).toBe(true);
    }
  });

  it('includes the rep in the manager’s team funnel', async () => {
    const eastChina = await server.db.selectFrom('department').select('id').where('name', '=', '华东片区').executeTakeFirstOrThrow();
    const response = await server.request<Funnel>('GET', `/api/opportunities/funnel?from=2030-03-01&to=2030-03-31&departmentId=${eastChina.id}`, { token: ownManager });
    expect(response.body.stages.find((figure) => figure.stage === 'negotiating')?.count).toBeGreaterThanOrEqual(1);
  });
});

describe('stale opportunities', () => {
  it('are listed as stale and their owner and the owner’s leader are told once per quiet spell', async () => {
    const created = await createOpportunity({ name: '久未跟进的团购' });
    await server.db.updateTable('opportunity').set({ last_activity_at: '2030-02-01T00:00:00.000Z' }).where('id', '=', created.id).execute();

    const stale = await server.request<{ items: { id: number; isStale: boolean }[] }>('GET', '/api/opportunities?stale=true', { token: rep });
    expect(stale.body.items.find((item) => item.id === created.id)?.isStale).toBe(true);

    await notifyStaleOpportunities({ db: server.db, publicUrl: 'http://127.0.0.1' }, now);
    await notifyStaleOpportunities({ db: server.db, publicUrl: 'http://127.0.0.1' }, now);
    const notices = await server.db.selectFrom('outbox').select(['recipient_user_id', 'payload']).where('dedup_key', 'like', `opportunity-stale:${created.id}:%`).execute();
    expect(notices.map((notice) => notice.recipient_user_id).sort()).toEqual([await server.userId('lina01'), await server.userId('wanglei01')].sort());
    expect(JSON.parse(notices[0]!.payload).url).toBe(`http://127.0.0.1/#/opportunities/${created.id}`);
  });
});
