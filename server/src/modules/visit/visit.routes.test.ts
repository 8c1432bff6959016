import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookInputSchema } from '@shared/api/book.js';
import type { Visit } from '@shared/api/visit.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createBook } from '../book/book.service.js';
import { loadActor } from '../org/org.service.js';
import { putSetting } from '../settings/settings.service.js';
import { createTestCustomer, pointNorthOf } from './visit.test-support.js';

// Demo org: zhangwei01 and lina01 are reps of 华东片区 led by wanglei01; sunli01 is a rep of 华北片区.
let server: TestServer;
let zhangwei: string;
let lina: string;
let wanglei: string;
let sunli: string;
let keySeq = 0;
const origin = { lat: 32.0603, lng: 118.7969 };

const newKey = () => `visit-test-${Date.now()}-${(keySeq += 1)}`;

beforeAll(async () => {
  server = await startTestServer();
  zhangwei = await server.login('zhangwei01');
  lina = await server.login('lina01');
  wanglei = await server.login('wanglei01');
  sunli = await server.login('sunli01');
  const manager = await loadActor(server.db, await server.userId('wanglei01'));
  await createBook(server.db, manager!, bookInputSchema.parse({ isbn: '9787503717444', title: '中国发展报告', category: 'academic', listPriceFen: 6800 }), new Date());
  await createBook(server.db, manager!, bookInputSchema.parse({ isbn: '7-5037-2020-4', title: '中国发展报告（续）', category: 'academic', listPriceFen: 8000 }), new Date());
});

afterAll(async () => {
  await server?.close();
});

async function checkIn(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return server.request<Visit & { error?: { code: string; message: string } }>('POST', '/api/visits', { token, body, headers: { 'idempotency-key': newKey(), ...headers } });
}

