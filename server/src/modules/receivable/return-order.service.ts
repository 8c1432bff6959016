import type { ApprovalSubject } from '@shared/api/approval.js';
import type { CreateReturnOrder } from '@shared/api/receivable-documents.js';
import { formatYuan } from '@shared/money.js';
import { drawOldestLotsFirst, ratioBasisPoints, returnNeedsApproval, shiftDate } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { DataScope } from '../../access/scope.js';
import type { Db, DbExecutor, DbTransaction } from '../../db/database.js';
import { badRequest, conflict } from '../../http/app-error.js';
import { canonicalJson, sha256Hex } from '../../lib/hash.js';
import { registerApprovalSubject, submitApproval, type ApprovalDecision } from '../approval/approval.service.js';
import { appendAudit } from '../audit/audit.service.js';
import { appendTimeline } from '../customer/timeline.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { creditReturnToPlans } from './allocation.service.js';
import { addLotQuantity, findAgreement, insertReturnDraws, listReturnDraws, listUnsoldLots } from './consignment.repository.js';
import { assertMayEnterDocuments, loadDocumentParties } from './document-access.js';
import { priceDocumentLines, type PricedLine } from './document-lines.js';
import { nextDocumentNumber } from './document-number.js';
import { postLedgerEntry } from './ledger.service.js';
import { loadMoneyScope } from './receivable-access.js';
import { getReceivableSettings } from './receivable.settings.js';
import { findReturnOrderById, findReturnOrderByNumber, insertReturnOrder, sumReturnedListFen, sumReturnsForContract, updateReturnOrderStatus, type ReturnOrderRow } from './return-order.repository.js';
import { findReceivableCustomer, type ReceivableContract, type ReceivableCustomer } from './receivable-scope.js';
import { findShipmentById, sumShippedListFen, sumShippedListForContract } from './shipment.repository.js';

export const returnOrderSubjectType = 'return_order';

let publicUrl = '';

export function configureReturnLinks(url: string): void {
  publicUrl = url.replace(/\/+$/, '');
}

/**
 * Measures a return against the contract's shipped 码洋 and its earlier returns (confirmed
 * or awaiting approval) when the return names a contract, otherwise the customer's last 365 days.
 */
async function measureReturnShare(db: DbExecutor, customerId: number, contract: ReceivableContract | null, returnDate: string): Promise<{ shippedListFen: number; returnedListFen: number }> {
  if (contract) {
    const [shippedListFen, returns] = await Promise.all([sumShippedListForContract(db, contract.id), sumReturnsForContract(db, contract.id)]);
    return { shippedListFen, returnedListFen: returns.confirmedListFen + returns.pendingListFen };
  }
  const from = shiftDate(returnDate, -365);
  const [shippedListFen, returnedListFen] = await Promise.all([sumShippedListFen(db, { customerId }, from, returnDate), sumReturnedListFen(db, { customerId }, from, returnDate)]);
  return { shippedListFen, returnedListFen };
}

/**
 * Records a return (退货单). Within the configured share of shipped 码洋 it is confirmed at once and
 * lowers what the customer owes; above it, it goes to the 退货审批 template and takes effect on
 * approval. Consignment returns take unsold copies back out of the store's stock, oldest shipment first.
 */
