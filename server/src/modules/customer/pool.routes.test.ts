import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerListResponse } from '@shared/api/customer.js';
import { createLogger } from '../../logger.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { putSetting } from '../settings/settings.service.js';
import { createCustomerAs } from './customer.test-support.js';
import { runDailyPoolJobs } from './pool-return.job.js';
import { defaultPoolSettings, poolSettingsKey } from './pool.settings.js';

// zhangwei01 / lina01: reps of 华东片区 (manager wanglei01); sunli01: rep of 华北片区 (manager zhaozhiqiang01).
let server: TestServer;
let zhangwei: string;
let lina: string;
let wanglei: string;
let sunli: string;
let zhaozhiqiang: string;

type ErrorBody = { error: { code: string; message: string } };

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

async function auditActions(customerId: number): Promise<string[]> {
  const rows = await server.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'customer').where('entity_id', '=', String(customerId)).orderBy('id').execute();
  return rows.map((row) => row.action);
}

describe('POST /api/customers/:id/release and /claim', () => {
  it('releases with a reason into the pool, which any rep sees and claims; both land in audit and timeline', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const released = await server.request<Customer>('POST', `/api/customers/${customer.id}/release`, { token: zhangwei, body: { reason: '客户已转向其他供应商' } });
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ inPool: true, owner: null, releaseReason: '客户已转向其他供应商' });

    const pool = await server.request<CustomerListResponse>('GET', '/api/customers?view=pool&limit=100', { token: sunli });
    expect(pool.body.items.map((item) => item.id)).toContain(customer.id);

    const claimed = await server.request<Customer>('POST', `/api/customers/${customer.id}/claim`, { token: sunli });
    expect(claimed.status).toBe(200);
    expect(claimed.body.owner?.name).toBe('孙丽');
    expect(await auditActions(customer.id)).toEqual(['customer.create', 'customer.release', 'customer.claim']);
    const ownership = await server.db.selectFrom('customer_timeline').select('title').where('customer_id', '=', customer.id).where('kind', '=', 'ownership').orderBy('id').execute();
    expect(ownership.map((row) => row.title)).toEqual(['释放到公海：张伟 → 公海', '孙丽 从公海领取']);
  });

  it('refuses a release without a reason, and by a rep who does not own it', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    expect((await server.request('POST', `/api/customers/${customer.id}/release`, { token: zhangwei, body: { reason: '' } })).status).toBe(400);
    expect((await server.request('POST', `/api/customers/${customer.id}/release`, { token: lina, body: { reason: '不跟了' } })).status).toBe(404);
  });

  it('lets one of two simultaneous claims win', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    await server.request('POST', `/api/customers/${customer.id}/release`, { token: zhangwei, body: { reason: '暂不跟进' } });
    const [first, second] = await Promise.all([
      server.request('POST', `/api/customers/${customer.id}/claim`, { token: lina }),
      server.request('POST', `/api/customers/${customer.id}/claim`, { token: sunli }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBe(200);
    // The loser either saw it still in the pool (409) or already owned by someone outside its scope (404).
    expect([404, 409]).toContain(statuses[1]);
    const row = await server.db.selectFrom('customer').select('owner_id').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.owner_id).not.toBeNull();
  });

  it('refuses a claim above the per-rep limit and the releasing rep within the cool-down', async () => {
    const customer = await createCustomerAs(server, wanglei);
    await server.request('POST', `/api/customers/${customer.id}/release`, { token: wanglei, body: { reason: '调整客户结构' } });

    await putSetting(server.db, poolSettingsKey, { ...defaultPoolSettings, claimLimit: 1 }, null, new Date());
    const limited = await server.request<ErrorBody>('POST', `/api/customers/${customer.id}/claim`, { token: zhangwei });
    expect(limited.status).toBe(409);
    expect(limited.body.error.code).toBe('claim_limit_reached');
    await putSetting(server.db, poolSettingsKey, defaultPoolSettings, null, new Date());

    const cooldown = await server.request<ErrorBody>('POST', `/api/customers/${customer.id}/claim`, { token: wanglei });
    expect(cooldown.status).toBe(409);
    expect(cooldown.body.error.code).toBe('reclaim_cooldown');
  });
});

describe('POST /api/customers/:id/transfer', () => {
  it('lets a manager transfer within the department and notifies both reps', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const linaId = await server.userId('lina01');
    const response = await server.request<Customer>('POST', `/api/customers/${customer.id}/transfer`, { token: wanglei, body: { toUserId: linaId, reason: '张伟调岗，客户交给李娜' } });
    expect(response.status).toBe(200);
    expect(response.body.owner?.name).toBe('李娜');
    const notices = await server.db.selectFrom('outbox').select('recipient_user_id').where('dedup_key', 'like', `customer:${customer.id}:owner%`).execute();
    expect(notices.map((row) => row.recipient_user_id).sort()).toEqual([linaId, await server.userId('zhangwei01')].sort());
    expect(await auditActions(customer.id)).toContain('customer.transfer');
  });

  it('refuses a manager of another department (404), a rep (403), and a target outside the subtree (403)', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const linaId = await server.userId('lina01');
    const sunliId = await server.userId('sunli01');
    expect((await server.request('POST', `/api/customers/${customer.id}/transfer`, { token: zhaozhiqiang, body: { toUserId: sunliId, reason: '调整片区' } })).status).toBe(404);
    expect((await server.request('POST', `/api/customers/${customer.id}/transfer`, { token: zhangwei, body: { toUserId: linaId, reason: '调整片区' } })).status).toBe(403);
    expect((await server.request('POST', `/api/customers/${customer.id}/transfer`, { token: wanglei, body: { toUserId: sunliId, reason: '调整片区' } })).status).toBe(403);
  });
});

