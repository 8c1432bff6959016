import type { RecordInvoice } from '@shared/api/receivable-invoice.js';
import type { z } from 'zod';
import type { invoiceRequestSchema, invoiceSchema, recordRedInvoiceSchema } from '@shared/api/receivable-invoice.js';
import { formatYuan } from '@shared/money.js';
import { parseFapiaoNumber, taxIncludedFen } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { DataScope } from '../../access/scope.js';
import type { Db, DbExecutor, DbTransaction } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../http/app-error.js';
import { registerApprovalSubject, type ApprovalDecision } from '../approval/approval.service.js';
import { appendAudit } from '../audit/audit.service.js';
import { appendTimeline } from '../customer/timeline.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { listUsersWithRole } from '../org/org.repository.js';
import {
  addIssuedToRequest,
  addReversedToInvoice,
  findInvoiceById,
  findInvoiceByNumber,
  findInvoiceRequestById,
  insertInvoice,
  listInvoiceLines,
  listInvoiceRequests,
  listInvoicesForRequest,
  updateInvoiceRequestStatus,
  type InvoiceRequestFilter,
  type InvoiceRequestRow,
  type InvoiceRow,
} from './invoice.repository.js';
import { approvalSubjectOf, assertRequestAllowed, invoiceRequestSubjectType, requestSummaryOf } from './invoice-request.service.js';
import { assertFinance, loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toCustomerRef } from './receivable.mapper.js';
import { findReceivableContract, listContractNumbers, listCustomerNames } from './receivable-scope.js';

type InvoiceRequestView = z.infer<typeof invoiceRequestSchema>;
type InvoiceView = z.infer<typeof invoiceSchema>;

let publicUrl = '';

/** Sets the H5 base address of notice links, once, when the routes are registered. */
export function configureInvoiceLinks(url: string): void {
  publicUrl = url.replace(/\/+$/, '');
}

async function toInvoiceRequests(db: DbExecutor, rows: InvoiceRequestRow[]): Promise<InvoiceRequestView[]> {
  const [customers, contractNumbers] = await Promise.all([listCustomerNames(db, rows.map((row) => row.customer_id)), listContractNumbers(db, rows.map((row) => row.contract_id))]);
  const userIds = [...new Set(rows.map((row) => row.requested_by))];
  const users = userIds.length > 0 ? await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).execute() : [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    contractId: row.contract_id,
    contractNumber: contractNumbers.get(row.contract_id) ?? null,
    customer: toCustomerRef(row.customer_id, customers),
    buyerName: row.buyer_name,
    taxId: row.tax_id,
    addressPhone: row.address_phone,
    bankAccount: row.bank_account,
    amountFen: row.amount_fen,
    issuedFen: row.issued_fen,
    differentBuyerConfirmed: row.different_buyer_confirmed === 1,
    status: row.status,
    approvalId: row.approval_id,
    note: row.note,
    requestedBy: { id: row.requested_by, name: names.get(row.requested_by) ?? '' },
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  }));
}

async function toInvoices(db: DbExecutor, rows: InvoiceRow[]): Promise<InvoiceView[]> {
  const lines = await listInvoiceLines(db, rows.map((row) => row.id));
  return rows.map((row) => ({
    id: row.id,
    invoiceRequestId: row.invoice_request_id,
    kind: row.kind,
    invoiceCode: row.invoice_code,
    invoiceNumber: row.invoice_number,
    issueDate: row.issue_date,
    amountFen: row.amount_fen,
    taxFen: row.tax_fen,
    reversesInvoiceId: row.reverses_invoice_id,
    reversedFen: row.reversed_fen,
    lines: lines
      .filter((line) => line.invoice_id === row.id)
      .map((line) => ({ lineNo: line.line_no, description: line.description, amountFen: line.amount_fen, taxRateBp: line.tax_rate_bp, taxFen: line.tax_fen })),
    createdAt: row.created_at,
  }));
}

