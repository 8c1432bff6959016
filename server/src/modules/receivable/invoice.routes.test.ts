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

const isbn = '9787020002207';

/** A contract with 100,000.00 shipped 实洋 (1,000 copies at ¥100.00, 10折). */
async function shippedContract(owner = 'zhangwei01') {
  const parties = await client.customerWithPlans(owner, [{ seq: 1, dueDate: '2026-06-30', amountFen: 10_000_000 }]);
  const shipment = await client.call(owner, 'POST', '/receivables/shipments', {
    customerId: parties.customerId,
    contractId: parties.contractId,
    shippedDate: '2026-03-01',
    lines: [{ isbn, title: '运河人家', quantity: 1000, listPriceFen: 10_000, discount: 10_000 }],
  });
  expect(shipment.status, JSON.stringify(shipment.body)).toBe(201);
  return parties;
}

function requestBody(parties: { contractId: number; creditCode: string }, amountFen: number, extra: Record<string, unknown> = {}) {
  return { contractId: parties.contractId, buyerName: '杭州晓风书屋有限公司', taxId: parties.creditCode, addressPhone: '杭州市体育场路 1 号 0571-85000000', bankAccount: '工商银行杭州分行 1202 0000 0000', amountFen, ...extra };
}

async function approve(approvalId: number, approvers: string[]) {
  for (const userid of approvers) {
    const response = await client.call(userid, 'POST', `/approvals/${approvalId}/approve`, {});
    expect(response.status, `${userid}: ${JSON.stringify(response.body)}`).toBe(200);
  }
}

describe('GET /receivables/invoice-requests/prefill', () => {
  it('prefills the buyer from the customer and the limit from shipments', async () => {
    const parties = await shippedContract();

    const response = await client.call('zhangwei01', 'GET', `/receivables/invoice-requests/prefill?contractId=${parties.contractId}`);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.taxId).toBe(parties.creditCode);
    expect(response.body.invoiceableFen).toBe(10_000_000);
  });
});

describe('POST /receivables/invoice-requests', () => {
  it('rejects a tax id that is not the customer’s credit code', async () => {
    const parties = await shippedContract();

    const response = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 100_000, { taxId: '91330100MA2XXXXXXX' }));

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('tax_id_mismatch');
  });

  it('accepts a different buyer the user confirmed', async () => {
    const parties = await shippedContract();

    const response = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 100_000, { taxId: '91330100MA2XXXXXXX', differentBuyerConfirmed: true }));

    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  it('rejects more than shipped minus returned minus invoiced', async () => {
    const parties = await shippedContract();
    const returned = await client.call('zhangwei01', 'POST', '/receivables/returns', {
      customerId: parties.customerId,
      contractId: parties.contractId,
      returnDate: '2026-03-05',
      reason: '破损',
      lines: [{ isbn, title: '运河人家', quantity: 100, listPriceFen: 10_000, discount: 10_000 }],
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(201);
    const first = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 5_000_000));
    expect(first.status).toBe(201);

    const tooMuch = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 4_000_001));
    const exact = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 4_000_000));

    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('invoice_amount_exceeds');
    expect(exact.status).toBe(201);
  });

  it('goes through 开票申请审批 and is issued by finance', async () => {
    const parties = await shippedContract();
    const created = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 2_000_000));
    expect(created.body.request.status).toBe('pending_approval');

    await approve(created.body.request.approvalId, ['wanglei01', 'gaoxiang01']);
    const approved = await client.call('zhangwei01', 'GET', `/receivables/invoice-requests/${created.body.request.id}`);
    expect(approved.body.request.status).toBe('approved');

    const issued = await client.call('gaoxiang01', 'POST', `/receivables/invoice-requests/${created.body.request.id}/invoices`, {
      invoiceNumber: '26332000000012345678',
      issueDate: '2026-03-10',
      lines: [{ description: '图书*运河人家', amountFen: 2_000_000, taxRateBp: 900 }],
    });

    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.request.status).toBe('issued');
    expect(issued.body.invoices[0].taxFen).toBe(165_138);
    const summary = await client.call('zhangwei01', 'GET', `/receivables/contracts/${parties.contractId}/summary`);
    expect(summary.body.invoicedFen).toBe(2_000_000);
    expect(summary.body.invoiceableFen).toBe(8_000_000);
  });
});

