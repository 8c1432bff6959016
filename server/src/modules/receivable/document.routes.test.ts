import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { ReceivableTestClient } from './receivable.route-support.js';

let server: TestServer;
let client: ReceivableTestClient;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  client = new ReceivableTestClient(server);
});

afterAll(async () => {
  await server.close();
});

const books = {
  canal: { isbn: '9787020002207', title: '运河人家', listPriceFen: 4500 },
  yearbook: { isbn: '9787536692930', title: '江南文艺年鉴', listPriceFen: 9800 },
};

function shipmentBody(customerId: number, lines: { isbn: string; title: string; listPriceFen: number; quantity: number; discount: number }[], extra: Record<string, unknown> = {}) {
  return { customerId, shippedDate: '2026-01-05', lines, ...extra };
}

describe('POST /receivables/shipments', () => {
  it('computes 码洋 and 实洋 per line and books the 实洋', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-06-30', amountFen: 100_000 }]);

    const response = await client.call('zhangwei01', 'POST', '/receivables/shipments', shipmentBody(customerId, [{ ...books.canal, quantity: 3, discount: 6150 }, { ...books.yearbook, quantity: 10, discount: 6200 }]));

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    // 45.00 × 3 × 0.615 = 83.025 → 83.03; 98.00 × 10 × 0.62 = 607.60
    expect(response.body.shipment.netAmountFen).toBe(8303 + 60_760);
    expect(response.body.shipment.listAmountFen).toBe(13_500 + 98_000);
    const entry = await server.db.selectFrom('receivable_entry').select(['kind', 'amount_fen', 'list_amount_fen']).where('customer_id', '=', customerId).executeTakeFirstOrThrow();
    expect(entry).toEqual({ kind: 'shipment', amount_fen: 69_063, list_amount_fen: 111_500 });
  });

  it('rejects a repeated shipment number', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-06-30', amountFen: 100_000 }]);
    await client.call('zhangwei01', 'POST', '/receivables/shipments', shipmentBody(customerId, [{ ...books.canal, quantity: 1, discount: 6000 }], { number: 'FX-0001' }));

    const again = await client.call('zhangwei01', 'POST', '/receivables/shipments', shipmentBody(customerId, [{ ...books.canal, quantity: 1, discount: 6000 }], { number: 'FX-0001' }));

    expect(again.status).toBe(409);
  });

  it('hides the customer of another team', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-06-30', amountFen: 100_000 }]);

    const response = await client.call('luobin01', 'POST', '/receivables/shipments', shipmentBody(customerId, [{ ...books.canal, quantity: 1, discount: 6000 }]));

    expect(response.status).toBe(404);
  });
});

