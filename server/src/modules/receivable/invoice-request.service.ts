import type { ApprovalSubject } from '@shared/api/approval.js';
import type { CreateInvoiceRequest } from '@shared/api/receivable-invoice.js';
import { formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden } from '../../http/app-error.js';
import { canonicalJson, sha256Hex } from '../../lib/hash.js';
import { submitApproval } from '../approval/approval.service.js';
import { appendAudit } from '../audit/audit.service.js';
import { appendTimeline } from '../customer/timeline.service.js';
import { contractReceivableSummary, loadMoneyContractOrThrow } from './contract-summary.service.js';
import { nextDocumentNumber } from './document-number.js';
import { findLatestRequestForCustomer, insertInvoiceRequest, setInvoiceRequestApproval, type InvoiceRequestRow } from './invoice.repository.js';
import { contractInForceStatuses, findReceivableCustomer, type ReceivableContract } from './receivable-scope.js';

export const invoiceRequestSubjectType = 'invoice_request';

/**
 * Prefills a new invoice request on a contract. The buyer is the customer, with its credit code as tax
 * id. Address, phone and bank come from the customer's latest request. The limits come from the
 * contract's shipments, returns and fapiao so far.
 */
export async function getInvoicePrefill(db: Db, actor: Actor, contractId: number, today: string) {
  const contract = await loadMoneyContractOrThrow(db, actor, contractId);
  const customer = await findReceivableCustomer(db, contract.customerId);
  const previous = await findLatestRequestForCustomer(db, contract.customerId);
  const summary = await contractReceivableSummary(db, contractId, today);
  return {
    contractId,
    contractNumber: contract.number,
    customer: { id: contract.customerId, name: customer?.name ?? '', ownerId: customer?.ownerId ?? null, ownerName: customer?.ownerName ?? null },
    creditCode: customer?.creditCode ?? null,
    buyerName: previous?.buyer_name ?? customer?.name ?? '',
    taxId: previous?.tax_id ?? customer?.creditCode ?? '',
    addressPhone: previous?.address_phone ?? customer?.address ?? '',
    bankAccount: previous?.bank_account ?? '',
    shippedNetFen: summary.shippedNetFen,
    returnedNetFen: summary.returnedNetFen,
    invoicedFen: summary.invoicedFen,
    reservedFen: summary.reservedFen,
    invoiceableFen: summary.invoiceableFen,
  };
}

/** Reps request invoices for contracts of their customers; managers for their team; finance for anyone. */
function assertMayRequestInvoice(actor: Actor): void {
  if (!hasRole(actor, 'rep', 'manager', 'finance', 'admin')) throw forbidden('申请开票');
}

/**
 * Checks an invoice request against the contract. The contract must be in force. The tax id must equal
 * the customer's credit code unless the user confirmed a different buyer. The amount may not pass
 * shipped 实洋 − returns − invoiced − what other open requests reserve.
 */
async function assertRequestAllowed(db: DbExecutor, contract: ReceivableContract, input: { taxId: string; differentBuyerConfirmed: boolean; amountFen: number }, today: string): Promise<void> {
  if (!contractInForceStatuses.includes(contract.status)) {
    throw conflict('contract_not_in_force', `合同 ${contract.number} 尚未审批通过（当前状态：${contract.status}），审批通过后才能申请开票`);
  }

  const customer = await findReceivableCustomer(db, contract.customerId);
  const creditCode = customer?.creditCode ?? null;
  if (!input.differentBuyerConfirmed && creditCode !== input.taxId) {
    throw badRequest(
      'tax_id_mismatch',
      creditCode
        ? `纳税人识别号 ${input.taxId} 与客户的统一社会信用代码 ${creditCode} 不一致：请核对；如确由其他单位付款开票，请勾选“购买方不是该客户”后提交`
        : `客户资料中没有统一社会信用代码，无法核对纳税人识别号 ${input.taxId}：请先补全客户资料，或勾选“购买方不是该客户”后提交`,
      { creditCode },
    );
  }

  const summary = await contractReceivableSummary(db, contract.id, today);
  if (input.amountFen > summary.invoiceableFen) {
    throw badRequest(
      'invoice_amount_exceeds',
      `开票金额 ${formatYuan(input.amountFen)} 超过可开票金额 ${formatYuan(summary.invoiceableFen)}（已发货实洋 ${formatYuan(summary.shippedNetFen)} − 退货 ${formatYuan(summary.returnedNetFen)} − 已开票 ${formatYuan(summary.invoicedFen)} − 审批中/待开票 ${formatYuan(summary.reservedFen)}）`,
      { invoiceableFen: summary.invoiceableFen },
    );
  }
}

