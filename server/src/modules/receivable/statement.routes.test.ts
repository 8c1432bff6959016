import ExcelJS from 'exceljs';
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

/** A customer with a January shipment of ¥600.00 and a January receipt of ¥200.00. */
async function januaryActivity(owner = 'zhangwei01') {
  const parties = await client.customerWithPlans(owner, [{ seq: 1, dueDate: '2026-02-28', amountFen: 60_000 }]);
  await client.call(owner, 'POST', '/receivables/shipments', { customerId: parties.customerId, shippedDate: '2026-01-08', lines: [{ isbn: '9787020002207', title: '运河人家', quantity: 20, listPriceFen: 5000, discount: 6000 }] });
  await client.call('gaoxiang01', 'POST', '/receivables/receipts', { customerId: parties.customerId, receivedDate: '2026-01-20', amountFen: 20_000, payerName: '书店', method: 'bank_transfer' });
  return parties;
}

async function sendJanuary(customerId: number) {
  const sent = await client.call('gaoxiang01', 'POST', '/receivables/statements', { customerId, month: '2026-01' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body;
}

async function shareLink(statementId: number, userid = 'zhangwei01') {
  const share = await client.call(userid, 'POST', `/receivables/statements/${statementId}/shares`, {});
  expect(share.status, JSON.stringify(share.body)).toBe(201);
  return { ...share.body, token: (share.body.url as string).split('/').pop()! };
}

describe('GET /receivables/statement', () => {
  it('computes a draft with lines and running balance', async () => {
    const { customerId } = await januaryActivity();

    const response = await client.call('zhangwei01', 'GET', `/receivables/statement?customerId=${customerId}&month=2026-01`);

    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.statement.status).toBe('draft');
    expect(response.body.statement.figures).toEqual({ openingBalanceFen: 0, shippedFen: 60_000, returnedFen: 0, receivedFen: 20_000, adjustedFen: 0, closingBalanceFen: 40_000 });
    expect(response.body.lines.map((line: { balanceFen: number }) => line.balanceFen)).toEqual([60_000, 40_000]);
  });

  it('pages lines with the running balance carried over', async () => {
    const { customerId } = await januaryActivity();

    const response = await client.call('zhangwei01', 'GET', `/receivables/statement?customerId=${customerId}&month=2026-01&limit=1&offset=1`);

    expect(response.body.lines).toHaveLength(1);
    expect(response.body.lines[0].balanceFen).toBe(40_000);
    expect(response.body.linesTotal).toBe(2);
  });

  it('answers 404 for another team', async () => {
    const { customerId } = await januaryActivity();

    const response = await client.call('machao01', 'GET', `/receivables/statement?customerId=${customerId}&month=2026-01`);

    expect(response.status).toBe(404);
  });
});

describe('sent statements', () => {
  it('stay unchanged when a January receipt is recorded later', async () => {
    const { customerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);

    await client.call('gaoxiang01', 'POST', '/receivables/receipts', { customerId, receivedDate: '2026-01-31', amountFen: 5_000, payerName: '书店', method: 'bank_transfer' });

    const january = await client.call('gaoxiang01', 'GET', `/receivables/statements/${sent.statement.id}`);
    const february = await client.call('gaoxiang01', 'GET', `/receivables/statement?customerId=${customerId}&month=2026-02`);
    expect(january.body.statement.figures.closingBalanceFen).toBe(40_000);
    expect(february.body.statement.figures).toMatchObject({ openingBalanceFen: 40_000, receivedFen: 5_000, closingBalanceFen: 35_000 });
  });

  it('exports a workbook with figures and lines', async () => {
    const { customerId } = await januaryActivity();
    await sendJanuary(customerId);

    const response = await fetch(`${server.url}/api/receivables/statement/export?customerId=${customerId}&month=2026-01`, { headers: { authorization: `Bearer ${await client.token('zhangwei01')}` } });

    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getCell('C9').value).toBe(400);
    expect(sheet.getRow(13).getCell(4).value).toMatch(/^FH/);
    expect(sheet.getRow(14).getCell(9).value).toBe(400);
  });
});

