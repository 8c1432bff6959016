import type { CreateShipment } from '@shared/api/receivable-documents.js';
import type { Actor } from '../../access/actor.js';
import type { DataScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { findAgreement } from './consignment.repository.js';
import { assertMayEnterDocuments, loadDocumentParties } from './document-access.js';
import { priceDocumentLines, toDocumentLine } from './document-lines.js';
import { nextDocumentNumber } from './document-number.js';
import { postLedgerEntry } from './ledger.service.js';
import { loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toCustomerRef } from './receivable.mapper.js';
import { listCustomerNames } from './receivable-scope.js';
import { findShipmentById, findShipmentByNumber, insertShipment, listShipmentLines, listShipments, type ShipmentListFilter, type ShipmentRow } from './shipment.repository.js';

/**
 * Records a shipment (发货单). A sale shipment raises what the customer owes by its 实洋 on the
 * shipment date. A customer with an active consignment agreement (实销实结) owes nothing until the
 * store reports sales: the shipment becomes consignment stock and is billed by a settlement.
 */
export async function recordShipment(db: DbExecutor, actor: Actor, scope: DataScope, input: CreateShipment & { source?: 'manual' | 'import' }, now: Date): Promise<number> {
  assertMayEnterDocuments(actor, '登记发货单');
  const { customer, contract } = await loadDocumentParties(db, scope, input.customerId, input.contractId);
  const priced = await priceDocumentLines(db, input.lines);

  const number = input.number ?? (await nextDocumentNumber(db, 'shipment', 'FH', input.shippedDate));
  if (await findShipmentByNumber(db, number)) throw conflict('shipment_number_duplicate', `发货单号 ${number} 已存在，同一张发货单不能登记两次`);

  const agreement = await findAgreement(db, customer.id);
  const terms = agreement?.active === 1 ? 'consignment' : 'sale';
  const shipmentId = await insertShipment(
    db,
    {
      number,
      customer_id: customer.id,
      contract_id: contract?.id ?? null,
      shipped_date: input.shippedDate,
      terms,
      list_amount_fen: priced.listAmountFen,
      net_amount_fen: priced.netAmountFen,
      total_quantity: priced.totalQuantity,
      source: input.source ?? 'manual',
      note: input.note,
      created_by: actor.id,
      created_at: now.toISOString(),
    },
    priced.lines.map((line) => ({ ...line, settled_quantity: 0, returned_quantity: 0 })),
  );

  if (terms === 'sale') {
    await postLedgerEntry(db, {
      customerId: customer.id,
      kind: 'shipment',
      sourceId: shipmentId,
      documentNumber: number,
      entryDate: input.shippedDate,
      amountFen: priced.netAmountFen,
      listAmountFen: priced.listAmountFen,
      description: `发货 ${priced.lines.length} 种 ${priced.totalQuantity} 册${contract ? `（合同 ${contract.number}）` : ''}`,
      now,
    });
  }
  await appendAudit(db, {
    actorUserId: actor.id,
    action: 'shipment.recorded',
    entityType: 'shipment',
    entityId: shipmentId,
    data: { number, customerId: customer.id, contractId: contract?.id ?? null, terms, listAmountFen: priced.listAmountFen, netAmountFen: priced.netAmountFen },
    occurredAt: now,
  });
  return shipmentId;
}

export async function createShipment(db: Db, actor: Actor, input: CreateShipment, now: Date): Promise<number> {
  const scope = await loadMoneyScope(db, actor);
  return db.transaction().execute((trx) => recordShipment(trx, actor, scope, input, now));
}

async function toShipments(db: DbExecutor, rows: ShipmentRow[]) {
  const customers = await listCustomerNames(db, rows.map((row) => row.customer_id));
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    customer: toCustomerRef(row.customer_id, customers),
    contractId: row.contract_id,
    shippedDate: row.shipped_date,
    terms: row.terms,
    listAmountFen: row.list_amount_fen,
    netAmountFen: row.net_amount_fen,
    totalQuantity: row.total_quantity,
    source: row.source,
    note: row.note,
    createdAt: row.created_at,
  }));
}

export async function listShipmentsForActor(db: Db, actor: Actor, filter: Omit<ShipmentListFilter, 'scope'>) {
  const scope = await loadMoneyScope(db, actor);
  const { rows, total } = await listShipments(db, { ...filter, scope });
  return { items: await toShipments(db, rows), total };
}

export async function getShipmentDetail(db: Db, actor: Actor, shipmentId: number) {
  const scope = await loadMoneyScope(db, actor);
  const row = await findShipmentById(db, shipmentId);
  if (!row) throw notFound('发货单');
  try {
    await loadMoneyCustomerOrThrow(db, scope, row.customer_id);
  } catch {
    throw notFound('发货单');
  }
  const [shipment] = await toShipments(db, [row]);
  const lines = await listShipmentLines(db, shipmentId);
  return { shipment: shipment!, lines: lines.map((line) => ({ ...toDocumentLine(line), settledQuantity: line.settled_quantity, returnedQuantity: line.returned_quantity })) };
}
