import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalDetail } from '@shared/api/approval.js';
import type { ContractDetail } from '@shared/api/contract.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { contractBody, pdfBytes, uploadContractFile } from '../contract/contract.test-support.js';
import { createCustomerAs } from '../customer/customer.test-support.js';
import { runOverdueScan } from './overdue-scan.js';
import { ReceivableTestClient } from './receivable.route-support.js';

/**
 * Voiding an approved contract through the contract_void approval, seen from receivables: its payment
 * plans, their figures in aging and summaries, the audit log, and the overdue scan.
 */

let server: TestServer;
let client: ReceivableTestClient;
// 1 May 2026 in Shanghai: the first installment (30 April) is 1 day overdue, the second (31 July) not due.
const now = new Date('2026-05-01T02:00:00Z');

beforeAll(async () => {
  server = await startTestServer({ now });
  client = new ReceivableTestClient(server);
});

afterAll(async () => {
  await server.close();
});

async function approveAll(approvalId: number, approvers: string[]): Promise<void> {
  for (const userid of approvers) {
    const response = await client.call<ApprovalDetail>(userid, 'POST', `/approvals/${approvalId}/approve`, {});
    expect(response.status, `${userid}: ${JSON.stringify(response.body)}`).toBe(200);
  }
}

/**
 * Creates a customer of 张伟 with a discount agreement and a contract approved through 王磊 → 宋文博
 * (special discount) → 朱红梅, so its two installments (1,000,000 and 1,111,000 fen) are payment plans.
 */
async function approvedContract(): Promise<{ contract: ContractDetail; customerId: number; planIds: number[] }> {
  const customer = await createCustomerAs(server, await client.token('zhangwei01'));
  const agreement = await client.call('wanglei01', 'POST', `/customers/${customer.id}/discount-agreements`, {
    scope: 'customer',
    scopeValue: '',
    defaultDiscount: 6500,
    floorDiscount: 6300,
    validFrom: '2020-01-01',
    validTo: null,
    reason: '年度框架协议',
  });
  expect(agreement.status, JSON.stringify(agreement.body)).toBe(201);

  const draft = await client.call<ContractDetail>('zhangwei01', 'POST', '/contracts', contractBody(customer.id));
  expect(draft.status, JSON.stringify(draft.body)).toBe(201);
  const uploaded = await uploadContractFile(server, await client.token('zhangwei01'), draft.body.id, { name: '购销合同正文.pdf', bytes: pdfBytes(`合同 ${draft.body.id}`) });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const submitted = await client.call<ContractDetail>('zhangwei01', 'POST', `/contracts/${draft.body.id}/submit`, { version: uploaded.body.version });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  await approveAll(submitted.body.approval!.id, ['wanglei01', 'songwenbo01', 'zhuhongmei01']);

  const contract = (await client.call<ContractDetail>('zhangwei01', 'GET', `/contracts/${draft.body.id}`)).body;
  expect(contract.status).toBe('approved');
  const plans = await server.db.selectFrom('payment_plan').select('id').where('contract_id', '=', contract.id).orderBy('seq').execute();
  expect(plans).toHaveLength(2);
  return { contract, customerId: customer.id, planIds: plans.map((plan) => plan.id) };
}

async function voidThroughApproval(contract: ContractDetail): Promise<void> {
  const requested = await client.call<ContractDetail>('zhangwei01', 'POST', `/contracts/${contract.id}/void`, { reason: '客户取消本学期采购', version: contract.version });
  expect(requested.status, JSON.stringify(requested.body)).toBe(200);
  expect(requested.body.status).toBe('void_review');
  await approveAll(requested.body.voidApproval!.id, ['wanglei01', 'huming01', 'zhuhongmei01', 'chenguodong01']);
}

async function planRows(contractId: number) {
  return server.db.selectFrom('payment_plan').select(['id', 'status', 'allocated_fen', 'cancelled_fen', 'cancelled_at']).where('contract_id', '=', contractId).orderBy('seq').execute();
}

