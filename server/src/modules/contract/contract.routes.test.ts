import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractDetail, ContractList } from '@shared/api/contract.js';
import type { ApprovalDetail } from '@shared/api/approval.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs } from '../customer/customer.test-support.js';
import { contractBody, pdfBytes, uploadContractFile } from './contract.test-support.js';

type ContractResponse = { status: number; body: ContractDetail & { error: { code: string; message: string; details?: unknown } } };

let server: TestServer;
let customerId: number;
const tokens = new Map<string, string>();

async function tokenOf(userid: string): Promise<string> {
  if (!tokens.has(userid)) tokens.set(userid, await server.login(userid));
  return tokens.get(userid)!;
}

async function call(userid: string, method: string, path: string, body?: unknown): Promise<ContractResponse> {
  return server.request(method, `/api/contracts${path}`, { token: await tokenOf(userid), body });
}

async function createDraft(overrides: Record<string, unknown> = {}): Promise<ContractDetail> {
  const response = await call('zhangwei01', 'POST', '', contractBody(customerId, overrides));
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function submitWithText(contract: ContractDetail): Promise<ContractDetail> {
  const uploaded = await uploadContractFile(server, await tokenOf('zhangwei01'), contract.id, { name: '购销合同正文.pdf', bytes: pdfBytes(`合同 ${contract.id}`) });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const submitted = await call('zhangwei01', 'POST', `/${contract.id}/submit`, { version: uploaded.body.version });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return submitted.body;
}

async function approveAll(approvalId: number, approvers: string[]): Promise<void> {
  for (const userid of approvers) {
    const response = await server.request<ApprovalDetail>('POST', `/api/approvals/${approvalId}/approve`, { token: await tokenOf(userid), body: {} });
    expect(response.status, `${userid}: ${JSON.stringify(response.body)}`).toBe(200);
  }
}

/** Draft → approved through 王磊 → 编辑部/发行部 (special discount) → 财务. */
async function approvedContract(): Promise<ContractDetail> {
  const submitted = await submitWithText(await createDraft());
  await approveAll(submitted.approval!.id, ['wanglei01', 'songwenbo01', 'zhuhongmei01']);
  return (await call('zhangwei01', 'GET', `/${submitted.id}`)).body;
}

beforeAll(async () => {
  server = await startTestServer();
  const customer = await createCustomerAs(server, await tokenOf('zhangwei01'), { name: '杭州晓风书屋有限公司' });
  customerId = customer.id;
  const agreement = await server.request('POST', `/api/customers/${customerId}/discount-agreements`, {
    token: await tokenOf('wanglei01'),
    body: { scope: 'customer', scopeValue: '', defaultDiscount: 6500, floorDiscount: 6300, validFrom: '2020-01-01', validTo: null, reason: '年度框架协议' },
  });
  expect(agreement.status, JSON.stringify(agreement.body)).toBe(201);
});

afterAll(async () => {
  await server?.close();
});

describe('POST /contracts', () => {
  it('creates a numbered draft with priced lines and a special-discount mark', async () => {
    const contract = await createDraft();

    expect(contract.number).toMatch(/^HT-\d{4}-\d{6}$/);
    expect(contract.status).toBe('draft');
    expect(contract.totalNetFen).toBe(2_111_000);
    expect(contract.totalListFen).toBe(9800 * 200 + 4500 * 300);
    expect(contract.lines.map((line) => [line.netAmountFen, line.floorDiscount, line.isSpecialDiscount])).toEqual([
      [1_274_000, 6300, false],
      [837_000, 6300, true],
    ]);
    expect(contract.hasSpecialDiscount).toBe(true);
    expect(contract.availableActions).toEqual(expect.arrayContaining(['edit', 'submit', 'upload', 'void']));
  });

  it('gives consecutive numbers', async () => {
    const first = await createDraft();
    const second = await createDraft();
    expect(Number(second.number.slice(-6))).toBe(Number(first.number.slice(-6)) + 1);
  });

  it('refuses installments that do not add up, naming the difference', async () => {
    const response = await call('zhangwei01', 'POST', '', contractBody(customerId, { installments: [{ dueDate: '2026-04-30', amountFen: 2_000_000 }] }));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('installments_total_mismatch');
    expect(response.body.error.message).toContain('¥1,110.00');
  });

  it('splits percentages so the installments add up exactly', async () => {
    const contract = await createDraft({
      lines: [{ bookId: null, title: '散文选', isbn: null, listPriceFen: 3333, quantity: 1, discount: 10_000 }],
      installments: [
        { dueDate: '2026-04-01', percentBp: 3333 },
        { dueDate: '2026-05-01', percentBp: 3333 },
        { dueDate: '2026-06-01', percentBp: 3334 },
      ],
    });
    expect(contract.installments.map((installment) => installment.amountFen)).toEqual([1110, 1110, 1113]);
    expect(contract.installments.reduce((sum, installment) => sum + installment.amountFen, 0)).toBe(contract.totalNetFen);
  });

  it('refuses a customer outside the rep\'s reach with 404', async () => {
    const response = await call('sunli01', 'POST', '', contractBody(customerId));
    expect(response.status).toBe(404);
  });
});

describe('PUT /contracts/:id', () => {
  it('edits a draft and refuses a stale version', async () => {
    const contract = await createDraft();
    const updated = await call('zhangwei01', 'PUT', `/${contract.id}`, { contract: contractBody(customerId, { title: '修改后的合同名称' }), version: contract.version });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.title).toBe('修改后的合同名称');

    const stale = await call('zhangwei01', 'PUT', `/${contract.id}`, { contract: contractBody(customerId), version: contract.version });
    expect(stale.status).toBe(409);
  });

  it('refuses edits once submitted', async () => {
    const submitted = await submitWithText(await createDraft());
    const response = await call('zhangwei01', 'PUT', `/${submitted.id}`, { contract: contractBody(customerId), version: submitted.version });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('contract_not_editable');
  });
});

