import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { ReturnOrderLineTable, ReturnOrderTable } from './receivable.tables.js';
import { ownedCustomerIds, scopedCustomerIds } from './receivable-scope.js';
import type { PartyFilter } from './shipment.repository.js';

export type ReturnOrderRow = Selectable<ReturnOrderTable>;
export type ReturnOrderLineRow = Selectable<ReturnOrderLineTable>;

/** Returned 码洋 of confirmed returns in a date range. */
export async function sumReturnedListFen(db: DbExecutor, party: PartyFilter, fromDate: string, toDate: string): Promise<number> {
  let query = db
    .selectFrom('return_order')
    .select(sql<number>`coalesce(sum(list_amount_fen), 0)`.as('total'))
    .where('status', '=', 'confirmed')
    .where('return_date', '>=', fromDate)
    .where('return_date', '<=', toDate);
  query = 'customerId' in party ? query.where('customer_id', '=', party.customerId) : query.where('customer_id', 'in', ownedCustomerIds(db, [party.ownerId]));
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.total);
}

/** 实洋 and 码洋 of a contract's confirmed sale returns, and 码洋 still awaiting approval. */
export async function sumReturnsForContract(db: DbExecutor, contractId: number): Promise<{ confirmedNetFen: number; confirmedListFen: number; pendingListFen: number }> {
  const row = await db
    .selectFrom('return_order')
    .select([
      sql<number>`coalesce(sum(case when status = 'confirmed' then net_amount_fen else 0 end), 0)`.as('confirmed_net'),
      sql<number>`coalesce(sum(case when status = 'confirmed' then list_amount_fen else 0 end), 0)`.as('confirmed_list'),
      sql<number>`coalesce(sum(case when status = 'pending_approval' then list_amount_fen else 0 end), 0)`.as('pending_list'),
    ])
    .where('contract_id', '=', contractId)
    .where('terms', '=', 'sale')
    .executeTakeFirstOrThrow();
  return { confirmedNetFen: Number(row.confirmed_net), confirmedListFen: Number(row.confirmed_list), pendingListFen: Number(row.pending_list) };
}

/** Confirmed sale-return credit not yet applied to any plan. */
export async function sumUnappliedReturnCredit(db: DbExecutor, customerId: number): Promise<number> {
  const row = await db
    .selectFrom('return_order')
    .select(sql<number>`coalesce(sum(net_amount_fen - credited_fen), 0)`.as('unapplied'))
    .where('customer_id', '=', customerId)
    .where('status', '=', 'confirmed')
    .where('terms', '=', 'sale')
    .executeTakeFirstOrThrow();
  return Number(row.unapplied);
}

export async function findReturnOrderById(db: DbExecutor, id: number): Promise<ReturnOrderRow | undefined> {
  return db.selectFrom('return_order').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReturnOrderByNumber(db: DbExecutor, number: string): Promise<ReturnOrderRow | undefined> {
  return db.selectFrom('return_order').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function listReturnOrderLines(db: DbExecutor, returnOrderId: number): Promise<ReturnOrderLineRow[]> {
  return db.selectFrom('return_order_line').selectAll().where('return_order_id', '=', returnOrderId).orderBy('line_no').execute();
}

export async function insertReturnOrder(db: DbExecutor, row: Insertable<ReturnOrderTable>, lines: Omit<Insertable<ReturnOrderLineTable>, 'return_order_id'>[]): Promise<{ id: number; lineIds: number[] }> {
  const inserted = await db.insertInto('return_order').values(row).returning('id').executeTakeFirstOrThrow();
  const lineIds: number[] = [];
  for (let start = 0; start < lines.length; start += 200) {
    const rows = await db
      .insertInto('return_order_line')
      .values(lines.slice(start, start + 200).map((line) => ({ ...line, return_order_id: inserted.id })))
      .returning('id')
      .execute();
    lineIds.push(...rows.map((line) => line.id));
  }
  return { id: inserted.id, lineIds };
}

export async function updateReturnOrderStatus(
  db: DbExecutor,
  id: number,
  from: ReturnOrderRow['status'],
  to: ReturnOrderRow['status'],
  confirmedAt: string | null,
): Promise<boolean> {
  const result = await db.updateTable('return_order').set({ status: to, confirmed_at: confirmedAt }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function addReturnCredited(db: DbExecutor, id: number, deltaFen: number): Promise<void> {
  await db.updateTable('return_order').set({ credited_fen: sql`credited_fen + ${deltaFen}` }).where('id', '=', id).execute();
}

export interface ReturnOrderListFilter {
  scope: DataScope;
  customerId?: number;
  contractId?: number;
  status?: ReturnOrderRow['status'];
  limit: number;
  offset: number;
}

export async function listReturnOrders(db: DbExecutor, filter: ReturnOrderListFilter): Promise<{ rows: ReturnOrderRow[]; total: number }> {
  let query = db.selectFrom('return_order');
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('return_order.customer_id', 'in', inScope);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.contractId !== undefined) query = query.where('contract_id', '=', filter.contractId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('return_date', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
