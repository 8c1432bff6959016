import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { scopedCustomerIds } from './receivable-scope.js';
import type { ConsignmentAgreementTable, ConsignmentSettlementLineTable, ConsignmentSettlementTable } from './receivable.tables.js';

export type ConsignmentAgreementRow = Selectable<ConsignmentAgreementTable>;
export type ConsignmentSettlementRow = Selectable<ConsignmentSettlementTable>;

export async function findAgreement(db: DbExecutor, customerId: number): Promise<ConsignmentAgreementRow | undefined> {
  return db.selectFrom('consignment_agreement').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
}

export async function upsertAgreement(db: DbExecutor, row: ConsignmentAgreementRow): Promise<void> {
  const { customer_id: _customerId, ...changes } = row;
  await db
    .insertInto('consignment_agreement')
    .values(row)
    .onConflict((oc) => oc.column('customer_id').doUpdateSet(changes))
    .execute();
}

export async function listActiveAgreements(db: DbExecutor): Promise<ConsignmentAgreementRow[]> {
  return db.selectFrom('consignment_agreement').selectAll().where('active', '=', 1).execute();
}

/** Consignment shipment lines of a customer with copies neither settled nor returned, oldest first. */
export async function listUnsoldLots(db: DbExecutor, customerId: number, isbn?: string) {
  let query = db
    .selectFrom('shipment_line')
    .innerJoin('shipment', 'shipment.id', 'shipment_line.shipment_id')
    .select([
      'shipment_line.id',
      'shipment_line.shipment_id',
      'shipment.number as shipment_number',
      'shipment.shipped_date',
      'shipment_line.isbn',
      'shipment_line.title',
      'shipment_line.quantity',
      'shipment_line.settled_quantity',
      'shipment_line.returned_quantity',
      'shipment_line.list_price_fen',
      'shipment_line.discount',
    ])
    .where('shipment.customer_id', '=', customerId)
    .where('shipment.terms', '=', 'consignment')
    .where(sql<boolean>`shipment_line.quantity > shipment_line.settled_quantity + shipment_line.returned_quantity`);
  if (isbn) query = query.where('shipment_line.isbn', '=', isbn);
  return query.orderBy('shipment.shipped_date').orderBy('shipment_line.id').execute();
}

export type UnsoldLotRow = Awaited<ReturnType<typeof listUnsoldLots>>[number];

export async function addLotQuantity(db: DbExecutor, shipmentLineId: number, column: 'settled_quantity' | 'returned_quantity', delta: number): Promise<boolean> {
  const result = await db
    .updateTable('shipment_line')
    .set({ [column]: sql`${sql.ref(column)} + ${delta}` })
    .where('id', '=', shipmentLineId)
    .where(sql<boolean>`settled_quantity + returned_quantity + ${delta} <= quantity and ${sql.ref(column)} + ${delta} >= 0`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertReturnDraws(db: DbExecutor, rows: { return_order_line_id: number; shipment_line_id: number; quantity: number }[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('consignment_return_draw').values(rows).execute();
}

export async function listReturnDraws(db: DbExecutor, returnOrderId: number) {
  return db
    .selectFrom('consignment_return_draw')
    .innerJoin('return_order_line', 'return_order_line.id', 'consignment_return_draw.return_order_line_id')
    .select(['consignment_return_draw.shipment_line_id', 'consignment_return_draw.quantity'])
    .where('return_order_line.return_order_id', '=', returnOrderId)
    .execute();
}

export async function insertSettlement(
  db: DbExecutor,
  row: Insertable<ConsignmentSettlementTable>,
  lines: Omit<Insertable<ConsignmentSettlementLineTable>, 'settlement_id'>[],
): Promise<number> {
  const inserted = await db.insertInto('consignment_settlement').values(row).returning('id').executeTakeFirstOrThrow();
  for (let start = 0; start < lines.length; start += 200) {
    await db
      .insertInto('consignment_settlement_line')
      .values(lines.slice(start, start + 200).map((line) => ({ ...line, settlement_id: inserted.id })))
      .execute();
  }
  return inserted.id;
}

export async function findSettlementById(db: DbExecutor, id: number): Promise<ConsignmentSettlementRow | undefined> {
  return db.selectFrom('consignment_settlement').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSettlementLines(db: DbExecutor, settlementId: number) {
  return db
    .selectFrom('consignment_settlement_line')
    .innerJoin('shipment_line', 'shipment_line.id', 'consignment_settlement_line.shipment_line_id')
    .innerJoin('shipment', 'shipment.id', 'shipment_line.shipment_id')
    .selectAll('consignment_settlement_line')
    .select(['shipment.number as shipment_number', 'shipment.shipped_date'])
    .where('consignment_settlement_line.settlement_id', '=', settlementId)
    .orderBy('consignment_settlement_line.id')
    .execute();
}

export async function listSettlements(db: DbExecutor, scope: DataScope, customerId: number | undefined, page: { limit: number; offset: number }) {
  let query = db.selectFrom('consignment_settlement');
  const inScope = scopedCustomerIds(db, scope);
  if (inScope) query = query.where('consignment_settlement.customer_id', 'in', inScope);
  if (customerId !== undefined) query = query.where('customer_id', '=', customerId);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('period_to', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Unsold consignment stock of a customer per shipment, for shipments dated within a range. */
export async function listLotsNearWindowEnd(db: DbExecutor, customerId: number, shippedOnOrBefore: string, shippedOnOrAfter: string) {
  return db
    .selectFrom('shipment_line')
    .innerJoin('shipment', 'shipment.id', 'shipment_line.shipment_id')
    .select([
      'shipment.id as shipment_id',
      'shipment.number as shipment_number',
      'shipment.shipped_date',
      sql<number>`sum(shipment_line.quantity - shipment_line.settled_quantity - shipment_line.returned_quantity)`.as('unsold_quantity'),
      sql<number>`sum((shipment_line.quantity - shipment_line.settled_quantity - shipment_line.returned_quantity) * shipment_line.list_price_fen)`.as('unsold_list_fen'),
      sql<number>`count(shipment_line.id)`.as('titles'),
    ])
    .where('shipment.customer_id', '=', customerId)
    .where('shipment.terms', '=', 'consignment')
    .where('shipment.shipped_date', '<=', shippedOnOrBefore)
    .where('shipment.shipped_date', '>=', shippedOnOrAfter)
    .where(sql<boolean>`shipment_line.quantity > shipment_line.settled_quantity + shipment_line.returned_quantity`)
    .groupBy(['shipment.id', 'shipment.number', 'shipment.shipped_date'])
    .execute();
}