export async function recordReturnOrder(db: DbTransaction, actor: Actor, scope: DataScope, input: CreateReturnOrder & { source?: 'manual' | 'import' }, now: Date): Promise<{ id: number; status: ReturnOrderRow['status'] }> {
  assertMayEnterDocuments(actor, '登记退货单');
  const { customer, contract } = await loadDocumentParties(db, scope, input.customerId, input.contractId);
  if (input.shipmentId) {
    const shipment = await findShipmentById(db, input.shipmentId);
    if (!shipment || shipment.customer_id !== customer.id) throw badRequest('shipment_customer_mismatch', `发货单 #${input.shipmentId} 不属于客户“${customer.name}”`);
  }
  const priced = await priceDocumentLines(db, input.lines);
  const number = input.number ?? (await nextDocumentNumber(db, 'return_order', 'TH', input.returnDate));
  if (await findReturnOrderByNumber(db, number)) throw conflict('return_number_duplicate', `退货单号 ${number} 已存在，同一张退货单不能登记两次`);

  const agreement = await findAgreement(db, customer.id);
  const terms = agreement?.active === 1 ? 'consignment' : 'sale';
  const settings = await getReceivableSettings(db);
  const measured = await measureReturnShare(db, customer.id, contract, input.returnDate);
  const needsApproval = returnNeedsApproval({ ...measured, thisReturnListFen: priced.listAmountFen, maxShareBp: settings.returnApprovalShareBp });

  const { id, lineIds } = await insertReturnOrder(
    db,
    {
      number,
      customer_id: customer.id,
      contract_id: contract?.id ?? null,
      shipment_id: input.shipmentId ?? null,
      return_date: input.returnDate,
      terms,
      list_amount_fen: priced.listAmountFen,
      net_amount_fen: priced.netAmountFen,
      total_quantity: priced.totalQuantity,
      credited_fen: 0,
      status: needsApproval ? 'pending_approval' : 'confirmed',
      approval_id: null,
      reason: input.reason,
      source: input.source ?? 'manual',
      created_by: actor.id,
      created_at: now.toISOString(),
      confirmed_at: needsApproval ? null : now.toISOString(),
    },
    priced.lines,
  );
  if (terms === 'consignment') await drawConsignmentStock(db, customer, priced.lines, lineIds);

  const shareBp = ratioBasisPoints(measured.returnedListFen + priced.listAmountFen, measured.shippedListFen);
  await appendAudit(db, { actorUserId: actor.id, action: 'return_order.recorded', entityType: 'return_order', entityId: id, data: { number, customerId: customer.id, contractId: contract?.id ?? null, terms, listAmountFen: priced.listAmountFen, netAmountFen: priced.netAmountFen, shareBp, needsApproval }, occurredAt: now });

  if (needsApproval) {
    const approvalId = await submitApproval(db, {
      templateCode: 'return_order',
      subjectType: returnOrderSubjectType,
      subjectId: id,
      submitterId: actor.id,
      subject: approvalSubjectOf({ id, number, reason: input.reason, listAmountFen: priced.listAmountFen, netAmountFen: priced.netAmountFen, returnDate: input.returnDate }, customer, contract, shareBp, priced.lines),
      contentHash: sha256Hex(canonicalJson({ number, lines: priced.lines })),
      now,
    });
    await db.updateTable('return_order').set({ approval_id: approvalId }).where('id', '=', id).execute();
  } else {
    await applyConfirmedReturn(db, id, actor.id, now);
  }

  const current = await findReturnOrderById(db, id);
  return { id, status: current!.status };
}

export async function createReturnOrder(db: Db, actor: Actor, input: CreateReturnOrder, now: Date) {
  const scope = await loadMoneyScope(db, actor);
  return db.transaction().execute((trx) => recordReturnOrder(trx, actor, scope, input, now));
}

async function drawConsignmentStock(db: DbExecutor, customer: ReceivableCustomer, lines: PricedLine[], lineIds: number[]): Promise<void> {
  const draws: { return_order_line_id: number; shipment_line_id: number; quantity: number }[] = [];
  for (const [index, line] of lines.entries()) {
    const lots = await listUnsoldLots(db, customer.id, line.isbn);
    const { draws: taken, short } = drawOldestLotsFirst(
      line.quantity,
      lots.map((lot) => ({ id: lot.id, shippedDate: lot.shipped_date, unsoldQuantity: lot.quantity - lot.settled_quantity - lot.returned_quantity })),
    );
    if (short > 0) throw badRequest('consignment_stock_short', `《${line.title}》在“${customer.name}”的寄销库存只有 ${line.quantity - short} 册，不能退 ${line.quantity} 册`);
    for (const draw of taken) {
      if (!(await addLotQuantity(db, draw.lotId, 'returned_quantity', draw.quantity))) throw conflict('consignment_stock_changed', '寄销库存刚被其他单据占用，请刷新后重试');
      draws.push({ return_order_line_id: lineIds[index]!, shipment_line_id: draw.lotId, quantity: draw.quantity });
    }
  }
  await insertReturnDraws(db, draws);
}

/**
 * Applies a confirmed return. A sale return is booked in the ledger as a credit and applied to its
 * contract's plans. A consignment return only leaves the stock, which was drawn when it was recorded.
 */