describe('POST /api/visits (check-in)', () => {
  it('near check-in records distance, timeline and follow-up time', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const response = await checkIn(zhangwei, { customerId: customer.id, purpose: 'new_title', location: pointNorthOf(origin, 120) });

    expect(response.status).toBe(201);
    expect(response.body.checkIn).toMatchObject({ locationStatus: 'near', flagged: false, delayedUpload: false, radiusM: 500 });
    expect(response.body.checkIn.distanceM).toBeGreaterThanOrEqual(118);
    expect(response.body.checkIn.distanceM).toBeLessThanOrEqual(122);
    expect(response.body).toMatchObject({ status: 'checked_in', customerName: customer.name, editable: true });
    const customerRow = await server.db.selectFrom('customer').select('last_followed_up_at').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(customerRow.last_followed_up_at).toBe(response.body.checkIn.at);
    const timeline = await server.db.selectFrom('customer_timeline').selectAll().where('customer_id', '=', customer.id).where('kind', '=', 'visit').execute();
    expect(timeline).toHaveLength(1);
    expect(timeline[0]).toMatchObject({ ref_type: 'visit', ref_id: String(response.body.id) });
  });

  it('far check-in needs a reason and is flagged', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const far = pointNorthOf(origin, 2300);

    const refused = await checkIn(zhangwei, { customerId: customer.id, location: far });
    const accepted = await checkIn(zhangwei, { customerId: customer.id, location: far, flagReason: '客户临时改在分馆见面' });

    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'flag_reason_required' });
    expect(refused.body.error?.message).toContain('2.3 公里');
    expect(accepted.status).toBe(201);
    expect(accepted.body.checkIn).toMatchObject({ locationStatus: 'far', flagged: true, flagReason: '客户临时改在分馆见面' });
  });

  it('check-in without location is flagged', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const response = await checkIn(zhangwei, { customerId: customer.id, location: null, locationFailure: '定位超时', flagReason: '地下书库没有信号' });

    expect(response.status).toBe(201);
    expect(response.body.checkIn).toMatchObject({ location: null, locationStatus: 'device_unlocated', distanceM: null, flagged: true, locationFailure: '定位超时' });
  });

  it('raw GPS position is converted to GCJ-02', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    // The same spot as raw GPS reads about 500 m off in Nanjing; converted, it is on site.
    const rawGps = { latitude: 32.0622, longitude: 118.7916, accuracyMeters: 20, coordinateSystem: 'wgs84', address: null };

    const response = await checkIn(zhangwei, { customerId: customer.id, location: rawGps });

    expect(response.status).toBe(201);
    expect(response.body.checkIn.distanceM).toBeLessThan(100);
  });

  it('first precise check-in sets customer location', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01', { location: null });

    const response = await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 0), setCustomerLocation: true });

    expect(response.status).toBe(201);
    expect(response.body.checkIn).toMatchObject({ locationStatus: 'customer_unlocated', flagged: false, setCustomerLocation: true });
    const row = await server.db.selectFrom('customer').select(['latitude', 'longitude']).where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ latitude: origin.lat, longitude: origin.lng });
  });

  it('replayed key stores once, other body conflicts', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const key = newKey();
    const body = { customerId: customer.id, location: pointNorthOf(origin, 50) };

    const answers = [];
    for (let attempt = 0; attempt < 3; attempt += 1) answers.push(await server.request<Visit>('POST', '/api/visits', { token: zhangwei, body, headers: { 'idempotency-key': key } }));
    const conflicting = await server.request<{ error: { code: string } }>('POST', '/api/visits', { token: zhangwei, body: { ...body, purpose: 'collection' }, headers: { 'idempotency-key': key } });

    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.code).toBe('idempotency_key_reused');
    const rows = await server.db.selectFrom('visit').select('id').where('customer_id', '=', customer.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('missing Idempotency-Key is rejected', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const response = await server.request<{ error: { code: string } }>('POST', '/api/visits', { token: zhangwei, body: { customerId: customer.id, location: pointNorthOf(origin, 10) } });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('idempotency_key_required');
  });

  it('queued check-in dated by corrected tap time', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    // The phone's clock runs 7 minutes fast; the rep tapped 40 minutes before the phone could send.
    const phoneNow = new Date(Date.now() + 7 * 60_000);
    const tappedAt = new Date(phoneNow.getTime() - 40 * 60_000).toISOString();

    const response = await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 10), tappedAt }, { 'x-client-time': phoneNow.toISOString() });

    expect(response.status).toBe(201);
    expect(response.body.checkIn.delayedUpload).toBe(true);
    const minutesEarlier = (Date.parse(response.body.checkIn.receivedAt) - Date.parse(response.body.checkIn.at)) / 60_000;
    expect(minutesEarlier).toBeCloseTo(40, 0);
  });

  it('other team rep gets 404', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const response = await checkIn(sunli, { customerId: customer.id, location: pointNorthOf(origin, 10) });

    expect(response.status).toBe(404);
  });
});

