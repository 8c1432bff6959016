import { formatYuan, lineAmounts } from '@shared/money.js';
import { isbnErrorMessages, parseIsbn } from '@shared/isbn.js';
import { daysFromTo, drawOldestLotsFirst, returnWindowEnd, shiftDate } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { DataScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import {
  addLotQuantity,
  findAgreement,
  findSettlementById,
  insertSettlement,
  listActiveAgreements,
  listLotsNearWindowEnd,
  listSettlementLines,
  listSettlements,
  listUnsoldLots,
  upsertAgreement,
  type ConsignmentAgreementRow,
  type ConsignmentSettlementRow,
} from './consignment.repository.js';
import { nextDocumentNumber } from './document-number.js';
import { postLedgerEntry } from './ledger.service.js';
import { insertPlans, listPlansForSettlements } from './payment-plan.repository.js';
import { loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toCustomerRef } from './receivable.mapper.js';
import { findReceivableCustomer, listCustomerNames } from './receivable-scope.js';

/**
 * Consignment settlement (实销实结): some stores pay only for what they sold, so shipments to them stay
 * stock at the store. Each period the store reports sold copies per title. The settlement bills them
 * at the price and discount of the shipments they came from, oldest shipment first. Unsold copies may
 * be returned within the agreed window, and the owner rep is warned before it closes.
 */

function toAgreement(row: ConsignmentAgreementRow) {
  return { customerId: row.customer_id, returnWindowDays: row.return_window_days, warnDaysBefore: row.warn_days_before, paymentDays: row.payment_days, active: row.active === 1 };
}

export async function putConsignmentAgreement(
  db: Db,
  actor: Actor,
  customerId: number,
  input: { returnWindowDays: number; warnDaysBefore: number; paymentDays: number; active: boolean },
  now: Date,
) {
  if (!hasRole(actor, 'finance', 'manager', 'admin')) throw forbidden('设置实销实结条款');
  const scope = await loadMoneyScope(db, actor);
  await loadMoneyCustomerOrThrow(db, scope, customerId);
  if (input.warnDaysBefore >= input.returnWindowDays) throw badRequest('consignment_warn_too_early', '提前提醒天数必须小于退货期限天数');

  return db.transaction().execute(async (trx) => {
    const row: ConsignmentAgreementRow = {
      customer_id: customerId,
      return_window_days: input.returnWindowDays,
      warn_days_before: input.warnDaysBefore,
      payment_days: input.paymentDays,
      active: input.active ? 1 : 0,
      updated_by: actor.id,
      updated_at: now.toISOString(),
    };
    await upsertAgreement(trx, row);
    await appendAudit(trx, { actorUserId: actor.id, action: 'consignment.agreement_set', entityType: 'customer', entityId: customerId, data: { ...input }, occurredAt: now });
    return toAgreement(row);
  });
}

/** Unsold stock at a consignment store per shipment line, with its age and the last day it may be returned. */
export async function getConsignmentStock(db: Db, actor: Actor, customerId: number, today: string) {
  const scope = await loadMoneyScope(db, actor);
  const customer = await loadMoneyCustomerOrThrow(db, scope, customerId);
  const agreement = await findAgreement(db, customerId);
  const lots = await listUnsoldLots(db, customerId);

  const items = lots.map((lot) => {
    const unsold = lot.quantity - lot.settled_quantity - lot.returned_quantity;
    const windowEnd = agreement ? returnWindowEnd(lot.shipped_date, agreement.return_window_days) : null;
    return {
      shipmentLineId: lot.id,
      shipmentId: lot.shipment_id,
      shipmentNumber: lot.shipment_number,
      shippedDate: lot.shipped_date,
      isbn: lot.isbn,
      title: lot.title,
      listPriceFen: lot.list_price_fen,
      discount: lot.discount,
      shippedQuantity: lot.quantity,
      settledQuantity: lot.settled_quantity,
      returnedQuantity: lot.returned_quantity,
      unsoldQuantity: unsold,
      ageDays: daysFromTo(lot.shipped_date, today),
      returnWindowEnd: windowEnd,
      daysLeftToReturn: windowEnd ? daysFromTo(today, windowEnd) : null,
    };
  });
  return {
    customer: { id: customer.id, name: customer.name, ownerId: customer.ownerId, ownerName: customer.ownerName },
    agreement: agreement ? toAgreement(agreement) : null,
    asOfDate: today,
    unsoldQuantity: items.reduce((sum, item) => sum + item.unsoldQuantity, 0),
    unsoldListFen: items.reduce((sum, item) => sum + lineAmounts({ listPriceFen: item.listPriceFen, quantity: item.unsoldQuantity, discount: 10_000 }).listAmountFen, 0),
    items,
  };
}

export interface SettlementInput {
  customerId: number;
  periodFrom: string;
  periodTo: string;
  dryRun: boolean;
  lines: { isbn: string; quantity: number }[];
  source?: 'manual' | 'import';
}

/**
 * Bills sold copies. A dry run returns the priced lines without writing. The real run records the
 * settlement, marks the copies settled on their shipment lines, books the sold 实洋 in the ledger on
 * the last day of the period, and creates the payment plan due after the agreed payment days.
 */
export async function settleConsignment(db: Db, actor: Actor, input: SettlementInput, now: Date) {
  if (!hasRole(actor, 'finance', 'manager', 'rep', 'admin')) throw forbidden('办理实销结算');
  const scope = await loadMoneyScope(db, actor);
  const customer = await loadMoneyCustomerOrThrow(db, scope, input.customerId);
  const agreement = await findAgreement(db, customer.id);
  if (!agreement || agreement.active !== 1) throw conflict('consignment_agreement_missing', `客户“${customer.name}”没有有效的实销实结条款：请先设置退货期限和付款天数`);

  const run = async (trx: DbExecutor) => {
    const priced = await priceSoldCopies(trx, customer.id, customer.name, input.lines);
    const totals = {
      listAmountFen: priced.reduce((sum, line) => sum + line.list_amount_fen, 0),
      netAmountFen: priced.reduce((sum, line) => sum + line.net_amount_fen, 0),
      totalQuantity: priced.reduce((sum, line) => sum + line.quantity, 0),
    };
    const dueDate = shiftDate(input.periodTo, agreement.payment_days);
    const preview = {
      id: null as number | null,
      number: null as string | null,
      customer: { id: customer.id, name: customer.name, ownerId: customer.ownerId, ownerName: customer.ownerName },
      periodFrom: input.periodFrom,
      periodTo: input.periodTo,
      ...totals,
      planId: null as number | null,
      dueDate,
      lines: priced.map((line) => ({
        isbn: line.isbn,
        title: line.title,
        shipmentNumber: line.shipmentNumber,
        shippedDate: line.shippedDate,
        quantity: line.quantity,
        listPriceFen: line.list_price_fen,
        discount: line.discount,
        listAmountFen: line.list_amount_fen,
        netAmountFen: line.net_amount_fen,
      })),
    };
    if (input.dryRun) return preview;

    const number = await nextDocumentNumber(trx, 'consignment_settlement', 'JS', input.periodTo);
    const settlementId = await insertSettlement(
      trx,
      { number, customer_id: customer.id, period_from: input.periodFrom, period_to: input.periodTo, list_amount_fen: totals.listAmountFen, net_amount_fen: totals.netAmountFen, total_quantity: totals.totalQuantity, source: input.source ?? 'manual', created_by: actor.id, created_at: now.toISOString() },
      priced.map(({ shipmentNumber: _number, shippedDate: _date, ...line }) => line),
    );
    for (const line of priced) {
      if (!(await addLotQuantity(trx, line.shipment_line_id, 'settled_quantity', line.quantity))) throw conflict('consignment_stock_changed', '寄销库存刚被其他单据占用，请刷新后重试');
    }
    await postLedgerEntry(trx, {
      customerId: customer.id,
      kind: 'consignment_settlement',
      sourceId: settlementId,
      documentNumber: number,
      entryDate: input.periodTo,
      amountFen: totals.netAmountFen,
      listAmountFen: totals.listAmountFen,
      description: `实销结算 ${input.periodFrom} 至 ${input.periodTo}，${totals.totalQuantity} 册`,
      now,
    });
    const [planId] = await insertPlans(trx, [
      { customer_id: customer.id, contract_id: null, consignment_settlement_id: settlementId, seq: 1, due_date: dueDate, amount_fen: totals.netAmountFen, allocated_fen: 0, status: 'open', overdue_notified_days: 0, created_at: now.toISOString() },
    ]);
    await appendAudit(trx, { actorUserId: actor.id, action: 'consignment.settled', entityType: 'consignment_settlement', entityId: settlementId, data: { number, customerId: customer.id, ...totals, dueDate, planId }, occurredAt: now });
    return { ...preview, id: settlementId, number, planId: planId ?? null };
  };

  // A dry run also runs in a transaction, so its reads see one consistent stock.
  return db.transaction().execute(run);
}

async function priceSoldCopies(db: DbExecutor, customerId: number, customerName: string, lines: { isbn: string; quantity: number }[]) {
  const merged = new Map<string, number>();
  for (const [index, line] of lines.entries()) {
    const parsed = parseIsbn(line.isbn);
    if (!parsed.ok) throw badRequest('invalid_isbn', `第 ${index + 1} 行 ISBN “${line.isbn}” 无效：${isbnErrorMessages[parsed.reason]}`);
    merged.set(parsed.isbn13, (merged.get(parsed.isbn13) ?? 0) + line.quantity);
  }

  const priced = [];
  for (const [isbn, quantity] of merged) {
    const lots = await listUnsoldLots(db, customerId, isbn);
    const unsoldOf = (lot: (typeof lots)[number]) => lot.quantity - lot.settled_quantity - lot.returned_quantity;
    const { draws, short } = drawOldestLotsFirst(quantity, lots.map((lot) => ({ id: lot.id, shippedDate: lot.shipped_date, unsoldQuantity: unsoldOf(lot) })));
    if (short > 0) {
      const title = lots[0]?.title ?? `ISBN ${isbn}`;
      throw badRequest('consignment_stock_short', `《${title}》在“${customerName}”的寄销库存只有 ${quantity - short} 册，报来的销售数量是 ${quantity} 册：请核对门店报数`);
    }
    for (const draw of draws) {
      const lot = lots.find((candidate) => candidate.id === draw.lotId)!;
      const amounts = lineAmounts({ listPriceFen: lot.list_price_fen, quantity: draw.quantity, discount: lot.discount });
      priced.push({
        shipment_line_id: lot.id,
        isbn,
        title: lot.title,
        quantity: draw.quantity,
        list_price_fen: lot.list_price_fen,
        discount: lot.discount,
        list_amount_fen: amounts.listAmountFen,
        net_amount_fen: amounts.netAmountFen,
        shipmentNumber: lot.shipment_number,
        shippedDate: lot.shipped_date,
      });
    }
  }
  return priced;
}

async function toSettlementSummaries(db: DbExecutor, rows: ConsignmentSettlementRow[]) {
  const customers = await listCustomerNames(db, rows.map((row) => row.customer_id));
  const plans = await listPlansForSettlements(db, rows.map((row) => row.id));
  return rows.map((row) => {
    const plan = plans.find((candidate) => candidate.consignment_settlement_id === row.id);
    return {
      id: row.id,
      number: row.number,
      customer: toCustomerRef(row.customer_id, customers),
      periodFrom: row.period_from,
      periodTo: row.period_to,
      listAmountFen: row.list_amount_fen,
      netAmountFen: row.net_amount_fen,
      totalQuantity: row.total_quantity,
      planId: plan?.id ?? null,
      dueDate: plan?.due_date ?? null,
    };
  });
}

export async function listSettlementsForActor(db: Db, actor: Actor, filter: { customerId?: number; limit: number; offset: number }) {
  const scope: DataScope = await loadMoneyScope(db, actor);
  const { rows, total } = await listSettlements(db, scope, filter.customerId, filter);
  return { items: await toSettlementSummaries(db, rows), total };
}

export async function getSettlementDetail(db: Db, actor: Actor, settlementId: number) {
  const scope = await loadMoneyScope(db, actor);
  const row = await findSettlementById(db, settlementId);
  if (!row) throw notFound('实销结算单');
  try {
    await loadMoneyCustomerOrThrow(db, scope, row.customer_id);
  } catch {
    throw notFound('实销结算单');
  }
  const [summary] = await toSettlementSummaries(db, [row]);
  const lines = await listSettlementLines(db, settlementId);
  return {
    ...summary!,
    lines: lines.map((line) => ({ isbn: line.isbn, title: line.title, shipmentNumber: line.shipment_number, shippedDate: line.shipped_date, quantity: line.quantity, listPriceFen: line.list_price_fen, discount: line.discount, listAmountFen: line.list_amount_fen, netAmountFen: line.net_amount_fen })),
  };
}

/**
 * Warns each consignment customer's owner rep about shipments with unsold copies whose return window
 * closes within the agreed warning days. One notice per shipment and rep, ever (outbox dedup key).
 */
export async function warnConsignmentWindows(db: Db, input: { today: string; now: Date; publicUrl: string }): Promise<number> {
  let queued = 0;
  for (const agreement of await listActiveAgreements(db)) {
    const customer = await findReceivableCustomer(db, agreement.customer_id);
    if (!customer || customer.ownerId === null) continue;

    // Shipped on or before today − (window − warn) and still within the window.
    const latestShipped = shiftDate(input.today, -(agreement.return_window_days - agreement.warn_days_before));
    const earliestShipped = shiftDate(input.today, -agreement.return_window_days);
    const shipments = await listLotsNearWindowEnd(db, agreement.customer_id, latestShipped, earliestShipped);
    for (const shipment of shipments) {
      const windowEnd = returnWindowEnd(shipment.shipped_date, agreement.return_window_days);
      const inserted = await queueNotice(db, {
        dedupKey: `consignment-window:${shipment.shipment_id}:${customer.ownerId}`,
        recipientUserId: customer.ownerId,
        content: {
          title: '寄销库存退货期即将截止',
          fields: [
            { label: '客户', value: customer.name },
            { label: '发货单', value: `${shipment.shipment_number}（${shipment.shipped_date}）` },
            { label: '未售', value: `${Number(shipment.titles)} 种 ${Number(shipment.unsold_quantity)} 册，码洋 ${formatYuan(Number(shipment.unsold_list_fen))}` },
            { label: '退货截止', value: `${windowEnd}（还剩 ${daysFromTo(input.today, windowEnd)} 天）` },
          ],
          text: '请与门店确认是否退回滞销品种，过期后按约定不再接受退货。',
          url: `${input.publicUrl}/receivables/consignment/${customer.id}`,
          buttonText: '查看寄销库存',
        },
        now: input.now,
      });
      if (inserted) queued += 1;
    }
  }
  return queued;
}
