import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, CustomerListResponse } from '@shared/api/customer.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs, customerBody, makeCreditCode, makeMobile, nextSerial } from './customer.test-support.js';

// Demo org: zhangwei01 and lina01 are reps of 华东片区 led by wanglei01; sunli01 is a rep of 华北片区;
// chenguodong01 is an executive; handong01 an admin; zhuhongmei01 finance.
let server: TestServer;
let zhangwei: string;
let lina: string;
let wanglei: string;
let sunli: string;
let executive: string;

type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

beforeAll(async () => {
  server = await startTestServer();
  zhangwei = await server.login('zhangwei01');
  lina = await server.login('lina01');
  wanglei = await server.login('wanglei01');
  sunli = await server.login('sunli01');
  executive = await server.login('chenguodong01');
});

afterAll(async () => {
  await server?.close();
});

describe('POST /api/customers', () => {
  it('creates a customer owned by the rep with pinyin keys, contact, stage history and timeline', async () => {
    const response = await server.request<Customer>('POST', '/api/customers', { token: zhangwei, body: customerBody({ name: '南京新华书店鼓楼分店', shortName: '鼓楼新华' }) });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: '南京新华书店鼓楼分店', stage: 'potential', inPool: false, owner: { name: '张伟' } });
    expect(response.body.region?.label).toBe('江苏省 南京市 鼓楼区');
    const row = await server.db.selectFrom('customer').selectAll().where('id', '=', response.body.id).executeTakeFirstOrThrow();
    expect(row.name_initials).toBe('njxhsdglfd');
    expect(row.name_pinyin).toBe('nanjingxinhuashudianguloufendian');
    expect(row.department_id).not.toBeNull();
    const contacts = await server.db.selectFrom('contact').selectAll().where('customer_id', '=', row.id).execute();
    expect(contacts).toHaveLength(1);
    const history = await server.db.selectFrom('customer_stage_change').selectAll().where('customer_id', '=', row.id).execute();
    expect(history).toMatchObject([{ from_stage: null, to_stage: 'potential' }]);
  });

  it('refuses an invalid credit code, an unknown region and a bad mobile with field messages in Chinese', async () => {
    const badCode = await server.request<ErrorBody>('POST', '/api/customers', { token: zhangwei, body: customerBody({ creditCode: '91320106000000001X' }) });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.message).toMatch(/统一社会信用代码/);

    const badRegion = await server.request<ErrorBody>('POST', '/api/customers', { token: zhangwei, body: customerBody({ regionCode: '329999' }) });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.code).toBe('unknown_region');

    const badMobile = await server.request<ErrorBody>('POST', '/api/customers', { token: zhangwei, body: customerBody({ contacts: [{ name: '李', mobile: '1234' }] }) });
    expect(badMobile.status).toBe(400);
    expect(badMobile.body.error.message).toMatch(/手机号/);
  });

  it('accepts a school without a credit code but not a store', async () => {
    const school = await server.request('POST', '/api/customers', { token: zhangwei, body: customerBody({ type: 'school', creditCode: '', name: `南京市第${nextSerial()}中学` }) });
    expect(school.status).toBe(201);
    const store = await server.request<ErrorBody>('POST', '/api/customers', { token: zhangwei, body: customerBody({ creditCode: '' }) });
    expect(store.status).toBe(400);
    expect(store.body.error.message).toMatch(/统一社会信用代码/);
  });
});