async function loadRequestInScopeOrThrow(db: DbExecutor, scope: DataScope, requestId: number): Promise<InvoiceRequestRow> {
  const row = await findInvoiceRequestById(db, requestId);
  if (!row) throw notFound('开票申请');
  try {
    await loadMoneyCustomerOrThrow(db, scope, row.customer_id);
  } catch {
    throw notFound('开票申请');
  }
  return row;
}

export async function listInvoiceRequestsForActor(db: Db, actor: Actor, filter: Omit<InvoiceRequestFilter, 'scope'>) {
  const scope = await loadMoneyScope(db, actor);
  const { rows, total } = await listInvoiceRequests(db, { ...filter, scope });
  return { items: await toInvoiceRequests(db, rows), total };
}

export async function getInvoiceRequestDetail(db: Db, actor: Actor, requestId: number) {
  const scope = await loadMoneyScope(db, actor);
  const row = await loadRequestInScopeOrThrow(db, scope, requestId);
  const [request] = await toInvoiceRequests(db, [row]);
  return { request: request!, invoices: await toInvoices(db, await listInvoicesForRequest(db, requestId)) };
}

function assertFapiaoNumber(code: string, number: string): { code: string; number: string } {
  const parsed = parseFapiaoNumber(code, number);
  if (!parsed.ok) throw badRequest('invoice_number_invalid', '发票号码格式不正确：数电票为 20 位数字；纸质票需填 10 或 12 位发票代码和 8 位号码');
  return { code: parsed.code ?? '', number: parsed.number };
}

/**
 * Records a blue fapiao issued for an approved request. Lines carry tax-inclusive amounts and a rate;
 * the tax of each line is derived from them. The total may not pass what the request has left.
 */
export async function recordInvoice(db: Db, actor: Actor, requestId: number, input: RecordInvoice, now: Date): Promise<number> {
  assertFinance(actor, '登记发票');
  const scope = await loadMoneyScope(db, actor);
  await loadRequestInScopeOrThrow(db, scope, requestId);
  const fapiao = assertFapiaoNumber(input.invoiceCode, input.invoiceNumber);

  return db.transaction().execute(async (trx) => {
    const request = await findInvoiceRequestById(trx, requestId);
    if (!request) throw notFound('开票申请');
    if (request.status !== 'approved') throw conflict('invoice_request_not_approved', `开票申请 ${request.number} 当前状态不能开票：只有审批通过、尚未开完的申请可以登记发票`);
    if (await findInvoiceByNumber(trx, fapiao.code, fapiao.number)) {
      throw conflict('invoice_number_duplicate', `发票 ${fapiao.code ? `${fapiao.code} ` : ''}${fapiao.number} 已登记过，请核对号码`);
    }

    const lines = input.lines.map((line, index) => ({ line_no: index + 1, description: line.description, amount_fen: line.amountFen, tax_rate_bp: line.taxRateBp, tax_fen: taxIncludedFen(line.amountFen, line.taxRateBp) }));
    const amountFen = lines.reduce((sum, line) => sum + line.amount_fen, 0);
    const leftFen = request.amount_fen - request.issued_fen;
    if (amountFen > leftFen) {
      throw badRequest('invoice_exceeds_request', `发票合计 ${formatYuan(amountFen)} 超过开票申请剩余金额 ${formatYuan(leftFen)}（申请 ${formatYuan(request.amount_fen)}，已开 ${formatYuan(request.issued_fen)}）`);
    }

    const invoiceId = await insertInvoice(
      trx,
      {
        invoice_request_id: request.id,
        contract_id: request.contract_id,
        customer_id: request.customer_id,
        kind: 'blue',
        invoice_code: fapiao.code,
        invoice_number: fapiao.number,
        issue_date: input.issueDate,
        amount_fen: amountFen,
        tax_fen: lines.reduce((sum, line) => sum + line.tax_fen, 0),
        reverses_invoice_id: null,
        reversed_fen: 0,
        recorded_by: actor.id,
        created_at: now.toISOString(),
      },
      lines,
    );
    if (!(await addIssuedToRequest(trx, request.id, amountFen))) throw conflict('invoice_exceeds_request', '开票申请剩余金额已变化，请刷新后重试');

    await appendAudit(trx, { actorUserId: actor.id, action: 'invoice.issued', entityType: 'invoice', entityId: invoiceId, data: { requestId: request.id, ...fapiao, amountFen, issueDate: input.issueDate }, occurredAt: now });
    await appendTimeline(trx, {
      customerId: request.customer_id,
      kind: 'invoice',
      refType: 'invoice_request',
      refId: request.id,
      title: `已开发票 ${formatYuan(amountFen)}`,
      summary: `发票号码 ${fapiao.number}，开票日期 ${input.issueDate}`,
      actorUserId: actor.id,
      occurredAt: now,
      dedupKey: `invoice:${invoiceId}:issued`,
    });
    await queueNotice(trx, {
      dedupKey: `invoice:${invoiceId}:requester`,
      recipientUserId: request.requested_by,
      content: {
        title: '发票已开具',
        fields: [
          { label: '购买方', value: request.buyer_name },
          { label: '发票号码', value: fapiao.number },
          { label: '金额', value: formatYuan(amountFen) },
        ],
        text: `开票申请 ${request.number} 的发票已开具。`,
        url: `${publicUrl}/receivables/invoice-requests/${request.id}`,
        buttonText: '查看开票申请',
      },
      now,
    });
    return invoiceId;
  });
}

