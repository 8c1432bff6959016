import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Customer, CustomerListResponse } from '@shared/api/customer.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { loadActor } from '../org/org.service.js';
import { getVisibleCustomerOrThrow } from './customer.service.js';
import { createCustomerAs, makeMobile, nextSerial } from './customer.test-support.js';

// 高翔 (gaoxiang01) is a finance clerk; 朱红梅 (zhuhongmei01) heads the finance department. 张伟
// (zhangwei01, 华东) and 孙丽 (sunli01, 华北) are reps of different teams; 王磊 (wanglei01) leads 华东.
let server: TestServer;
let tokens: Record<string, string>;
let eastCustomer: Customer;
let northCustomer: Customer;
let poolCustomer: Customer;
let contactId: number;

type ErrorBody = { error: { code: string; message: string } };

beforeAll(async () => {
  server = await startTestServer();
  tokens = {};
  for (const user of ['zhangwei01', 'sunli01', 'wanglei01', 'gaoxiang01', 'zhuhongmei01']) tokens[user] = await server.login(user);

  const east = await createCustomerAs(server, tokens.zhangwei01!, { name: '杭州市文澜书局有限公司', contacts: [{ name: '钱会计', role: 'finance', mobile: makeMobile(nextSerial()), isKey: true }] });
  const north = await createCustomerAs(server, tokens.sunli01!, { name: '保定市燕赵书城有限公司' });
  const pool = await createCustomerAs(server, tokens.wanglei01!, { name: '嘉兴市南湖书店有限公司', toPool: true });
  eastCustomer = (await server.request<Customer>('GET', `/api/customers/${east.id}`, { token: tokens.zhangwei01 })).body;
  northCustomer = (await server.request<Customer>('GET', `/api/customers/${north.id}`, { token: tokens.sunli01 })).body;
  poolCustomer = (await server.request<Customer>('GET', `/api/customers/${pool.id}`, { token: tokens.wanglei01 })).body;
  const contacts = await server.request<Contact[]>('GET', `/api/customers/${east.id}/contacts`, { token: tokens.zhangwei01 });
  contactId = contacts.body[0]!.id;
});

afterAll(async () => {
  await server?.close();
});