describe('statement share link', () => {
  it('shows the statement without login', async () => {
    const { customerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);
    const share = await shareLink(sent.statement.id);

    const response = await fetch(`${server.url}/api/public/statement-shares/${share.token}`);
    const body = (await response.json()) as { statement: { figures: { closingBalanceFen: number } }; lines: unknown[] };

    expect(response.status).toBe(200);
    expect(body.statement.figures.closingBalanceFen).toBe(40_000);
    expect(body.lines).toHaveLength(2);
  });

  it('stores only the hash of the token', async () => {
    const { customerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);
    const share = await shareLink(sent.statement.id);

    const rows = await server.db.selectFrom('statement_share').select('token_hash').where('statement_id', '=', sent.statement.id).execute();

    expect(rows[0]!.token_hash).not.toContain(share.token);
    expect(rows[0]!.token_hash).toHaveLength(64);
  });

  it('refuses a revoked or unknown link', async () => {
    const { customerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);
    const share = await shareLink(sent.statement.id);
    await client.call('zhangwei01', 'POST', `/receivables/statements/${sent.statement.id}/shares/${share.id}/revoke`);

    const revoked = await fetch(`${server.url}/api/public/statement-shares/${share.token}`);
    const unknown = await fetch(`${server.url}/api/public/statement-shares/${'x'.repeat(43)}`);

    expect(revoked.status).toBe(410);
    expect(unknown.status).toBe(404);
  });

  it('makes a dispute an owner task, then settles it', async () => {
    const { customerId, ownerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);
    const share = await shareLink(sent.statement.id);
    const shipmentLine = sent.lines.find((line: { kind: string }) => line.kind === 'shipment');

    const disputed = await fetch(`${server.url}/api/public/statement-shares/${share.token}/disputes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clerkName: '钱会计', statementLineId: shipmentLine.id, comment: '我方入库金额为 595 元', claimedAmountFen: 59_500 }),
    });
    expect(disputed.status).toBe(201);

    const tasks = await client.call('zhangwei01', 'GET', '/receivables/disputes');
    expect(tasks.body.items[0]).toMatchObject({ differenceFen: -500, withinTolerance: true, clerkName: '钱会计' });
    const notice = await server.db.selectFrom('outbox').select('recipient_user_id').where('dedup_key', 'like', 'statement-dispute:%').where('recipient_user_id', '=', ownerId).execute();
    expect(notice).toHaveLength(1);

    const settled = await client.call('gaoxiang01', 'POST', `/receivables/disputes/${tasks.body.items[0].id}/settle`);
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    expect(settled.body.postingMonth).toBe('2026-03');
    const march = await client.call('gaoxiang01', 'GET', `/receivables/statement?customerId=${customerId}&month=2026-03`);
    expect(march.body.statement.figures.adjustedFen).toBe(-500);

    const confirmed = await fetch(`${server.url}/api/public/statement-shares/${share.token}/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ clerkName: '钱会计' }) });
    expect(confirmed.status).toBe(200);
    const after = await client.call('gaoxiang01', 'GET', `/receivables/statements/${sent.statement.id}`);
    expect(after.body.statement.status).toBe('confirmed');
  });

  it('refuses to settle a difference above the tolerance', async () => {
    const { customerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);
    const share = await shareLink(sent.statement.id, 'gaoxiang01');
    await fetch(`${server.url}/api/public/statement-shares/${share.token}/disputes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clerkName: '钱会计', statementLineId: null, comment: '余额不符', claimedAmountFen: 30_000 }),
    });
    const tasks = await client.call('gaoxiang01', 'GET', `/receivables/disputes`);
    const dispute = tasks.body.items.find((item: { statementId: number }) => item.statementId === sent.statement.id);

    const response = await client.call('gaoxiang01', 'POST', `/receivables/disputes/${dispute.id}/settle`);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('dispute_over_tolerance');
  });

  it('does not let a rep of another team share the statement', async () => {
    const { customerId } = await januaryActivity();
    const sent = await sendJanuary(customerId);

    const response = await client.call('sunli01', 'POST', `/receivables/statements/${sent.statement.id}/shares`, {});

    expect(response.status).toBe(404);
  });
});