describe('recording fapiao', () => {
  async function approvedRequest(amountFen: number) {
    const parties = await shippedContract();
    const created = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, amountFen));
    await approve(created.body.request.approvalId, ['wanglei01', 'gaoxiang01']);
    return { parties, requestId: created.body.request.id as number };
  }

  it('rejects a 19-digit digital number', async () => {
    const { requestId } = await approvedRequest(100_000);

    const response = await client.call('gaoxiang01', 'POST', `/receivables/invoice-requests/${requestId}/invoices`, { invoiceNumber: '2331200000006586859', issueDate: '2026-03-10', lines: [{ description: '图书', amountFen: 100_000, taxRateBp: 900 }] });

    expect(response.status).toBe(400);
  });

  it('accepts a legacy code and number', async () => {
    const { requestId } = await approvedRequest(100_000);

    const response = await client.call('gaoxiang01', 'POST', `/receivables/invoice-requests/${requestId}/invoices`, { invoiceCode: '032002100204', invoiceNumber: '37898106', issueDate: '2026-03-10', lines: [{ description: '图书', amountFen: 100_000, taxRateBp: 900 }] });

    expect(response.status, JSON.stringify(response.body)).toBe(201);
  });

  it('rejects more than the request has left', async () => {
    const { requestId } = await approvedRequest(100_000);

    const response = await client.call('gaoxiang01', 'POST', `/receivables/invoice-requests/${requestId}/invoices`, { invoiceNumber: '26332000000099999991', issueDate: '2026-03-10', lines: [{ description: '图书', amountFen: 100_001, taxRateBp: 900 }] });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invoice_exceeds_request');
  });

  it('frees the amount again with a red-letter invoice', async () => {
    const { parties, requestId } = await approvedRequest(300_000);
    const issued = await client.call('gaoxiang01', 'POST', `/receivables/invoice-requests/${requestId}/invoices`, { invoiceNumber: '26332000000099999992', issueDate: '2026-03-10', lines: [{ description: '图书', amountFen: 300_000, taxRateBp: 900 }] });

    const red = await client.call('gaoxiang01', 'POST', `/receivables/invoices/${issued.body.invoices[0].id}/red-letter`, { invoiceNumber: '26332000000099999993', issueDate: '2026-03-11', amountFen: 300_000, reason: '购买方名称有误' });

    expect(red.status, JSON.stringify(red.body)).toBe(201);
    const summary = await client.call('zhangwei01', 'GET', `/receivables/contracts/${parties.contractId}/summary`);
    expect(summary.body.invoicedFen).toBe(0);
    expect(summary.body.invoiceableFen).toBe(10_000_000);
  });

  it('refuses a rep', async () => {
    const { requestId } = await approvedRequest(100_000);

    const response = await client.call('zhangwei01', 'POST', `/receivables/invoice-requests/${requestId}/invoices`, { invoiceNumber: '26332000000099999994', issueDate: '2026-03-10', lines: [{ description: '图书', amountFen: 100_000, taxRateBp: 900 }] });

    expect(response.status).toBe(403);
  });
});

describe('invoice scope', () => {
  it('hides another team’s request and contract summary', async () => {
    const parties = await shippedContract();
    const created = await client.call('zhangwei01', 'POST', '/receivables/invoice-requests', requestBody(parties, 100_000));

    const request = await client.call('machao01', 'GET', `/receivables/invoice-requests/${created.body.request.id}`);
    const summary = await client.call('machao01', 'GET', `/receivables/contracts/${parties.contractId}/summary`);
    const create = await client.call('machao01', 'POST', '/receivables/invoice-requests', requestBody(parties, 100_000));
    const list = await client.call('machao01', 'GET', '/receivables/invoice-requests');

    expect([request.status, summary.status, create.status]).toEqual([404, 404, 404]);
    expect(list.body.total).toBe(0);
  });
});