describe('contract void approval', () => {
  it('cancels every plan of a contract with no receipts', async () => {
    const { contract, customerId } = await approvedContract();
    const before = await client.call('zhuhongmei01', 'GET', `/receivables/customers/${customerId}/summary`);
    expect(before.body.aging.outstandingFen).toBe(2_111_000);

    await voidThroughApproval(contract);

    expect((await planRows(contract.id)).map((plan) => [plan.status, plan.allocated_fen, plan.cancelled_fen, plan.cancelled_at])).toEqual([
      ['cancelled', 0, 1_000_000, now.toISOString()],
      ['cancelled', 0, 1_111_000, now.toISOString()],
    ]);
    const after = await client.call('zhuhongmei01', 'GET', `/receivables/customers/${customerId}/summary`);
    expect(after.body.aging.outstandingFen).toBe(0);
    expect(after.body.outstandingFen).toBe(0);
    const notices = await server.db.selectFrom('outbox').select('id').where('dedup_key', 'like', `contract:${contract.id}:voided:%`).execute();
    expect(notices).toEqual([]);
  });

  it('shows cancelled plans only under their own filter', async () => {
    const { contract } = await approvedContract();

    await voidThroughApproval(contract);

    const unpaid = await client.call('zhangwei01', 'GET', `/receivables/plans?contractId=${contract.id}`);
    expect(unpaid.status, JSON.stringify(unpaid.body)).toBe(200);
    expect(unpaid.body.total).toBe(0);
    const cancelled = await client.call('zhangwei01', 'GET', `/receivables/plans?contractId=${contract.id}&status=cancelled`);
    expect(cancelled.body.items.map((plan: { status: string; outstandingFen: number; cancelledFen: number }) => [plan.status, plan.outstandingFen, plan.cancelledFen])).toEqual([
      ['cancelled', 0, 1_000_000],
      ['cancelled', 0, 1_111_000],
    ]);
  });

  it('keeps a partial allocation and cancels the rest', async () => {
    const { contract, customerId, planIds } = await approvedContract();
    const receipt = await client.call('gaoxiang01', 'POST', '/receivables/receipts', { customerId, receivedDate: '2026-04-28', amountFen: 400_000, payerName: '杭州晓风书屋有限公司', method: 'bank_transfer' });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);

    await voidThroughApproval(contract);

    expect((await planRows(contract.id)).map((plan) => [plan.status, plan.allocated_fen, plan.cancelled_fen])).toEqual([
      ['cancelled', 400_000, 600_000],
      ['cancelled', 0, 1_111_000],
    ]);
    const summary = await client.call('zhuhongmei01', 'GET', `/receivables/contracts/${contract.id}/summary`);
    expect(summary.body.receivedFen).toBe(400_000);
    expect(summary.body.cancelledFen).toBe(1_711_000);
    expect(summary.body.outstandingFen).toBe(0);
    expect(summary.body.overdueFen).toBe(0);
    const audits = await server.db.selectFrom('audit_log').select(['entity_id', 'data']).where('action', '=', 'payment_plan.cancelled').where('entity_id', 'in', planIds.map(String)).orderBy('id').execute();
    expect(audits.map((entry) => JSON.parse(entry.data).cancelledFen)).toEqual([600_000, 1_111_000]);
    const stored = await server.db.selectFrom('receipt').select('allocated_fen').where('id', '=', receipt.body.receipt.id).executeTakeFirstOrThrow();
    expect(stored.allocated_fen).toBe(400_000);
    const notices = await server.db.selectFrom('outbox').select(['recipient_user_id', 'payload']).where('dedup_key', 'like', `contract:${contract.id}:voided:kept-money:%`).orderBy('recipient_user_id').execute();
    expect(notices.map((notice) => notice.recipient_user_id)).toEqual(expect.arrayContaining([await server.userId('zhuhongmei01'), await server.userId('gaoxiang01')]));
    expect(JSON.parse(notices[0]!.payload).text).toContain('¥4,000.00');
  });

  it('leaves the plans open when the void is rejected', async () => {
    const { contract } = await approvedContract();
    const requested = await client.call<ContractDetail>('zhangwei01', 'POST', `/contracts/${contract.id}/void`, { reason: '误操作', version: contract.version });

    const rejected = await client.call('wanglei01', 'POST', `/approvals/${requested.body.voidApproval!.id}/reject`, { comment: '合同仍在履行' });

    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect((await planRows(contract.id)).map((plan) => plan.status)).toEqual(['open', 'open']);
  });

  it('sends no overdue notice for cancelled plans', async () => {
    const { contract, planIds } = await approvedContract();
    const stillValid = await approvedContract();
    await voidThroughApproval(contract);

    await runOverdueScan({ db: server.db, logger: pino({ level: 'silent' }), at: now, timeZone: 'Asia/Shanghai', publicUrl: 'https://crm.example.com' });

    const noticesOf = (planId: number) => server.db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', `overdue:${planId}:%`).execute();
    expect(await noticesOf(planIds[0]!)).toEqual([]);
    expect(await noticesOf(stillValid.planIds[0]!)).toHaveLength(1);
  });
});