describe('POST /receivables/returns', () => {
  async function shipped() {
    const parties = await client.customerWithPlans('lina01', [{ seq: 1, dueDate: '2026-02-28', amountFen: 300_000 }, { seq: 2, dueDate: '2026-05-31', amountFen: 300_000 }]);
    await client.call('lina01', 'POST', '/receivables/shipments', shipmentBody(parties.customerId, [{ ...books.yearbook, quantity: 100, discount: 6000 }], { contractId: parties.contractId }));
    return parties;
  }

  it('confirms a small return and credits the last installment', async () => {
    const parties = await shipped();

    const response = await client.call('lina01', 'POST', '/receivables/returns', { customerId: parties.customerId, contractId: parties.contractId, returnDate: '2026-02-01', reason: '运输破损', lines: [{ ...books.yearbook, quantity: 10, discount: 6000 }] });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.returnOrder.status).toBe('confirmed');
    expect(response.body.returnOrder.creditedFen).toBe(58_800);
    const plans = await server.db.selectFrom('payment_plan').select(['seq', 'allocated_fen']).where('contract_id', '=', parties.contractId).orderBy('seq').execute();
    expect(plans).toEqual([
      { seq: 1, allocated_fen: 0 },
      { seq: 2, allocated_fen: 58_800 },
    ]);
  });

  it('sends a return above the share to 退货审批 and applies it on approval', async () => {
    const parties = await shipped();

    const response = await client.call('lina01', 'POST', '/receivables/returns', { customerId: parties.customerId, contractId: parties.contractId, returnDate: '2026-02-01', reason: '滞销退货', lines: [{ ...books.yearbook, quantity: 40, discount: 6000 }] });

    expect(response.body.returnOrder.status).toBe('pending_approval');
    expect(response.body.shareBp).toBe(4000);
    const before = await server.db.selectFrom('receivable_entry').select('kind').where('customer_id', '=', parties.customerId).where('kind', '=', 'return').execute();
    expect(before).toHaveLength(0);

    for (const userid of ['wanglei01', 'zhoujianhua01', 'gaoxiang01']) {
      const approved = await client.call(userid, 'POST', `/approvals/${response.body.returnOrder.approvalId}/approve`, {});
      expect(approved.status, `${userid}: ${JSON.stringify(approved.body)}`).toBe(200);
    }
    const after = await client.call('lina01', 'GET', `/receivables/returns/${response.body.returnOrder.id}`);
    expect(after.body.returnOrder.status).toBe('confirmed');
    expect(after.body.returnOrder.creditedFen).toBe(235_200);
  });

  it('lowers the customer’s return rate summary', async () => {
    const parties = await shipped();
    await client.call('lina01', 'POST', '/receivables/returns', { customerId: parties.customerId, contractId: parties.contractId, returnDate: '2026-02-01', reason: '破损', lines: [{ ...books.yearbook, quantity: 5, discount: 6000 }] });

    const summary = await client.call('wanglei01', 'GET', `/receivables/customers/${parties.customerId}/summary`);

    expect(summary.body.returnRateBp).toBe(500);
  });
});

describe('consignment', () => {
  async function consignmentCustomer() {
    const ownerId = await server.userId('hejing01');
    const parties = await client.customerWithPlans('hejing01', [{ seq: 1, dueDate: '2026-12-31', amountFen: 1 }]);
    const agreement = await client.call('yangfan01', 'PUT', `/receivables/consignment/${parties.customerId}/agreement`, { returnWindowDays: 90, warnDaysBefore: 15, paymentDays: 30, active: true });
    expect(agreement.status, JSON.stringify(agreement.body)).toBe(200);
    await client.call('hejing01', 'POST', '/receivables/shipments', shipmentBody(parties.customerId, [{ ...books.canal, quantity: 50, discount: 6000 }], { shippedDate: '2025-12-01' }));
    await client.call('hejing01', 'POST', '/receivables/shipments', shipmentBody(parties.customerId, [{ ...books.canal, quantity: 30, discount: 6500 }], { shippedDate: '2026-01-10' }));
    return { ...parties, ownerId };
  }

  it('keeps consignment shipments out of what is owed', async () => {
    const { customerId } = await consignmentCustomer();

    const entries = await server.db.selectFrom('receivable_entry').select('id').where('customer_id', '=', customerId).execute();
    const stock = await client.call('hejing01', 'GET', `/receivables/consignment/${customerId}/stock`);

    expect(entries).toHaveLength(0);
    expect(stock.body.unsoldQuantity).toBe(80);
    expect(stock.body.items[0].returnWindowEnd).toBe('2026-03-01');
  });

  it('bills sold copies oldest shipment first and creates the plan', async () => {
    const { customerId } = await consignmentCustomer();

    const preview = await client.call('hejing01', 'POST', '/receivables/consignment/settlements', { customerId, periodFrom: '2026-02-01', periodTo: '2026-02-28', dryRun: true, lines: [{ isbn: books.canal.isbn, quantity: 60 }] });
    const settled = await client.call('hejing01', 'POST', '/receivables/consignment/settlements', { customerId, periodFrom: '2026-02-01', periodTo: '2026-02-28', lines: [{ isbn: books.canal.isbn, quantity: 60 }] });

    expect(preview.body.id).toBeNull();
    // 50 × 45.00 × 0.60 + 10 × 45.00 × 0.65
    expect(settled.body.netAmountFen).toBe(135_000 + 29_250);
    expect(settled.body.dueDate).toBe('2026-03-30');
    const plan = await server.db.selectFrom('payment_plan').selectAll().where('id', '=', settled.body.planId).executeTakeFirstOrThrow();
    expect(plan.amount_fen).toBe(164_250);
    const stock = await client.call('hejing01', 'GET', `/receivables/consignment/${customerId}/stock`);
    expect(stock.body.unsoldQuantity).toBe(20);
  });

  it('refuses to bill more than the store holds', async () => {
    const { customerId } = await consignmentCustomer();

    const response = await client.call('hejing01', 'POST', '/receivables/consignment/settlements', { customerId, periodFrom: '2026-02-01', periodTo: '2026-02-28', lines: [{ isbn: books.canal.isbn, quantity: 81 }] });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('consignment_stock_short');
  });

  it('warns the owner before the return window closes', async () => {
    const { customerId, ownerId } = await consignmentCustomer();
    const { warnConsignmentWindows } = await import('./consignment.service.js');

    await warnConsignmentWindows(server.db, { today: '2026-02-20', now: new Date(), publicUrl: 'https://crm.example.com' });
    await warnConsignmentWindows(server.db, { today: '2026-02-21', now: new Date(), publicUrl: 'https://crm.example.com' });

    const notices = await server.db.selectFrom('outbox').select(['dedup_key', 'recipient_user_id']).where('dedup_key', 'like', 'consignment-window:%').where('recipient_user_id', '=', ownerId).execute();
    const shipment = await server.db.selectFrom('shipment').select('id').where('customer_id', '=', customerId).orderBy('shipped_date').executeTakeFirstOrThrow();
    expect(notices.map((notice) => notice.dedup_key)).toContain(`consignment-window:${shipment.id}:${ownerId}`);
    expect(notices.filter((notice) => notice.dedup_key === `consignment-window:${shipment.id}:${ownerId}`)).toHaveLength(1);
  });
});