/**
 * Records a red-letter fapiao (红字发票) that reverses all or part of a blue one. The reversed amount
 * lowers the contract's invoiced total, so it can be requested again; the original request stays closed.
 */
export async function recordRedInvoice(db: Db, actor: Actor, blueInvoiceId: number, input: z.infer<typeof recordRedInvoiceSchema>, now: Date): Promise<{ invoiceId: number; requestId: number }> {
  assertFinance(actor, '登记红字发票');
  const scope = await loadMoneyScope(db, actor);
  const blue = await findInvoiceById(db, blueInvoiceId);
  if (!blue) throw notFound('发票');
  await loadRequestInScopeOrThrow(db, scope, blue.invoice_request_id);
  const fapiao = assertFapiaoNumber(input.invoiceCode, input.invoiceNumber);

  return db.transaction().execute(async (trx) => {
    const current = await findInvoiceById(trx, blueInvoiceId);
    if (!current || current.kind !== 'blue') throw badRequest('invoice_not_blue', '只能对蓝字发票开具红字发票');
    const leftFen = current.amount_fen - current.reversed_fen;
    if (input.amountFen > leftFen) throw badRequest('red_invoice_exceeds', `红冲金额 ${formatYuan(input.amountFen)} 超过该发票可红冲的 ${formatYuan(leftFen)}`);
    if (await findInvoiceByNumber(trx, fapiao.code, fapiao.number)) throw conflict('invoice_number_duplicate', `发票号码 ${fapiao.number} 已登记过，请核对`);

    const taxFen = current.amount_fen === 0 ? 0 : Math.round((current.tax_fen * input.amountFen) / current.amount_fen);
    const redId = await insertInvoice(
      trx,
      {
        invoice_request_id: current.invoice_request_id,
        contract_id: current.contract_id,
        customer_id: current.customer_id,
        kind: 'red',
        invoice_code: fapiao.code,
        invoice_number: fapiao.number,
        issue_date: input.issueDate,
        amount_fen: input.amountFen,
        tax_fen: taxFen,
        reverses_invoice_id: current.id,
        reversed_fen: 0,
        recorded_by: actor.id,
        created_at: now.toISOString(),
      },
      [{ line_no: 1, description: `红冲 ${current.invoice_number}：${input.reason}`, amount_fen: input.amountFen, tax_rate_bp: 0, tax_fen: taxFen }],
    );
    if (!(await addReversedToInvoice(trx, current.id, input.amountFen))) throw conflict('red_invoice_exceeds', '该发票可红冲金额已变化，请刷新后重试');
    if (!(await addIssuedToRequest(trx, current.invoice_request_id, -input.amountFen))) throw conflict('red_invoice_conflict', '开票申请的已开金额与记录不符，请联系管理员');

    await appendAudit(trx, { actorUserId: actor.id, action: 'invoice.red_letter', entityType: 'invoice', entityId: redId, data: { reverses: current.id, ...fapiao, amountFen: input.amountFen, reason: input.reason }, occurredAt: now });
    await appendTimeline(trx, {
      customerId: current.customer_id,
      kind: 'invoice',
      refType: 'invoice_request',
      refId: current.invoice_request_id,
      title: `红字发票 ${formatYuan(input.amountFen)}`,
      summary: `冲销发票 ${current.invoice_number}：${input.reason}`,
      actorUserId: actor.id,
      occurredAt: now,
      dedupKey: `invoice:${redId}:red`,
    });
    return { invoiceId: redId, requestId: current.invoice_request_id };
  });
}

