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

const twoInstallments = [
  { seq: 1, dueDate: '2026-01-31', amountFen: 300_000 },
  { seq: 2, dueDate: '2026-02-28', amountFen: 200_000 },
];

function receiptBody(customerId: number, amountFen: number, extra: Record<string, unknown> = {}) {
  return { customerId, receivedDate: '2026-03-05', amountFen, payerName: '杭州晓风书屋有限公司', method: 'bank_transfer', ...extra };
}

describe('POST /receivables/receipts', () => {
  it('allocates oldest due first and leaves the rest unallocated', async () => {
    const { customerId, planIds } = await client.customerWithPlans('zhangwei01', twoInstallments);

    const response = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 600_000));

    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.receipt.allocatedFen).toBe(500_000);
    expect(response.body.receipt.unallocatedFen).toBe(100_000);
    const plans = await server.db.selectFrom('payment_plan').select(['id', 'allocated_fen', 'status']).where('id', 'in', planIds).orderBy('id').execute();
    expect(plans.map((plan) => [plan.allocated_fen, plan.status])).toEqual([
      [300_000, 'received'],
      [200_000, 'received'],
    ]);
  });

  it('books the receipt in the ledger and tells the owner', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', twoInstallments);

    const response = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 100_000));

    const entry = await server.db.selectFrom('receivable_entry').selectAll().where('customer_id', '=', customerId).executeTakeFirstOrThrow();
    expect(entry.kind).toBe('receipt');
    expect(entry.amount_fen).toBe(-100_000);
    expect(entry.posting_month).toBe('2026-03');
    const notice = await server.db.selectFrom('outbox').selectAll().where('dedup_key', '=', `receipt:${response.body.receipt.id}:owner`).executeTakeFirst();
    expect(notice?.recipient_user_id).toBe(await server.userId('zhangwei01'));
  });

  it('rejects a second receipt with the same bank reference', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', twoInstallments);
    await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 1000, { bankReference: 'REF-DUP-1' }));

    const again = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 1000, { bankReference: 'REF-DUP-1' }));

    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('bank_reference_duplicate');
  });

  it('refuses a rep', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', twoInstallments);

    const response = await client.call('zhangwei01', 'POST', '/receivables/receipts', receiptBody(customerId, 1000));

    expect(response.status).toBe(403);
  });
});

describe('POST /receivables/receipts/:id/allocations', () => {
  it('refuses more than the plan lacks', async () => {
    const { customerId, planIds } = await client.customerWithPlans('zhangwei01', twoInstallments);
    const receipt = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 900_000, { allocation: { mode: 'none' } }));

    const response = await client.call('gaoxiang01', 'POST', `/receivables/receipts/${receipt.body.receipt.id}/allocations`, { allocations: [{ planId: planIds[0], amountFen: 300_001 }] });

    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('allocation_exceeds_plan');
  });

  it('lets only one of two concurrent requests fill a plan', async () => {
    const { customerId, planIds } = await client.customerWithPlans('zhangwei01', twoInstallments);
    const first = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 300_000, { allocation: { mode: 'none' } }));
    const second = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 300_000, { allocation: { mode: 'none' } }));

    const results = await Promise.all(
      [first, second].map((receipt) => client.call('zhuhongmei01', 'POST', `/receivables/receipts/${receipt.body.receipt.id}/allocations`, { allocations: [{ planId: planIds[0], amountFen: 300_000 }] })),
    );

    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const plan = await server.db.selectFrom('payment_plan').select('allocated_fen').where('id', '=', planIds[0]!).executeTakeFirstOrThrow();
    expect(plan.allocated_fen).toBe(300_000);
    const allocations = await server.db.selectFrom('allocation').select('id').where('plan_id', '=', planIds[0]!).execute();
    expect(allocations).toHaveLength(1);
  });
});

describe('POST /receivables/receipts/:id/reverse', () => {
  it('undoes the allocations and books a reversal', async () => {
    const { customerId, planIds } = await client.customerWithPlans('zhangwei01', twoInstallments);
    const receipt = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 350_000));

    const response = await client.call('zhuhongmei01', 'POST', `/receivables/receipts/${receipt.body.receipt.id}/reverse`, { reason: '客户退回重复付款' });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.receipt.status).toBe('reversed');
    const plans = await server.db.selectFrom('payment_plan').select(['allocated_fen', 'status']).where('id', 'in', planIds).execute();
    expect(plans.every((plan) => plan.allocated_fen === 0 && plan.status === 'open')).toBe(true);
    const entries = await server.db.selectFrom('receivable_entry').select(['kind', 'amount_fen']).where('customer_id', '=', customerId).orderBy('id').execute();
    expect(entries).toEqual([
      { kind: 'receipt', amount_fen: -350_000 },
      { kind: 'receipt_reversal', amount_fen: 350_000 },
    ]);
    const audit = await server.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'receipt').where('entity_id', '=', String(receipt.body.receipt.id)).execute();
    expect(audit.map((row) => row.action)).toContain('receipt.reversed');
  });

  it('refuses a second reversal', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', twoInstallments);
    const receipt = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 1000));
    await client.call('gaoxiang01', 'POST', `/receivables/receipts/${receipt.body.receipt.id}/reverse`, { reason: '录入错误' });

    const again = await client.call('gaoxiang01', 'POST', `/receivables/receipts/${receipt.body.receipt.id}/reverse`, { reason: '录入错误' });

    expect(again.status).toBe(409);
  });
});

