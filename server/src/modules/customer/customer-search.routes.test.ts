import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, Customer, CustomerListResponse } from '@shared/api/customer.js';
import { up as backfillLandlineSearch } from '../../db/migrations/0016_customer_landline_search.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs, makeMobile, nextSerial } from './customer.test-support.js';

// 张伟 (zhangwei01, 华东) owns the customers; 孙丽 (sunli01, 华北) is a rep of another team.
let server: TestServer;
let owner: string;
let outsider: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.login('zhangwei01');
  outsider = await server.login('sunli01');
});

afterAll(async () => {
  await server?.close();
});

async function searchIds(token: string, q: string): Promise<number[]> {
  const response = await server.request<CustomerListResponse>('GET', `/api/customers?q=${encodeURIComponent(q)}&limit=100`, { token });
  expect(response.status).toBe(200);
  return response.body.items.map((item) => item.id);
}

describe('customer search by contact landline', () => {
  it('finds landline with and without area code', async () => {
    const customer = await createCustomerAs(server, owner, { contacts: [{ name: '周馆长', landline: '0571-87654321-808', isKey: true }] });

    for (const q of ['87654321', '057187654321', '0571-87654321', '0571 8765 4321', '8765432']) {
      expect({ q, found: (await searchIds(owner, q)).includes(customer.id) }).toEqual({ q, found: true });
    }
    expect(await searchIds(owner, '057187654320')).not.toContain(customer.id);
    expect(await searchIds(outsider, '87654321')).not.toContain(customer.id);
  });

  it('splits unseparated Beijing number', async () => {
    const customer = await createCustomerAs(server, owner, { contacts: [{ name: '郑主任', landline: '01062345678' }] });
    expect(await searchIds(owner, '62345678')).toContain(customer.id);
    expect(await searchIds(owner, '010-62345678')).toContain(customer.id);
  });

  it('follows contact add, edit, delete', async () => {
    const customer = await createCustomerAs(server, owner);
    const added = await server.request<Contact>('POST', `/api/customers/${customer.id}/contacts`, { token: owner, body: { name: '吴老师', landline: '025-83241234' } });
    expect(added.status).toBe(201);
    expect(await searchIds(owner, '83241234')).toContain(customer.id);

    const edited = await server.request<Contact>('PUT', `/api/contacts/${added.body.id}`, { token: owner, body: { name: '吴老师', landline: '025-83249999' } });
    expect(edited.status).toBe(200);
    expect(await searchIds(owner, '83241234')).not.toContain(customer.id);
    expect(await searchIds(owner, '02583249999')).toContain(customer.id);

    const removed = await server.request('DELETE', `/api/contacts/${added.body.id}`, { token: owner });
    expect(removed.status).toBe(200);
    expect(await searchIds(owner, '83249999')).not.toContain(customer.id);
  });

  it('keeps landline after rename', async () => {
    const created = await createCustomerAs(server, owner, { contacts: [{ name: '冯经理', mobile: makeMobile(nextSerial()), landline: '0512-65123456' }] });
    const detail = await server.request<Customer>('GET', `/api/customers/${created.id}`, { token: owner });
    const renamed = await server.request<Customer>('PATCH', `/api/customers/${created.id}`, { token: owner, body: { version: detail.body.version, name: `苏州测试书店${nextSerial()}有限公司` } });
    expect(renamed.status).toBe(200);
    expect(await searchIds(owner, '051265123456')).toContain(created.id);
    expect(await searchIds(owner, '苏州测试书店')).toContain(created.id);
  });

  it('backfills existing landlines', async () => {
    const customer = await createCustomerAs(server, owner);
    // A landline written around the services, as rows stored before migration 0016 were.
    await server.db.updateTable('contact').set({ landline: '0755-26543210' }).where('customer_id', '=', customer.id).execute();
    expect(await searchIds(owner, '26543210')).not.toContain(customer.id);

    await backfillLandlineSearch(server.db as never);
    expect(await searchIds(owner, '26543210')).toContain(customer.id);
    expect(await searchIds(owner, '075526543210')).toContain(customer.id);
  });
});