describe('duplicate check', () => {
  it('tells a rep of another team only the owner, stage and since when, for name, credit code and mobile', async () => {
    const serial = nextSerial();
    const original = await createCustomerAs(server, zhangwei, { name: `苏州文化${serial}（书城）股份有限公司`, creditCode: makeCreditCode(serial), contacts: [{ name: '赵', mobile: makeMobile(serial) }] });

    const sameName = await server.request<ErrorBody>('POST', '/api/customers', { token: sunli, body: customerBody({ name: ` 苏州文化${serial}(书城) ` }) });
    const sameCode = await server.request<ErrorBody>('POST', '/api/customers', { token: sunli, body: customerBody({ creditCode: makeCreditCode(serial) }) });
    const sameMobile = await server.request<ErrorBody>('POST', '/api/customers', { token: sunli, body: customerBody({ contacts: [{ name: '钱', mobile: `+86 ${makeMobile(serial)}` }] }) });

    for (const [response, matchedBy] of [[sameName, 'name'], [sameCode, 'credit_code'], [sameMobile, 'mobile']] as const) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('customer_duplicate');
      expect(response.body.error.message).toMatch(/负责人 张伟，阶段：潜在客户，自 \d{4}-\d{2}-\d{2} 起负责/);
      expect(response.body.error.details).toEqual({ matchedBy, inPool: false, ownerName: '张伟', stage: 'potential', ownedSince: expect.any(String), customerId: null });
      expect(JSON.stringify(response.body)).not.toContain(original.name);
      expect(JSON.stringify(response.body)).not.toContain(makeMobile(serial));
    }
    const count = await server.db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('n')).where('name_key', 'like', `%${serial}%`).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('yields one record when two reps create the same customer at the same moment', async () => {
    const body = customerBody();
    const [first, second] = await Promise.all([
      server.request('POST', '/api/customers', { token: zhangwei, body }),
      server.request('POST', '/api/customers', { token: sunli, body: { ...body, contacts: [] } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const rows = await server.db.selectFrom('customer').select('id').where('name', '=', String(body.name)).execute();
    expect(rows).toHaveLength(1);
  });

  it('lets the blocked rep ask the owner to be collaborator, and the owner accept', async () => {
    const original = await createCustomerAs(server, zhangwei);
    const request = await server.request<{ id: number; customer: unknown; status: string }>('POST', '/api/customers/collaboration-requests', { token: sunli, body: { name: original.name, message: '我在北京对接他们的采购' } });
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({ status: 'pending', customer: null });

    const incoming = await server.request<{ id: number; customer: { name: string } }[]>('GET', '/api/customers/collaboration-requests?box=incoming', { token: zhangwei });
    expect(incoming.body.find((item) => item.id === request.body.id)?.customer.name).toBe(original.name);
    const foreign = await server.request('POST', `/api/customers/collaboration-requests/${request.body.id}/decision`, { token: lina, body: { accept: true } });
    expect(foreign.status).toBe(404);

    const decided = await server.request('POST', `/api/customers/collaboration-requests/${request.body.id}/decision`, { token: zhangwei, body: { accept: true, canEdit: false } });
    expect(decided.status).toBe(200);
    const detail = await server.request<Customer>('GET', `/api/customers/${original.id}`, { token: sunli });
    expect(detail.status).toBe(200);
    expect(detail.body.permissions.canEdit).toBe(false);
    const notices = await server.db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', `collaboration-request:${request.body.id}:%`).execute();
    expect(notices).toHaveLength(2);
  });
});

describe('GET /api/customers', () => {
  it('finds customers by pinyin initials, full pinyin, short name, credit code and contact mobile', async () => {
    const serial = nextSerial();
    const created = await createCustomerAs(server, zhangwei, { name: `扬州新华书店${serial}`, shortName: `扬新${serial}`, creditCode: makeCreditCode(serial), contacts: [{ name: '周', mobile: makeMobile(serial) }] });
    const search = async (q: string) => (await server.request<CustomerListResponse>('GET', `/api/customers?q=${encodeURIComponent(q)}&limit=50`, { token: zhangwei })).body.items.map((item) => item.id);

    expect(await search('yzxhsd')).toContain(created.id);
    expect(await search('yangzhouxinhua')).toContain(created.id);
    expect(await search(`扬新${serial}`)).toContain(created.id);
    expect(await search(makeCreditCode(serial).toLowerCase())).toContain(created.id);
    expect(await search(makeMobile(serial).slice(0, 7))).toContain(created.id);
  });

  it('shows a rep only their own customers, a manager the team, an executive all', async () => {
    const mine = await createCustomerAs(server, zhangwei);
    const other = await createCustomerAs(server, sunli);
    const ids = async (token: string) => (await server.request<CustomerListResponse>('GET', '/api/customers?limit=100', { token })).body.items.map((item) => item.id);

    expect(await ids(zhangwei)).toContain(mine.id);
    expect(await ids(zhangwei)).not.toContain(other.id);
    expect(await ids(lina)).not.toContain(mine.id);
    expect(await ids(wanglei)).toContain(mine.id);
    expect(await ids(wanglei)).not.toContain(other.id);
    expect(await ids(executive)).toEqual(expect.arrayContaining([mine.id, other.id]));
  });

  it('filters by type, stage, region and not-followed-up days, and pages with hasMore and total', async () => {
    await createCustomerAs(server, lina, { type: 'library', regionCode: '320583' });
    const response = await server.request<CustomerListResponse>('GET', '/api/customers?type=library&regionCode=3205&stage=potential&notFollowedDays=1&limit=1&withTotal=true', { token: lina });
    expect(response.status).toBe(200);
    // Created just now: not yet "not followed up for a day".
    expect(response.body.total).toBe(0);

    const byRegion = await server.request<CustomerListResponse>('GET', '/api/customers?type=library&regionCode=3205&withTotal=true&limit=1', { token: lina });
    expect(byRegion.body.total).toBeGreaterThanOrEqual(1);
    expect(byRegion.body.items[0]?.regionLabel).toBe('江苏省 苏州市 昆山市');
  });
});

describe('GET /api/customers/:id', () => {
  it('answers 404 to a rep of another team and to a rep of the same team, 200 to the manager', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    expect((await server.request('GET', `/api/customers/${customer.id}`, { token: sunli })).status).toBe(404);
    expect((await server.request('GET', `/api/customers/${customer.id}`, { token: lina })).status).toBe(404);
    expect((await server.request('GET', `/api/customers/${customer.id}/contacts`, { token: sunli })).status).toBe(404);
    expect((await server.request('GET', `/api/customers/${customer.id}/timeline`, { token: sunli })).status).toBe(404);
    expect((await server.request('GET', `/api/customers/${customer.id}/discount-agreements`, { token: sunli })).status).toBe(404);
    expect((await server.request('GET', `/api/customers/${customer.id}/stage-history`, { token: sunli })).status).toBe(404);
    expect((await server.request('GET', `/api/customers/${customer.id}/credit`, { token: sunli })).status).toBe(404);
    expect((await server.request('PATCH', `/api/customers/${customer.id}`, { token: sunli, body: { version: 1, notes: 'x' } })).status).toBe(404);
    expect((await server.request('POST', `/api/customers/${customer.id}/release`, { token: sunli, body: { reason: '不跟了' } })).status).toBe(404);
    expect((await server.request('POST', `/api/customers/${customer.id}/contacts`, { token: sunli, body: { name: '甲', mobile: makeMobile(nextSerial()) } })).status).toBe(404);
    const manager = await server.request<Customer>('GET', `/api/customers/${customer.id}`, { token: wanglei });
    expect(manager.status).toBe(200);
    expect(manager.body.permissions).toMatchObject({ canEdit: true, canTransfer: true, canEditDiscount: true });
  });
});

describe('PATCH /api/customers/:id', () => {
  it('updates with the current version, recomputes pinyin, and refuses a stale version', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const updated = await server.request<Customer>('PATCH', `/api/customers/${customer.id}`, { token: zhangwei, body: { version: customer.version, name: `无锡博库书城${nextSerial()}` } });
    expect(updated.status).toBe(200);
    const row = await server.db.selectFrom('customer').select(['name_initials', 'version']).where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.name_initials.startsWith('wxbksc')).toBe(true);

    const stale = await server.request<ErrorBody>('PATCH', `/api/customers/${customer.id}`, { token: zhangwei, body: { version: customer.version, notes: '旧版本' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('customer_version_conflict');
  });

  it('refuses a rep changing the credit limit', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const response = await server.request('PATCH', `/api/customers/${customer.id}`, { token: zhangwei, body: { version: customer.version, creditLimitFen: 100_000_00 } });
    expect(response.status).toBe(403);
  });
});

describe('POST /api/customers/:id/stage', () => {
  it('records who changed the stage and why, and refuses lost without a reason', async () => {
    const customer = await createCustomerAs(server, zhangwei);
    const target = await server.request<Customer>('POST', `/api/customers/${customer.id}/stage`, { token: zhangwei, body: { stage: 'target', version: customer.version, reason: '已确认采购意向' } });
    expect(target.status).toBe(200);
    expect(target.body.stage).toBe('target');
    const lost = await server.request('POST', `/api/customers/${customer.id}/stage`, { token: zhangwei, body: { stage: 'lost', version: target.body.version } });
    expect(lost.status).toBe(400);

    const history = await server.request<{ toStage: string; actor: { name: string }; reason: string }[]>('GET', `/api/customers/${customer.id}/stage-history`, { token: zhangwei });
    expect(history.body[0]).toMatchObject({ toStage: 'target', actor: { name: '张伟' }, reason: '已确认采购意向' });
  });
});
