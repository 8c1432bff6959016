import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolSettings, UpcomingPoolReturns } from '@shared/api/customer-pool.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs } from './customer.test-support.js';
import { defaultPoolSettings } from './pool.settings.js';

// 韩冬 (handong01) is an admin; 张伟 (zhangwei01) a 华东 rep; 孙丽 (sunli01) a 华北 rep; 高翔 (gaoxiang01) finance.
let server: TestServer;
let tokens: Record<string, string>;

type ErrorBody = { error: { code: string; message: string; details?: { field: string; message: string }[] } };

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  for (const user of ['handong01', 'zhangwei01', 'sunli01', 'gaoxiang01']) tokens[user] = await server.login(user);
});

afterAll(async () => {
  await server?.close();
});

describe('PUT /api/customers/pool-settings', () => {
  it('saves valid rules for an admin', async () => {
    const body: PoolSettings = { claimLimit: 150, returnDays: { default: 60, byType: { library: 120 } }, noticeDaysBefore: 5, reclaimCooldownDays: 14 };
    const saved = await server.request<PoolSettings>('PUT', '/api/customers/pool-settings', { token: tokens.handong01, body });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(body);

    const read = await server.request<PoolSettings>('GET', '/api/customers/pool-settings', { token: tokens.zhangwei01 });
    expect(read.body).toEqual(body);
    await server.request('PUT', '/api/customers/pool-settings', { token: tokens.handong01, body: defaultPoolSettings });
  });

  it('rejects a notice not before the shortest return', async () => {
    const body = { ...defaultPoolSettings, returnDays: { default: 90, byType: { private_store: 10 } }, noticeDaysBefore: 10 };
    const response = await server.request<ErrorBody>('PUT', '/api/customers/pool-settings', { token: tokens.handong01, body });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('提前提醒天数须小于最短的退回天数（民营书店 10 天）');
    expect(response.body.error.details?.[0]?.field).toBe('noticeDaysBefore');
  });

  it('rejects out-of-range numbers in Chinese', async () => {
    const response = await server.request<ErrorBody>('PUT', '/api/customers/pool-settings', { token: tokens.handong01, body: { ...defaultPoolSettings, claimLimit: 0 } });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('领取上限不能少于 1 个');
  });

  it('rejects everyone but admins', async () => {
    for (const user of ['zhangwei01', 'gaoxiang01']) {
      const response = await server.request('PUT', '/api/customers/pool-settings', { token: tokens[user], body: defaultPoolSettings });
      expect({ user, status: response.status }).toEqual({ user, status: 403 });
    }
  });
});

describe('GET /api/customers/pool-returns', () => {
  it('lists own customers in the notice window', async () => {
    const due = await createCustomerAs(server, tokens.zhangwei01!, { type: 'private_store' });
    const fresh = await createCustomerAs(server, tokens.zhangwei01!, { type: 'private_store' });
    const overdue = await createCustomerAs(server, tokens.zhangwei01!, { type: 'private_store' });
    // Private stores return after 90 days by default and the owner is notified 7 days ahead.
    await server.db.updateTable('customer').set({ owned_since: '2025-12-14T02:00:00.000Z', last_followed_up_at: null }).where('id', '=', due.id).execute();
    await server.db.updateTable('customer').set({ owned_since: '2025-12-01T02:00:00.000Z', last_followed_up_at: '2026-02-01T02:00:00.000Z' }).where('id', '=', fresh.id).execute();
    await server.db.updateTable('customer').set({ owned_since: '2025-12-01T02:00:00.000Z', last_followed_up_at: null }).where('id', '=', overdue.id).execute();

    const response = await server.request<UpcomingPoolReturns>('GET', '/api/customers/pool-returns', { token: tokens.zhangwei01 });
    expect(response.status).toBe(200);
    expect(response.body.noticeDaysBefore).toBe(7);
    expect(response.body.items.map((item) => [item.customer.id, item.dueDate, item.daysLeft])).toEqual([
      [overdue.id, '2026-03-01', -9],
      [due.id, '2026-03-14', 4],
    ]);
  });

  it('shows another team rep none of them', async () => {
    const response = await server.request<UpcomingPoolReturns>('GET', '/api/customers/pool-returns', { token: tokens.sunli01 });
    expect(response.body.items).toEqual([]);
  });
});