describe('POST /contracts/:id/attachments', () => {
  it('stores a PDF by its hash with its Chinese name and serves it back', async () => {
    const contract = await createDraft();
    const bytes = pdfBytes('附件下载测试');
    const uploaded = await uploadContractFile(server, await tokenOf('zhangwei01'), contract.id, { name: '合同正文（终稿）.pdf', bytes });
    expect(uploaded.status).toBe(201);
    const attachment = uploaded.body.attachments[0]!;
    expect(attachment.fileName).toBe('合同正文（终稿）.pdf');
    expect(attachment.mimeType).toBe('application/pdf');

    const download = await fetch(`${server.url}${attachment.downloadPath}`, { headers: { authorization: `Bearer ${await tokenOf('zhangwei01')}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-sha256')).toBe(attachment.sha256);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    const outsider = await fetch(`${server.url}${attachment.downloadPath}`, { headers: { authorization: `Bearer ${await tokenOf('sunli01')}` } });
    expect(outsider.status).toBe(404);
  });

  it('refuses a file whose content is not PDF, Word or an image', async () => {
    const contract = await createDraft();
    const response = await uploadContractFile(server, await tokenOf('zhangwei01'), contract.id, { name: '合同.pdf', bytes: Buffer.from('MZ\x90\x00 not a pdf'), type: 'application/pdf' });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('attachment_type_unsupported');
  });

  it('refuses a signed copy before sealing', async () => {
    const contract = await createDraft();
    const response = await uploadContractFile(server, await tokenOf('zhangwei01'), contract.id, { name: '盖章件.pdf', bytes: pdfBytes(), kind: 'signed_copy' });
    expect(response.status).toBe(409);
  });
});

describe('POST /contracts/:id/submit', () => {
  it('requires the contract text first', async () => {
    const contract = await createDraft();
    const response = await call('zhangwei01', 'POST', `/${contract.id}/submit`, { version: contract.version });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('contract_text_missing');
  });

  it('starts the sales contract approval with the special-discount step', async () => {
    const submitted = await submitWithText(await createDraft());
    expect(submitted.status).toBe('in_review');

    const approval = await server.request<ApprovalDetail>('GET', `/api/approvals/${submitted.approval!.id}`, { token: await tokenOf('wanglei01') });
    expect(approval.body.steps.map((step) => step.status)).toEqual(['active', 'skipped', 'waiting', 'waiting', 'skipped']);
    expect(approval.body.subject.lines?.filter((line) => line.isSpecialDiscount)).toHaveLength(1);
    expect(approval.body.contentHash).toBe(submitted.contentHash);
  });

  it('lets an approver open the contract once given a task, not other reps', async () => {
    const submitted = await submitWithText(await createDraft());
    expect((await call('songwenbo01', 'GET', `/${submitted.id}`)).status).toBe(404);
    await approveAll(submitted.approval!.id, ['wanglei01']);
    expect((await call('songwenbo01', 'GET', `/${submitted.id}`)).status).toBe(200);
    expect((await call('sunli01', 'GET', `/${submitted.id}`)).status).toBe(404);
  });
});

describe('contract approval', () => {
  it('makes the contract immutable, the customer 成交 and hands installments to receivables', async () => {
    const contract = await approvedContract();

    expect(contract.status).toBe('approved');
    expect(contract.approvedContentHash).toBe(contract.contentHash);
    expect(contract.availableActions).not.toContain('edit');

    const customer = await server.db.selectFrom('customer').select('stage').where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(customer.stage).toBe('won');
    const plans = await server.db.selectFrom('payment_plan').select(['seq', 'due_date', 'amount_fen']).where('contract_id', '=', contract.id).orderBy('seq').execute();
    expect(plans).toEqual([
      { seq: 1, due_date: '2026-04-30', amount_fen: 1_000_000 },
      { seq: 2, due_date: '2026-07-31', amount_fen: 1_111_000 },
    ]);

    const audit = await server.db.selectFrom('audit_log').select('data').where('entity_type', '=', 'contract').where('entity_id', '=', String(contract.id)).where('action', '=', 'contract.approved').execute();
    expect(JSON.parse(audit[0]!.data).contentHash).toBe(contract.approvedContentHash);
  });

  it('returns the contract to draft when rejected', async () => {
    const submitted = await submitWithText(await createDraft());
    await server.request('POST', `/api/approvals/${submitted.approval!.id}/reject`, { token: await tokenOf('wanglei01'), body: { comment: '回款周期太长' } });

    const contract = (await call('zhangwei01', 'GET', `/${submitted.id}`)).body;
    expect(contract.status).toBe('draft');
    expect(contract.approval?.status).toBe('rejected');

    const resubmitted = await call('zhangwei01', 'POST', `/${submitted.id}/submit`, { version: contract.version });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.approval).toEqual({ id: submitted.approval!.id, status: 'pending' });
  });

  it('returns the contract to draft when the rep withdraws', async () => {
    const submitted = await submitWithText(await createDraft());
    const withdrawn = await call('zhangwei01', 'POST', `/${submitted.id}/withdraw`, {});
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('draft');
  });
});

describe('POST /contracts/:id/seal and archive', () => {
  it('seals exactly the approved version and archives it', async () => {
    const contract = await approvedContract();

    const byRep = await call('zhangwei01', 'POST', `/${contract.id}/seal`, { sealType: 'contract_seal', approvedContentHash: contract.approvedContentHash, version: contract.version });
    expect(byRep.status).toBe(403);

    const wrongHash = await call('fengxue01', 'POST', `/${contract.id}/seal`, { sealType: 'contract_seal', approvedContentHash: 'f'.repeat(64), version: contract.version });
    expect(wrongHash.status).toBe(409);
    expect(wrongHash.body.error.code).toBe('seal_hash_mismatch');

    const sealed = await call('fengxue01', 'POST', `/${contract.id}/seal`, { sealType: 'contract_seal', approvedContentHash: contract.approvedContentHash, note: '一式四份', version: contract.version });
    expect(sealed.status, JSON.stringify(sealed.body)).toBe(200);
    expect(sealed.body.status).toBe('sealed');
    expect(sealed.body.seal).toMatchObject({ sealType: 'contract_seal', sealedBy: '冯雪', contentHash: contract.approvedContentHash });

    const scan = await uploadContractFile(server, await tokenOf('zhangwei01'), contract.id, { name: '双方盖章扫描件.pdf', bytes: pdfBytes('盖章件'), kind: 'signed_copy' });
    expect(scan.status).toBe(201);
    expect(scan.body.contentHash).toBe(contract.approvedContentHash);

    const archived = await call('handong01', 'POST', `/${contract.id}/archive`, { location: '档案室 A-03 柜', version: scan.body.version });
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    expect(archived.body.archive?.archiveNumber).toBe(`GD-${contract.number.slice(3)}`);
  });

  it('refuses to seal after a file was added until a new approval', async () => {
    const contract = await approvedContract();
    const added = await uploadContractFile(server, await tokenOf('zhangwei01'), contract.id, { name: '补充协议.pdf', bytes: pdfBytes('补充协议'), kind: 'appendix' });
    expect(added.status).toBe(201);
    expect(added.body.changedSinceApproval).toBe(true);
    expect(added.body.attachments.at(-1)?.addedAfterApproval).toBe(true);

    const refused = await call('fengxue01', 'POST', `/${contract.id}/seal`, { sealType: 'contract_seal', approvedContentHash: contract.approvedContentHash, version: added.body.version });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('contract_changed_since_approval');

    const resubmitted = await call('zhangwei01', 'POST', `/${contract.id}/submit`, { version: added.body.version });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    await approveAll(resubmitted.body.approval!.id, ['wanglei01', 'zhoujianhua01', 'zhuhongmei01']);
    const reapproved = (await call('fengxue01', 'GET', `/${contract.id}`)).body;
    expect(reapproved.status).toBe('approved');
    expect(reapproved.approvedContentHash).not.toBe(contract.approvedContentHash);

    const sealed = await call('fengxue01', 'POST', `/${contract.id}/seal`, { sealType: 'company_seal', approvedContentHash: reapproved.approvedContentHash, version: reapproved.version });
    expect(sealed.status).toBe(200);
  });
});

describe('POST /contracts/:id/void', () => {
  it('voids a draft at once', async () => {
    const contract = await createDraft();
    const response = await call('zhangwei01', 'POST', `/${contract.id}/void`, { reason: '客户取消采购', version: contract.version });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('voided');
  });

  it('voids an approved contract only through the void approval', async () => {
    const contract = await approvedContract();
    const requested = await call('zhangwei01', 'POST', `/${contract.id}/void`, { reason: '客户主体变更，重新签订', version: contract.version });
    expect(requested.status, JSON.stringify(requested.body)).toBe(200);
    expect(requested.body.status).toBe('void_review');

    await approveAll(requested.body.voidApproval!.id, ['wanglei01', 'huming01', 'zhuhongmei01', 'chenguodong01']);
    const voided = (await call('zhangwei01', 'GET', `/${contract.id}`)).body;
    expect(voided.status).toBe('voided');
    expect(voided.voidReason).toBe('客户主体变更，重新签订');
  });

  it('restores the status when the void is rejected', async () => {
    const contract = await approvedContract();
    const requested = await call('zhangwei01', 'POST', `/${contract.id}/void`, { reason: '误操作测试', version: contract.version });
    await server.request('POST', `/api/approvals/${requested.body.voidApproval!.id}/reject`, { token: await tokenOf('wanglei01'), body: { comment: '合同仍在履行' } });
    expect((await call('zhangwei01', 'GET', `/${contract.id}`)).body.status).toBe('approved');
  });
});

describe('GET /contracts', () => {
  it('lists the rep\'s contracts and hides them from other teams', async () => {
    const contract = await createDraft({ title: '列表检索专用合同' });

    const mine = await server.request<ContractList>('GET', '/api/contracts?q=列表检索专用', { token: await tokenOf('zhangwei01') });
    expect(mine.body.items.map((item) => item.id)).toEqual([contract.id]);
    const manager = await server.request<ContractList>('GET', '/api/contracts?q=列表检索专用', { token: await tokenOf('wanglei01') });
    expect(manager.body.items).toHaveLength(1);
    const otherTeam = await server.request<ContractList>('GET', '/api/contracts?q=列表检索专用', { token: await tokenOf('sunli01') });
    expect(otherTeam.body.items).toHaveLength(0);
    const finance = await server.request<ContractList>('GET', '/api/contracts?q=列表检索专用', { token: await tokenOf('gaoxiang01') });
    expect(finance.body.items).toHaveLength(1);
  });
});

describe('POST /contracts/from-quote', () => {
  it('turns a quote into a draft with one full installment and marks the quote converted', async () => {
    const book = await server.request<{ id: number; listPriceFen: number }>('POST', '/api/books', {
      token: await tokenOf('songwenbo01'),
      body: { isbn: '9787544253994', title: '百年孤独', category: 'general', listPriceFen: 5500 },
    });
    expect(book.status, JSON.stringify(book.body)).toBe(201);
    const quote = await server.request<{ id: number; netAmountFen: number }>('POST', '/api/quotes', {
      token: await tokenOf('zhangwei01'),
      body: { customerId, validUntil: '2099-12-31', lines: [{ bookId: book.body.id, quantity: 120, discount: 6500 }] },
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);

    const created = await call('zhangwei01', 'POST', '/from-quote', { quoteId: quote.body.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.quoteId).toBe(quote.body.id);
    expect(created.body.lines).toMatchObject([{ bookId: book.body.id, isbn: '9787544253994', title: '百年孤独', quantity: 120, discount: 6500, netAmountFen: 429_000 }]);
    expect(created.body.installments).toHaveLength(1);
    expect(created.body.installments[0]!.amountFen).toBe(created.body.totalNetFen);

    const again = await call('zhangwei01', 'POST', '/from-quote', { quoteId: quote.body.id });
    expect(again.status).toBe(409);
  });

  it('prices catalog lines from the catalog and the customer floor', async () => {
    const books = await server.request<{ items: { id: number; listPriceFen: number }[] }>('GET', '/api/books?q=9787544253994', { token: await tokenOf('zhangwei01') });
    const book = books.body.items[0]!;
    const contract = await createDraft({
      lines: [{ bookId: book.id, quantity: 10, discount: 6000, listPriceFen: 1, title: '忽略' }],
      installments: [{ dueDate: '2026-05-01', percentBp: 10_000 }],
    });
    expect(contract.lines[0]).toMatchObject({ title: '百年孤独', listPriceFen: book.listPriceFen, floorDiscount: 6300, isSpecialDiscount: true, netAmountFen: 33_000 });
  });
});