export interface InvoiceRequestContext {
  now: Date;
  today: string;
}

/** Creates an invoice request and submits it to the 开票申请审批 template in one transaction. */
export async function createInvoiceRequest(db: Db, actor: Actor, input: CreateInvoiceRequest, context: InvoiceRequestContext): Promise<number> {
  assertMayRequestInvoice(actor);
  const contract = await loadMoneyContractOrThrow(db, actor, input.contractId);

  return db.transaction().execute(async (trx) => {
    await assertRequestAllowed(trx, contract, input, context.today);

    const number = await nextDocumentNumber(trx, 'invoice_request', 'KP', context.today);
    const requestId = await insertInvoiceRequest(trx, {
      number,
      contract_id: contract.id,
      customer_id: contract.customerId,
      buyer_name: input.buyerName,
      tax_id: input.taxId,
      address_phone: input.addressPhone,
      bank_account: input.bankAccount,
      amount_fen: input.amountFen,
      issued_fen: 0,
      different_buyer_confirmed: input.differentBuyerConfirmed ? 1 : 0,
      status: 'pending_approval',
      approval_id: null,
      note: input.note,
      requested_by: actor.id,
      created_at: context.now.toISOString(),
      decided_at: null,
    });

    const subject = approvalSubjectOf({ number, buyerName: input.buyerName, taxId: input.taxId, amountFen: input.amountFen, differentBuyer: input.differentBuyerConfirmed, note: input.note }, contract, requestId);
    const approvalId = await submitApproval(trx, {
      templateCode: 'invoice_request',
      subjectType: invoiceRequestSubjectType,
      subjectId: requestId,
      submitterId: actor.id,
      subject,
      contentHash: sha256Hex(canonicalJson({ ...input, number })),
      now: context.now,
    });
    await setInvoiceRequestApproval(trx, requestId, approvalId);

    await appendAudit(trx, { actorUserId: actor.id, action: 'invoice_request.submitted', entityType: 'invoice_request', entityId: requestId, data: { ...input, number }, occurredAt: context.now });
    await appendTimeline(trx, {
      customerId: contract.customerId,
      kind: 'invoice',
      refType: 'invoice_request',
      refId: requestId,
      title: `申请开票 ${formatYuan(input.amountFen)}`,
      summary: `合同 ${contract.number}，购买方 ${input.buyerName}，单号 ${number}`,
      actorUserId: actor.id,
      occurredAt: context.now,
      dedupKey: `invoice_request:${requestId}:submitted`,
    });
    return requestId;
  });
}

export function approvalSubjectOf(
  request: { number: string; buyerName: string; taxId: string; amountFen: number; differentBuyer: boolean; note: string | null },
  contract: ReceivableContract,
  requestId: number,
): ApprovalSubject {
  return {
    title: `开票申请：${request.buyerName} ${formatYuan(request.amountFen)}`,
    amountFen: request.amountFen,
    hasSpecialDiscount: false,
    summaryFields: [
      { label: '申请单号', value: request.number },
      { label: '合同', value: `${contract.number} ${contract.title}` },
      { label: '购买方', value: request.buyerName },
      { label: '纳税人识别号', value: request.differentBuyer ? `${request.taxId}（购买方不是合同客户，已确认）` : request.taxId },
      { label: '开票金额', value: formatYuan(request.amountFen) },
      ...(request.note ? [{ label: '备注', value: request.note }] : []),
    ],
    url: `/receivables/invoice-requests/${requestId}`,
  };
}

export function requestSummaryOf(row: InvoiceRequestRow) {
  return { number: row.number, buyerName: row.buyer_name, taxId: row.tax_id, amountFen: row.amount_fen, differentBuyer: row.different_buyer_confirmed === 1, note: row.note };
}

export { assertRequestAllowed };