describe('POST /receivables/receipts/import', () => {
  const csv = (customerName: string, reference: string) =>
    [
      '账号：3301 0400 0000 1234,,,,,',
      '交易日期,交易流水号,对方户名,借方金额,贷方金额,摘要',
      `2026-03-02,${reference},${customerName},,"12,345.60",货款`,
      '2026-03-02,OUT-1,某物流公司,800.00,,运费',
      `2026-03-03,${reference}-X,不存在的书店,,100.00,货款`,
    ].join('\r\n');

  it('reports a dry run without writing', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', twoInstallments, { name: '绍兴新华书店有限公司' });

    const response = await client.upload('gaoxiang01', '/receivables/receipts/import?dryRun=true', { name: '流水.csv', content: csv('绍兴新华书店有限公司', 'BANK-0001') });

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.rows.map((row: { status: string }) => row.status)).toEqual(['new', 'skipped', 'error']);
    expect(response.body.amountFen).toBe(1_234_560);
    expect(await server.db.selectFrom('receipt').select('id').where('customer_id', '=', customerId).execute()).toHaveLength(0);
  });

  it('imports once and reports the second import as duplicate', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', twoInstallments, { name: '宁波新华书店有限公司' });
    const file = { name: '流水.csv', content: csv('宁波新华书店有限公司', 'BANK-0002') };

    const first = await client.upload('gaoxiang01', '/receivables/receipts/import?dryRun=false', file);
    const second = await client.upload('gaoxiang01', '/receivables/receipts/import?dryRun=false', file);

    expect(first.body.created).toBe(1);
    expect(second.body.created).toBe(0);
    expect(second.body.duplicates).toBe(1);
    const receipts = await server.db.selectFrom('receipt').select(['amount_fen', 'allocated_fen', 'source']).where('customer_id', '=', customerId).execute();
    expect(receipts).toEqual([{ amount_fen: 1_234_560, allocated_fen: 500_000, source: 'bank_import' }]);
  });
});

describe('scope', () => {
  it('hides another team’s plan and receipt as not found', async () => {
    const { customerId, planIds } = await client.customerWithPlans('zhangwei01', twoInstallments);
    const receipt = await client.call('gaoxiang01', 'POST', '/receivables/receipts', receiptBody(customerId, 1000));

    const plan = await client.call('sunli01', 'GET', `/receivables/plans/${planIds[0]}`);
    const receiptView = await client.call('sunli01', 'GET', `/receivables/receipts/${receipt.body.receipt.id}`);
    const summary = await client.call('sunli01', 'GET', `/receivables/customers/${customerId}/summary`);

    expect([plan.status, receiptView.status, summary.status]).toEqual([404, 404, 404]);
  });

  it('keeps another team’s plans out of lists, totals and exports', async () => {
    await client.customerWithPlans('zhangwei01', twoInstallments);
    const sunliCustomer = await client.customerWithPlans('sunli01', [{ seq: 1, dueDate: '2026-02-01', amountFen: 77_700 }]);

    const list = await client.call('sunli01', 'GET', '/receivables/plans?status=all&limit=200');
    const overview = await client.call('sunli01', 'GET', '/receivables/overview');
    const exported = await fetch(`${server.url}/api/receivables/plans/export?status=all`, { headers: { authorization: `Bearer ${await client.token('sunli01')}` } });

    expect(list.body.items.every((plan: { customer: { id: number } }) => plan.customer.id === sunliCustomer.customerId)).toBe(true);
    expect(overview.body.aging.outstandingFen).toBe(77_700);
    expect(exported.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await exported.arrayBuffer());
    const names = workbook.worksheets[0]!.getColumn(1).values.slice(2);
    expect(names.length).toBe(1);
  });

  it('shows the manager the team and finance everything', async () => {
    const { customerId } = await client.customerWithPlans('lina01', twoInstallments);

    const manager = await client.call('wanglei01', 'GET', `/receivables/plans?customerId=${customerId}`);
    const finance = await client.call('gaoxiang01', 'GET', `/receivables/plans?customerId=${customerId}`);
    const otherManager = await client.call('zhaozhiqiang01', 'GET', `/receivables/plans?customerId=${customerId}`);

    expect(manager.body.total).toBe(2);
    expect(finance.body.total).toBe(2);
    expect(otherManager.body.total).toBe(0);
  });
});