describe('PUT /api/visits/:id (save and check out)', () => {
  it('save records contacts, shelf check, check-out once', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01', { contacts: [{ name: '周馆长', mobile: '13905171234' }] });
    const visit = (await checkIn(zhangwei, { customerId: customer.id, purpose: 'shelf_check', location: pointNorthOf(origin, 30) })).body;
    const contactId = (await server.request<{ contacts: { id: number }[] }>('GET', `/api/visits/check-in-target?customerId=${customer.id}`, { token: zhangwei })).body.contacts[0]!.id;
    const body = {
      purpose: 'shelf_check',
      contacts: [{ contactId, name: '周馆长' }, { name: '采编部小王' }],
      notes: '新书陈列在二楼社科区',
      outcome: '同意增订 30 册',
      nextStep: '寄送征订单',
      followUpDate: visit.checkIn.date,
      shelfChecks: [
        { isbn: '978-7-5037-1744-4', onShelf: true, facingCount: 3 },
        { isbn: '7503720204', onShelf: false, facingCount: 0 },
        { isbn: '9787020002207', onShelf: true, facingCount: 1, note: '外社图书' },
      ],
      checkOut: true,
    };

    const saved = await server.request<Visit>('PUT', `/api/visits/${visit.id}`, { token: zhangwei, body, headers: { 'idempotency-key': newKey() } });
    const savedAgain = await server.request<Visit>('PUT', `/api/visits/${visit.id}`, { token: zhangwei, body: { ...body, notes: '补充：馆长下周出差' }, headers: { 'idempotency-key': newKey() } });

    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ status: 'checked_out', outcome: '同意增订 30 册', followUpDate: visit.checkIn.date });
    expect(saved.body.contacts).toEqual([{ contactId, name: '周馆长' }, { contactId: null, name: '采编部小王' }]);
    expect(saved.body.shelfCheck.items).toEqual([
      expect.objectContaining({ isbn: '9787503717444', title: '中国发展报告', onShelf: true, facingCount: 3 }),
      expect.objectContaining({ isbn: '9787503720208', title: '中国发展报告（续）', onShelf: false }),
      expect.objectContaining({ isbn: '9787020002207', bookId: null, title: null, note: '外社图书' }),
    ]);
    expect(saved.body.durationMinutes).toBeGreaterThanOrEqual(0);
    expect(savedAgain.body.checkOutAt).toBe(saved.body.checkOutAt);
    expect(savedAgain.body.notes).toBe('补充：馆长下周出差');
  });

  it('missing focus and previously stocked titles listed', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    await putSetting(server.db, 'visit.settings', { checkInRadiusM: 500, focusIsbns: ['9787503720208'] }, null, new Date());
    const first = (await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 30) })).body;
    await server.request('PUT', `/api/visits/${first.id}`, { token: zhangwei, body: { purpose: 'shelf_check', shelfChecks: [{ isbn: '9787503717444', onShelf: true, facingCount: 2 }] }, headers: { 'idempotency-key': newKey() } });
    const second = (await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 30) })).body;

    const saved = await server.request<Visit>('PUT', `/api/visits/${second.id}`, { token: zhangwei, body: { purpose: 'shelf_check', shelfChecks: [{ isbn: '9787020002207', onShelf: true, facingCount: 1 }] }, headers: { 'idempotency-key': newKey() } });
    await putSetting(server.db, 'visit.settings', { checkInRadiusM: 500, focusIsbns: [] }, null, new Date());

    expect(saved.body.shelfCheck.missingExpected).toEqual([
      { isbn: '9787503720208', title: '中国发展报告（续）', source: 'focus' },
      { isbn: '9787503717444', title: '中国发展报告', source: 'previous_check' },
    ]);
  });

  it('invalid ISBN names its field', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const visit = (await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 30) })).body;

    const response = await server.request<{ error: { code: string; details: { field: string; message: string }[] } }>('PUT', `/api/visits/${visit.id}`, {
      token: zhangwei,
      body: { purpose: 'shelf_check', shelfChecks: [{ isbn: '9787503717445', onShelf: true, facingCount: 1 }] },
      headers: { 'idempotency-key': newKey() },
    });

    expect(response.status).toBe(400);
    expect(response.body.error.details[0]).toMatchObject({ field: 'shelfChecks.0.isbn', message: expect.stringContaining('校验位') });
  });

  it('manager reads, other reps get 404', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const visit = (await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 30) })).body;
    const body = { purpose: 'other', notes: '改一下' };

    const managerRead = await server.request<Visit>('GET', `/api/visits/${visit.id}`, { token: wanglei });
    const managerWrite = await server.request('PUT', `/api/visits/${visit.id}`, { token: wanglei, body, headers: { 'idempotency-key': newKey() } });
    const teammateRead = await server.request('GET', `/api/visits/${visit.id}`, { token: lina });
    const otherTeamRead = await server.request('GET', `/api/visits/${visit.id}`, { token: sunli });
    const otherTeamWrite = await server.request('PUT', `/api/visits/${visit.id}`, { token: sunli, body, headers: { 'idempotency-key': newKey() } });

    expect(managerRead.status).toBe(200);
    expect(managerRead.body.editable).toBe(false);
    expect(managerWrite.status).toBe(403);
    expect(teammateRead.status).toBe(404);
    expect(otherTeamRead.status).toBe(404);
    expect(otherTeamWrite.status).toBe(404);
  });
});

