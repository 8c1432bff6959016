import { ratioBasisPoints, shiftDate } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { toDocumentLine } from './document-lines.js';
import { loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toCustomerRef } from './receivable.mapper.js';
import { listCustomerNames } from './receivable-scope.js';
import { findReturnOrderById, listReturnOrderLines, listReturnOrders, sumReturnedListFen, sumReturnsForContract, type ReturnOrderListFilter, type ReturnOrderRow } from './return-order.repository.js';
import { sumShippedListFen, sumShippedListForContract } from './shipment.repository.js';

async function toReturnOrders(db: DbExecutor, rows: ReturnOrderRow[]) {
  const customers = await listCustomerNames(db, rows.map((row) => row.customer_id));
  const userIds = [...new Set(rows.map((row) => row.created_by))];
  const users = userIds.length > 0 ? await db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).execute() : [];
  const names = new Map(users.map((user) => [user.id, user.name]));
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    customer: toCustomerRef(row.customer_id, customers),
    contractId: row.contract_id,
    shipmentId: row.shipment_id,
    returnDate: row.return_date,
    terms: row.terms,
    listAmountFen: row.list_amount_fen,
    netAmountFen: row.net_amount_fen,
    totalQuantity: row.total_quantity,
    creditedFen: row.credited_fen,
    status: row.status,
    approvalId: row.approval_id,
    reason: row.reason,
    createdAt: row.created_at,
    createdByName: names.get(row.created_by) ?? null,
  }));
}

export async function listReturnOrdersForActor(db: Db, actor: Actor, filter: Omit<ReturnOrderListFilter, 'scope'>) {
  const scope = await loadMoneyScope(db, actor);
  const { rows, total } = await listReturnOrders(db, { ...filter, scope });
  return { items: await toReturnOrders(db, rows), total };
}

/** A return with its lines and the cumulative return share it represents (contract, or the customer's last year). */
export async function getReturnOrderDetail(db: Db, actor: Actor, returnOrderId: number) {
  const scope = await loadMoneyScope(db, actor);
  const row = await findReturnOrderById(db, returnOrderId);
  if (!row) throw notFound('退货单');
  try {
    await loadMoneyCustomerOrThrow(db, scope, row.customer_id);
  } catch {
    throw notFound('退货单');
  }

  let shareBp: number | null;
  if (row.contract_id !== null) {
    const [shipped, returns] = await Promise.all([sumShippedListForContract(db, row.contract_id), sumReturnsForContract(db, row.contract_id)]);
    shareBp = ratioBasisPoints(returns.confirmedListFen + returns.pendingListFen, shipped);
  } else {
    const from = shiftDate(row.return_date, -365);
    const [shipped, returned] = await Promise.all([sumShippedListFen(db, { customerId: row.customer_id }, from, row.return_date), sumReturnedListFen(db, { customerId: row.customer_id }, from, row.return_date)]);
    shareBp = ratioBasisPoints(returned + (row.status === 'pending_approval' ? row.list_amount_fen : 0), shipped);
  }

  const [returnOrder] = await toReturnOrders(db, [row]);
  const lines = await listReturnOrderLines(db, returnOrderId);
  return { returnOrder: returnOrder!, lines: lines.map(toDocumentLine), shareBp };
}