describe('customers as finance', () => {
  it('lists and searches customers of every team', async () => {
    const list = await server.request<CustomerListResponse>('GET', '/api/customers?limit=100', { token: tokens.gaoxiang01 });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((item) => item.id);
    expect(ids).toContain(eastCustomer.id);
    expect(ids).toContain(northCustomer.id);

    const search = await server.request<CustomerListResponse>('GET', `/api/customers?q=${encodeURIComponent('燕赵书城')}`, { token: tokens.gaoxiang01 });
    expect(search.body.items.map((item) => item.id)).toEqual([northCustomer.id]);
  });

  it('opens another team customer read-only', async () => {
    const detail = await server.request<Customer>('GET', `/api/customers/${eastCustomer.id}`, { token: tokens.gaoxiang01 });
    expect(detail.status).toBe(200);
    expect(detail.body.owner?.name).toBe('张伟');
    expect(detail.body.permissions).toEqual({ canEdit: false, canRelease: false, canTransfer: false, canClaim: false, canManageCollaborators: false, canEditDiscount: false, canFollowUp: false });

    for (const path of ['contacts', 'timeline', 'stage-history', 'credit', 'discount-agreements']) {
      const response = await server.request('GET', `/api/customers/${eastCustomer.id}/${path}`, { token: tokens.gaoxiang01 });
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
    const contacts = await server.request<Contact[]>('GET', `/api/customers/${eastCustomer.id}/contacts`, { token: tokens.gaoxiang01 });
    expect(contacts.body.map((contact) => contact.name)).toEqual(['钱会计']);
  });

  it('rejects changes, ownership and claim', async () => {
    const sunliId = await server.userId('sunli01');
    const calls: [string, string, unknown?][] = [
      ['PATCH', `/api/customers/${eastCustomer.id}`, { version: eastCustomer.version, notes: '财务改一下' }],
      ['POST', `/api/customers/${eastCustomer.id}/stage`, { stage: 'target', version: eastCustomer.version }],
      ['POST', `/api/customers/${eastCustomer.id}/contacts`, { name: '孔出纳', mobile: makeMobile(nextSerial()) }],
      ['PUT', `/api/contacts/${contactId}`, { name: '钱会计', mobile: makeMobile(nextSerial()) }],
      ['DELETE', `/api/contacts/${contactId}`],
      ['POST', `/api/customers/${eastCustomer.id}/release`, { reason: '财务退回' }],
      ['POST', `/api/customers/${eastCustomer.id}/transfer`, { toUserId: sunliId, reason: '换人跟进' }],
      ['POST', `/api/customers/${eastCustomer.id}/collaborators`, { userId: await server.userId('gaoxiang01'), canEdit: false }],
      ['POST', `/api/customers/${eastCustomer.id}/discount-agreements`, { scope: 'customer', defaultDiscount: 5000, floorDiscount: 4000, validFrom: '2026-01-01', reason: '降价' }],
      ['POST', `/api/customers/${poolCustomer.id}/claim`],
    ];
    for (const user of ['gaoxiang01', 'zhuhongmei01']) {
      for (const [method, path, body] of calls) {
        const response = await server.request<ErrorBody>(method, path, { token: tokens[user], body });
        expect({ user, method, path, status: response.status }).toEqual({ user, method, path, status: 403 });
      }
    }
    const row = await server.db.selectFrom('customer').select(['owner_id', 'notes', 'stage']).where('id', '=', eastCustomer.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ owner_id: await server.userId('zhangwei01'), notes: null, stage: 'potential' });
    const pool = await server.db.selectFrom('customer').select('owner_id').where('id', '=', poolCustomer.id).executeTakeFirstOrThrow();
    expect(pool.owner_id).toBeNull();
  });

  it('keeps finance head off pool edits', async () => {
    const detail = await server.request<Customer>('GET', `/api/customers/${poolCustomer.id}`, { token: tokens.zhuhongmei01 });
    expect(detail.body.permissions).toMatchObject({ canEdit: false, canTransfer: false, canClaim: false });

    const edit = await server.request('PATCH', `/api/customers/${poolCustomer.id}`, { token: tokens.zhuhongmei01, body: { version: poolCustomer.version, notes: '改一下' } });
    expect(edit.status).toBe(403);
    const assign = await server.request('POST', `/api/customers/${poolCustomer.id}/transfer`, { token: tokens.zhuhongmei01, body: { toUserId: await server.userId('gaoxiang01'), reason: '分给财务' } });
    expect(assign.status).toBe(403);
  });

  it('rejects the customer export', async () => {
    const exported = await fetch(`${server.url}/api/customers/export`, { headers: { authorization: `Bearer ${tokens.gaoxiang01}` } });
    expect(exported.status).toBe(403);
    const body = (await exported.json()) as ErrorBody;
    expect(body.error.message).toMatch(/导出客户名单/);
  });

  it('sets the credit limit of any team customer', async () => {
    const response = await server.request('PUT', `/api/customers/${northCustomer.id}/credit-limit`, { token: tokens.gaoxiang01, body: { creditLimitFen: 5_000_000, reason: '年度授信' } });
    expect(response.status).toBe(200);
  });

  it('acts only in business scope', async () => {
    const finance = await loadActor(server.db, await server.userId('gaoxiang01'));
    await expect(getVisibleCustomerOrThrow(server.db, finance!, eastCustomer.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('customers as another team rep', () => {
  it('answers 404 and lists nothing', async () => {
    for (const path of ['', '/contacts', '/timeline']) {
      const response = await server.request('GET', `/api/customers/${eastCustomer.id}${path}`, { token: tokens.sunli01 });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
    }
    const list = await server.request<CustomerListResponse>('GET', '/api/customers?limit=100', { token: tokens.sunli01 });
    expect(list.body.items.map((item) => item.id)).not.toContain(eastCustomer.id);
  });
});