async function decide(trx: DbTransaction, decision: ApprovalDecision, outcome: 'approved' | 'rejected' | 'withdrawn'): Promise<void> {
  const request = await findInvoiceRequestById(trx, decision.subjectId);
  if (!request) return;
  const moved = await updateInvoiceRequestStatus(trx, request.id, ['pending_approval'], outcome, decision.now.toISOString());
  if (!moved) return;

  await appendAudit(trx, { actorUserId: decision.actorUserId, action: `invoice_request.${outcome}`, entityType: 'invoice_request', entityId: request.id, data: { approvalId: decision.approvalId }, occurredAt: decision.now });
  const url = `${publicUrl}/receivables/invoice-requests/${request.id}`;
  const verdict = { approved: '审批通过', rejected: '被驳回', withdrawn: '已撤回' }[outcome];
  await queueNotice(trx, {
    dedupKey: `invoice_request:${request.id}:${outcome}:${decision.approvalId}:${decision.now.toISOString()}`,
    recipientUserId: request.requested_by,
    content: {
      title: `开票申请${verdict}`,
      fields: [
        { label: '申请单号', value: request.number },
        { label: '购买方', value: request.buyer_name },
        { label: '金额', value: formatYuan(request.amount_fen) },
      ],
      text: outcome === 'approved' ? '财务将按申请开具发票。' : '可在开票申请页面查看原因。',
      url,
      buttonText: '查看开票申请',
    },
    now: decision.now,
  });
  if (outcome !== 'approved') return;

  for (const user of await listUsersWithRole(trx, 'finance')) {
    await queueNotice(trx, {
      dedupKey: `invoice_request:${request.id}:to_issue:${user.id}`,
      recipientUserId: user.id,
      content: {
        title: '待开票',
        fields: [
          { label: '申请单号', value: request.number },
          { label: '购买方', value: request.buyer_name },
          { label: '纳税人识别号', value: request.tax_id },
          { label: '金额', value: formatYuan(request.amount_fen) },
        ],
        text: '开票申请已审批通过，请开具发票后在系统中登记发票号码。',
        url,
        buttonText: '登记发票',
      },
      now: decision.now,
    });
  }
}

registerApprovalSubject(invoiceRequestSubjectType, {
  onApproved: (trx, decision) => decide(trx, decision, 'approved'),
  onRejected: (trx, decision) => decide(trx, decision, 'rejected'),
  onWithdrawn: (trx, decision) => decide(trx, decision, 'withdrawn'),
  async prepareResubmission(trx, input) {
    const request = await findInvoiceRequestById(trx, input.subjectId);
    if (!request || (request.status !== 'rejected' && request.status !== 'withdrawn')) {
      throw conflict('invoice_request_not_resubmittable', '该开票申请当前不能重新提交');
    }
    const contract = await findReceivableContract(trx, request.contract_id);
    if (!contract) throw notFound('合同');
    const today = input.now.toISOString().slice(0, 10);
    await assertRequestAllowed(trx, contract, { taxId: request.tax_id, differentBuyerConfirmed: request.different_buyer_confirmed === 1, amountFen: request.amount_fen }, today);
    await updateInvoiceRequestStatus(trx, request.id, ['rejected', 'withdrawn'], 'pending_approval', null);
    const summary = requestSummaryOf(request);
    return { subject: approvalSubjectOf(summary, contract, request.id), contentHash: `${request.number}:${request.amount_fen}` };
  },
});
