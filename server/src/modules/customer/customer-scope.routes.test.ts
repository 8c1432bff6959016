import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs, makeMobile, nextSerial } from './customer.test-support.js';

// 张伟 (zhangwei01, 华东片区) owns the customer; 孙丽 (sunli01) is a rep of 华北片区 and must learn nothing.
let server: TestServer;
let owner: string;
let outsider: string;
let customerId: number;
let customerName: string;
let contactId: number;
let agreementId: number;
let ownerMobile: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.login('zhangwei01');
  outsider = await server.login('sunli01');
  ownerMobile = makeMobile(nextSerial());
  const customer = await createCustomerAs(server, owner, { contacts: [{ name: '秦主任', mobile: ownerMobile, isKey: true }] });
  customerId = customer.id;
  customerName = customer.name;
  const contacts = await server.request<{ id: number }[]>('GET', `/api/customers/${customerId}/contacts`, { token: owner });
  contactId = contacts.body[0]!.id;
  const manager = await server.login('wanglei01');
  const agreements = await server.request<{ items: { id: number }[] }>('POST', `/api/customers/${customerId}/discount-agreements`, {
    token: manager,
    body: { scope: 'customer', defaultDiscount: 6500, floorDiscount: 6000, validFrom: '2025-01-01', reason: '年度协议' },
  });
  agreementId = agreements.body.items[0]!.id;
});

afterAll(async () => {
  await server?.close();
});

describe('customer endpoints as a rep of another team', () => {
  it('answers 404 on every endpoint that names the customer, its contact or its agreement', async () => {
    const sunliId = await server.userId('sunli01');
    const calls: [string, string, unknown?][] = [
      ['GET', `/api/customers/${customerId}`],
      ['PATCH', `/api/customers/${customerId}`, { version: 1, notes: '改一下' }],
      ['POST', `/api/customers/${customerId}/stage`, { stage: 'target', version: 1 }],
      ['GET', `/api/customers/${customerId}/stage-history`],
      ['GET', `/api/customers/${customerId}/timeline`],
      ['GET', `/api/customers/${customerId}/credit`],
      ['GET', `/api/customers/${customerId}/contacts`],
      ['POST', `/api/customers/${customerId}/contacts`, { name: '甲', mobile: makeMobile(nextSerial()) }],
      ['PUT', `/api/contacts/${contactId}`, { name: '乙', mobile: makeMobile(nextSerial()) }],
      ['DELETE', `/api/contacts/${contactId}`],
      ['POST', `/api/customers/${customerId}/claim`],
      ['POST', `/api/customers/${customerId}/release`, { reason: '不跟了' }],
      ['POST', `/api/customers/${customerId}/transfer`, { toUserId: sunliId, reason: '我来跟' }],
      ['POST', `/api/customers/${customerId}/collaborators`, { userId: sunliId, canEdit: true }],
      ['DELETE', `/api/customers/${customerId}/collaborators/${await server.userId('zhangwei01')}`],
      ['GET', `/api/customers/${customerId}/discount-agreements`],
      ['POST', `/api/customers/${customerId}/discount-agreements`, { scope: 'customer', defaultDiscount: 5000, floorDiscount: 4000, validFrom: '2026-01-01', reason: '降价' }],
      ['PUT', `/api/customers/${customerId}/discount-agreements/${agreementId}`, { scope: 'customer', defaultDiscount: 5000, floorDiscount: 4000, validFrom: '2025-01-01', reason: '降价' }],
      ['DELETE', `/api/customers/${customerId}/discount-agreements/${agreementId}?reason=${encodeURIComponent('不要了')}`],
    ];
    for (const [method, path, body] of calls) {
      const response = await server.request<{ error: { code: string } }>(method, path, { token: outsider, body });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(JSON.stringify(response.body)).not.toContain(customerName);
    }
    const contact = await server.db.selectFrom('contact').select('name').where('id', '=', contactId).executeTakeFirstOrThrow();
    expect(contact.name).toBe('秦主任');
  });

  it('refuses the credit limit to a rep by role', async () => {
    const response = await server.request('PUT', `/api/customers/${customerId}/credit-limit`, { token: outsider, body: { creditLimitFen: 100, reason: '试试' } });
    expect(response.status).toBe(403);
  });

  it('leaves the customer out of list, search, count and export', async () => {
    for (const query of ['', `?q=${encodeURIComponent(customerName)}`, `?q=${ownerMobile}`, '?withTotal=true&limit=100']) {
      const list = await server.request<{ items: { id: number }[] }>('GET', `/api/customers${query}`, { token: outsider });
      expect(list.body.items.map((item) => item.id)).not.toContain(customerId);
    }
    const exported = await fetch(`${server.url}/api/customers/export?q=${encodeURIComponent(customerName)}`, { headers: { authorization: `Bearer ${outsider}` } });
    expect(exported.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await exported.arrayBuffer());
    expect(workbook.getWorksheet('客户')!.rowCount).toBe(1);
  });

  it('tells the duplicate check only owner, stage and date: no id, contact or name', async () => {
    const response = await server.request<{ duplicate: Record<string, unknown> }>('GET', `/api/customers/duplicate-check?mobile=${ownerMobile}`, { token: outsider });
    expect(response.body.duplicate).toEqual({ matchedBy: 'mobile', inPool: false, ownerName: '张伟', stage: 'potential', ownedSince: expect.any(String), customerId: null, message: expect.any(String) });
    expect(JSON.stringify(response.body)).not.toContain(customerName);
    expect(JSON.stringify(response.body)).not.toContain('秦主任');
  });

  it('keeps assignees to the caller scope', async () => {
    const response = await server.request<{ name: string }[]>('GET', '/api/customers/assignees', { token: outsider });
    expect(response.body.map((user) => user.name)).toEqual(['孙丽']);
  });
});