describe('GET /api/visits', () => {
  it('list follows data scope', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const visit = (await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 30) })).body;

    const own = await server.request<{ items: { id: number }[] }>('GET', '/api/visits?limit=100', { token: zhangwei });
    const manager = await server.request<{ items: { id: number }[] }>('GET', '/api/visits?limit=100', { token: wanglei });
    const otherTeam = await server.request<{ items: { id: number }[] }>('GET', `/api/visits?customerId=${customer.id}`, { token: sunli });

    expect(own.body.items.map((item) => item.id)).toContain(visit.id);
    expect(manager.body.items.map((item) => item.id)).toContain(visit.id);
    expect(otherTeam.status).toBe(200);
    expect(otherTeam.body.items).toEqual([]);
  });

  it('pages newest first by nextBefore', async () => {
    const first = await server.request<{ items: { id: number }[]; nextBefore: number | null }>('GET', '/api/visits?limit=2', { token: zhangwei });
    const second = await server.request<{ items: { id: number }[] }>('GET', `/api/visits?limit=2&before=${first.body.nextBefore}`, { token: zhangwei });

    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]!.id).toBeGreaterThan(first.body.items[1]!.id);
    expect(second.body.items[0]!.id).toBeLessThan(first.body.items[1]!.id);
  });
});

describe('follow-ups', () => {
  it('due follow-up listed until completed', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');
    const visit = (await checkIn(zhangwei, { customerId: customer.id, location: pointNorthOf(origin, 30) })).body;
    await server.request('PUT', `/api/visits/${visit.id}`, { token: zhangwei, body: { purpose: 'collection', nextStep: '对账后催收第二期', followUpDate: visit.checkIn.date }, headers: { 'idempotency-key': newKey() } });

    const due = await server.request<{ items: { visitId: number }[] }>('GET', '/api/visits/follow-ups', { token: zhangwei });
    const byOther = await server.request('POST', `/api/visits/${visit.id}/follow-up/complete`, { token: sunli });
    const completed = await server.request<Visit>('POST', `/api/visits/${visit.id}/follow-up/complete`, { token: zhangwei });
    const after = await server.request<{ items: { visitId: number }[] }>('GET', '/api/visits/follow-ups', { token: zhangwei });

    expect(due.body.items.map((item) => item.visitId)).toContain(visit.id);
    expect(byOther.status).toBe(404);
    expect(completed.body.followUpDoneAt).not.toBeNull();
    expect(after.body.items.map((item) => item.visitId)).not.toContain(visit.id);
  });
});

describe('GET /api/visits/check-in-target', () => {
  it('target for owner, 404 for other team', async () => {
    const customer = await createTestCustomer(server, 'zhangwei01');

    const own = await server.request<{ location: unknown; radiusM: number }>('GET', `/api/visits/check-in-target?customerId=${customer.id}`, { token: zhangwei });
    const other = await server.request('GET', `/api/visits/check-in-target?customerId=${customer.id}`, { token: sunli });

    expect(own.body).toMatchObject({ location: { latitude: origin.lat, longitude: origin.lng }, radiusM: 500 });
    expect(other.status).toBe(404);
  });
});

describe('GET /api/openapi.json', () => {
  it('documents the visit endpoints, uploads included', async () => {
    const response = await server.request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/openapi.json');

    const paths = response.body.paths;
    expect(Object.keys(paths['/api/visits'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(paths['/api/visits/{id}'] ?? {})).toEqual(expect.arrayContaining(['get', 'put']));
    expect(Object.keys(paths['/api/visits/{id}/photos'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/visits/{id}/photos/{photoId}'] ?? {})).toEqual(['get']);
    expect(paths['/api/visits/team']).toBeDefined();
    expect(paths['/api/visit-plans']).toBeDefined();
  });
});