async function applyConfirmedReturn(db: DbExecutor, returnOrderId: number, actorUserId: number | null, now: Date): Promise<void> {
  const row = await findReturnOrderById(db, returnOrderId);
  if (!row) return;
  if (row.terms === 'sale') {
    await postLedgerEntry(db, {
      customerId: row.customer_id,
      kind: 'return',
      sourceId: row.id,
      documentNumber: row.number,
      entryDate: row.return_date,
      amountFen: row.net_amount_fen,
      listAmountFen: row.list_amount_fen,
      description: `退货 ${row.total_quantity} 册：${row.reason}`,
      now,
    });
    await creditReturnToPlans(db, { returnOrderId: row.id, actorUserId, now });
  }
  await appendTimeline(db, {
    customerId: row.customer_id,
    kind: 'return',
    refType: 'return_order',
    refId: row.id,
    title: `退货 ${formatYuan(row.net_amount_fen)}（码洋 ${formatYuan(row.list_amount_fen)}）`,
    summary: `${row.number}，${row.total_quantity} 册：${row.reason}`,
    actorUserId,
    occurredAt: now,
    dedupKey: `return_order:${row.id}:confirmed`,
  });
}

function approvalSubjectOf(
  order: { id: number; number: string; reason: string; listAmountFen: number; netAmountFen: number; returnDate: string },
  customer: ReceivableCustomer,
  contract: ReceivableContract | null,
  shareBp: number | null,
  lines: PricedLine[],
): ApprovalSubject {
  return {
    title: `退货审批：${customer.name} 码洋 ${formatYuan(order.listAmountFen)}`,
    amountFen: order.listAmountFen,
    hasSpecialDiscount: false,
    summaryFields: [
      { label: '退货单号', value: order.number },
      { label: '客户', value: customer.name },
      ...(contract ? [{ label: '合同', value: contract.number }] : []),
      { label: '退货日期', value: order.returnDate },
      { label: '码洋 / 实洋', value: `${formatYuan(order.listAmountFen)} / ${formatYuan(order.netAmountFen)}` },
      { label: contract ? '合同累计退货率' : '近一年累计退货率', value: shareBp === null ? '无发货记录' : `${(shareBp / 100).toFixed(1)}%` },
      { label: '原因', value: order.reason },
    ],
    url: `/receivables/returns/${order.id}`,
    lines: lines.slice(0, 50).map((line) => ({
      title: line.title,
      isbn: line.isbn,
      quantity: line.quantity,
      listPriceFen: line.list_price_fen,
      discount: line.discount,
      netAmountFen: line.net_amount_fen,
      floorDiscount: null,
      isSpecialDiscount: false,
    })),
  };
}

async function decide(trx: DbTransaction, decision: ApprovalDecision, outcome: 'confirmed' | 'rejected' | 'withdrawn'): Promise<void> {
  const row = await findReturnOrderById(trx, decision.subjectId);
  if (!row) return;
  if (!(await updateReturnOrderStatus(trx, row.id, 'pending_approval', outcome, outcome === 'confirmed' ? decision.now.toISOString() : null))) return;

  if (outcome === 'confirmed') await applyConfirmedReturn(trx, row.id, decision.actorUserId, decision.now);
  if (outcome !== 'confirmed' && row.terms === 'consignment') {
    // The copies drawn when the return was recorded go back into the store's stock.
    for (const draw of await listReturnDraws(trx, row.id)) await addLotQuantity(trx, draw.shipment_line_id, 'returned_quantity', -draw.quantity);
  }

  await appendAudit(trx, { actorUserId: decision.actorUserId, action: `return_order.${outcome}`, entityType: 'return_order', entityId: row.id, data: { approvalId: decision.approvalId }, occurredAt: decision.now });
  const customer = await findReceivableCustomer(trx, row.customer_id);
  const verdict = { confirmed: '审批通过', rejected: '被驳回', withdrawn: '已撤回' }[outcome];
  await queueNotice(trx, {
    dedupKey: `return_order:${row.id}:${outcome}:${decision.now.toISOString()}`,
    recipientUserId: row.created_by,
    content: {
      title: `退货单${verdict}`,
      fields: [
        { label: '退货单号', value: row.number },
        { label: '客户', value: customer?.name ?? '' },
        { label: '码洋', value: formatYuan(row.list_amount_fen) },
      ],
      text: outcome === 'confirmed' ? '退货已生效，客户应收已相应减少。' : '退货未生效，可在退货单页面查看。',
      url: `${publicUrl}/receivables/returns/${row.id}`,
      buttonText: '查看退货单',
    },
    now: decision.now,
  });
}

registerApprovalSubject(returnOrderSubjectType, {
  onApproved: (trx, decision) => decide(trx, decision, 'confirmed'),
  onRejected: (trx, decision) => decide(trx, decision, 'rejected'),
  onWithdrawn: (trx, decision) => decide(trx, decision, 'withdrawn'),
});