describe('POST /receivables/shipments/import', () => {
  it('groups rows by number and skips a number already recorded', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-06-30', amountFen: 100_000 }], { name: '嘉兴新华书店有限公司' });
    const csv = [
      '发货单号,客户名称,发货日期,ISBN,书名,数量,定价,折扣',
      `FH-IMP-1,嘉兴新华书店有限公司,2026-02-01,${books.canal.isbn},运河人家,10,45.00,6.2`,
      `FH-IMP-1,嘉兴新华书店有限公司,2026-02-01,${books.yearbook.isbn},江南文艺年鉴,5,98.00,62%`,
      `FH-IMP-2,嘉兴新华书店有限公司,2026/2/3,${books.canal.isbn},运河人家,4,45,6.2折`,
      `FH-IMP-3,没有这个客户,2026-02-03,${books.canal.isbn},运河人家,4,45,6.2`,
    ].join('\n');

    const dry = await client.upload('zhangwei01', '/receivables/shipments/import?dryRun=true', { name: '发货.csv', content: csv });
    const real = await client.upload('zhangwei01', '/receivables/shipments/import?dryRun=false', { name: '发货.csv', content: csv });
    const again = await client.upload('zhangwei01', '/receivables/shipments/import?dryRun=false', { name: '发货.csv', content: csv });

    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.rows.map((row: { status: string }) => row.status)).toEqual(['new', 'new', 'error']);
    expect(real.body.created).toBe(2);
    expect(again.body.duplicates).toBe(2);
    const shipments = await server.db.selectFrom('shipment').select(['number', 'net_amount_fen']).where('customer_id', '=', customerId).orderBy('number').execute();
    expect(shipments).toEqual([
      { number: 'FH-IMP-1', net_amount_fen: 27_900 + 30_380 },
      { number: 'FH-IMP-2', net_amount_fen: 11_160 },
    ]);
  });
});
