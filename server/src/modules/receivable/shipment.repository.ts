import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { ShipmentLineTable, ShipmentTable } from './receivable.tables.js';
import { ownedCustomerIds, scopedCustomerIds } from './receivable-scope.js';

export type ShipmentRow = Selectable<ShipmentTable>;
export type ShipmentLineRow = Selectable<ShipmentLineTable>;

/** Whose shipments a sum covers: one customer, or every customer one rep owns. */
export type PartyFilter = { customerId: number } | { ownerId: number };

export async function sumShippedListFen(db: DbExecutor, party: PartyFilter, fromDate: string, toDate: string): Promise<number> {
  let query = db
    .selectFrom('shipment')
    .select(sql<number>`coalesce(sum(list_amount_fen), 0)`.as('total'))
    .where('shipped_date', '>=', fromDate)
    .where('shipped_date', '<=', toDate);
  query = 'customerId' in party ? query.where('customer_id', '=', party.customerId) : query.where('customer_id', 'in', ownedCustomerIds(db, [party.ownerId]));
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function findShipmentById(db: DbExecutor, id: number): Promise<ShipmentRow | undefined> {
  return db.selectFrom('shipment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findShipmentByNumber(db: DbExecutor, number: string): Promise<ShipmentRow | undefined> {
  return db.selectFrom('shipment').selectAll().where('number', '=', number).executeTakeFirst();
}

export async function listShipmentLines(db: DbExecutor, shipmentId: number): Promise<ShipmentLineRow[]> {
  return db.selectFrom('shipment_line').selectAll().where('shipment_id', '=', shipmentId).orderBy('line_no').execute();
}

export async function insertShipment(db: DbExecutor, row: Insertable<ShipmentTable>, lines: Omit<Insertable<ShipmentLineTable>, 'shipment_id'>[]): Promise<number> {
  const inserted = await db.insertInto('shipment').values(row).returning('id').executeTakeFirstOrThrow();
  for (let start = 0; start < lines.length; start += 200) {
    await db
      .insertInto('shipment_line')
      .values(lines.slice(start, start + 200).map((line) => ({ ...line, shipment_id: inserted.id })))
      .execute();
  }
  return inserted.id;
}

/** Shipped 实洋 of a contract's sale shipments: the base of its invoice limit. */
export async function sumShippedNetForContract(db: DbExecutor, contractId: number): Promise<number> {
  const row = await db
    .selectFrom('shipment')
    .select(sql<number>`coalesce(sum(net_amount_fen), 0)`.as('total'))
    .where('contract_id', '=', contractId)
    .where('terms', '=', 'sale')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Shipped 码洋 of all a contract's shipments, the base a return's share is measured against. */
export async function sumShippedListForContract(db: DbExecutor, contractId: number): Promise<number> {
  const row = await db
    .selectFrom('shipment')
    .select(sql<number>`coalesce(sum(list_amount_fen), 0)`.as('total'))
    .where('contract_id', '=', contractId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export interface ShipmentListFilter {
  scope: DataScope;
  customerId?: number;
  contractId?: number;
  fromDate?: string;
  toDate?: string;
  limit: number;
  offset: number;
}

export async function listShipments(db: DbExecutor, filter: ShipmentListFilter): Promise<{ rows: ShipmentRow[]; total: number }> {
  let query = db.selectFrom('shipment');
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('shipment.customer_id', 'in', inScope);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.contractId !== undefined) query = query.where('contract_id', '=', filter.contractId);
  if (filter.fromDate) query = query.where('shipped_date', '>=', filter.fromDate);
  if (filter.toDate) query = query.where('shipped_date', '<=', filter.toDate);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('shipped_date', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