describe('collaborators', () => {
  it('lets the owner add a collaborator with edit rights, who then sees and edits the customer', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const sunliId = await server.userId('sunli01');
    const added = await server.request<Customer>('POST', `/api/customers/${customer.id}/collaborators`, { token: zhangwei, body: { userId: sunliId, canEdit: true } });
    expect(added.status).toBe(200);
    expect(added.body.collaborators).toMatchObject([{ name: '孙丽', canEdit: true }]);

    const list = await server.request<CustomerListResponse>('GET', '/api/customers?limit=100', { token: sunli });
    expect(list.body.items.map((item) => item.id)).toContain(customer.id);
    const edited = await server.request('PATCH', `/api/customers/${customer.id}`, { token: sunli, body: { version: added.body.version, notes: '北京总部采购对接' } });
    expect(edited.status).toBe(200);

    const removed = await server.request('DELETE', `/api/customers/${customer.id}/collaborators/${sunliId}`, { token: zhangwei });
    expect(removed.status).toBe(200);
    expect((await server.request('GET', `/api/customers/${customer.id}`, { token: sunli })).status).toBe(404);
  });
});

describe('daily pool job', () => {
  it('tells the owner ahead, then returns a customer not followed up for the configured days', async () => {
    const customer = await createCustomerAs(server, lina, { type: 'corporate' });
    const created = await server.db.selectFrom('customer').select('owned_since').where('id', '=', customer.id).executeTakeFirstOrThrow();
    const ownedSince = Date.parse(created.owned_since!);
    const context = (days: number) => ({ db: server.db, logger: createLogger('silent'), now: new Date(ownedSince + days * 86_400_000), publicUrl: 'https://crm.example.com', timeZone: 'Asia/Shanghai' });

    await runDailyPoolJobs(context(85), { force: true });
    const notice = await server.db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', `customer:${customer.id}:return-notice:%`).execute();
    expect(notice).toHaveLength(1);
    const stillOwned = await server.db.selectFrom('customer').select('owner_id').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(stillOwned.owner_id).toBe(await server.userId('lina01'));

    await runDailyPoolJobs(context(91), { force: true });
    const returned = await server.db.selectFrom('customer').select(['owner_id', 'release_reason']).where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(returned).toEqual({ owner_id: null, release_reason: '超过 90 天未跟进，自动退回公海' });
    expect(await auditActions(customer.id)).toContain('customer.auto_return');
  });

  it('keeps a customer that was followed up recently', async () => {
    const customer = await createCustomerAs(server, lina, { type: 'corporate' });
    const base = Date.now();
    await server.db.updateTable('customer').set({ last_followed_up_at: new Date(base + 80 * 86_400_000).toISOString() }).where('id', '=', customer.id).execute();
    await runDailyPoolJobs({ db: server.db, logger: createLogger('silent'), now: new Date(base + 100 * 86_400_000), publicUrl: 'https://crm.example.com', timeZone: 'Asia/Shanghai' }, { force: true });
    const row = await server.db.selectFrom('customer').select('owner_id').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.owner_id).not.toBeNull();
  });
});

describe('discount agreements', () => {
  it('lets the manager set a default and a series agreement with reasons; reps only read; quotes get series over default', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const base = { validFrom: '2024-01-01', validTo: null };
    const byRep = await server.request('POST', `/api/customers/${customer.id}/discount-agreements`, { token: zhangwei, body: { ...base, scope: 'customer', defaultDiscount: 6500, floorDiscount: 6000, reason: '年度协议' } });
    expect(byRep.status).toBe(403);

    expect((await server.request('POST', `/api/customers/${customer.id}/discount-agreements`, { token: wanglei, body: { ...base, scope: 'customer', defaultDiscount: 6500, floorDiscount: 6000, reason: '年度协议' } })).status).toBe(201);
    const series = await server.request<{ items: unknown[]; history: { summary: string; reason: string }[] }>('POST', `/api/customers/${customer.id}/discount-agreements`, {
      token: wanglei,
      body: { ...base, scope: 'series', scopeValue: '江南文库', defaultDiscount: 6000, floorDiscount: 5500, reason: '丛书特别约定' },
    });
    expect(series.status).toBe(201);
    expect(series.body.history[0]).toMatchObject({ summary: '新增 按丛书“江南文库”：默认 6折，底线 5.5折，2024-01-01 起', reason: '丛书特别约定' });

    const floorAboveDefault = await server.request('POST', `/api/customers/${customer.id}/discount-agreements`, { token: wanglei, body: { ...base, scope: 'category', scopeValue: '少儿', defaultDiscount: 6000, floorDiscount: 6500, reason: '测试' } });
    expect(floorAboveDefault.status).toBe(400);

    const { getDiscountAgreement } = await import('./customer.service.js');
    expect(await getDiscountAgreement(server.db, customer.id, { series: '江南文库', category: '文学' })).toMatchObject({ defaultDiscount: 6000, floorDiscount: 5500, scope: 'series' });
    expect(await getDiscountAgreement(server.db, customer.id, { series: null, category: '文学' })).toMatchObject({ defaultDiscount: 6500, scope: 'customer' });
  });
});
