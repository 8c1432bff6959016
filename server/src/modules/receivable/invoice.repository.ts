import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { InvoiceLineTable, InvoiceRequestTable, InvoiceTable } from './receivable.tables.js';
import { scopedCustomerIds } from './receivable-scope.js';

export type InvoiceRequestRow = Selectable<InvoiceRequestTable>;
export type InvoiceRow = Selectable<InvoiceTable>;
export type InvoiceLineRow = Selectable<InvoiceLineTable>;

export async function findInvoiceRequestById(db: DbExecutor, id: number): Promise<InvoiceRequestRow | undefined> {
  return db.selectFrom('invoice_request').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertInvoiceRequest(db: DbExecutor, row: Insertable<InvoiceRequestTable>): Promise<number> {
  const inserted = await db.insertInto('invoice_request').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function setInvoiceRequestApproval(db: DbExecutor, id: number, approvalId: number): Promise<void> {
  await db.updateTable('invoice_request').set({ approval_id: approvalId }).where('id', '=', id).execute();
}

export async function updateInvoiceRequestStatus(
  db: DbExecutor,
  id: number,
  from: readonly InvoiceRequestRow['status'][],
  to: InvoiceRequestRow['status'],
  decidedAt: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('invoice_request')
    .set({ status: to, ...(decidedAt ? { decided_at: decidedAt } : {}) })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Adds to what a request has issued, and marks it issued when that reaches its amount. */
export async function addIssuedToRequest(db: DbExecutor, id: number, deltaFen: number): Promise<boolean> {
  const result = await db
    .updateTable('invoice_request')
    .set({
      issued_fen: sql`issued_fen + ${deltaFen}`,
      status: sql<InvoiceRequestRow['status']>`case when status = 'approved' and issued_fen + ${deltaFen} = amount_fen then 'issued' else status end`,
    })
    .where('id', '=', id)
    .where(sql<boolean>`issued_fen + ${deltaFen} between 0 and amount_fen`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Latest request for a customer, whose buyer details prefill the next one. */
export async function findLatestRequestForCustomer(db: DbExecutor, customerId: number): Promise<InvoiceRequestRow | undefined> {
  return db.selectFrom('invoice_request').selectAll().where('customer_id', '=', customerId).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Blue minus red fapiao on a contract, and what open requests have reserved but not issued. */
export async function sumInvoicedForContract(db: DbExecutor, contractId: number): Promise<{ issuedNetFen: number; reservedFen: number }> {
  const [issued, reserved] = await Promise.all([
    db
      .selectFrom('invoice')
      .select(sql<number>`coalesce(sum(case when kind = 'blue' then amount_fen else -amount_fen end), 0)`.as('net'))
      .where('contract_id', '=', contractId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('invoice_request')
      .select(sql<number>`coalesce(sum(amount_fen - issued_fen), 0)`.as('reserved'))
      .where('contract_id', '=', contractId)
      .where('status', 'in', ['pending_approval', 'approved'])
      .executeTakeFirstOrThrow(),
  ]);
  return { issuedNetFen: Number(issued.net), reservedFen: Number(reserved.reserved) };
}

export async function findInvoiceById(db: DbExecutor, id: number): Promise<InvoiceRow | undefined> {
  return db.selectFrom('invoice').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findInvoiceByNumber(db: DbExecutor, code: string, number: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom('invoice').selectAll().where('invoice_code', '=', code).where('invoice_number', '=', number).executeTakeFirst();
}

export async function insertInvoice(db: DbExecutor, row: Insertable<InvoiceTable>, lines: Omit<Insertable<InvoiceLineTable>, 'invoice_id'>[]): Promise<number> {
  const inserted = await db.insertInto('invoice').values(row).returning('id').executeTakeFirstOrThrow();
  if (lines.length > 0) await db.insertInto('invoice_line').values(lines.map((line) => ({ ...line, invoice_id: inserted.id }))).execute();
  return inserted.id;
}

export async function addReversedToInvoice(db: DbExecutor, id: number, deltaFen: number): Promise<boolean> {
  const result = await db
    .updateTable('invoice')
    .set({ reversed_fen: sql`reversed_fen + ${deltaFen}` })
    .where('id', '=', id)
    .where('kind', '=', 'blue')
    .where(sql<boolean>`reversed_fen + ${deltaFen} <= amount_fen`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listInvoicesForRequest(db: DbExecutor, requestId: number): Promise<InvoiceRow[]> {
  return db.selectFrom('invoice').selectAll().where('invoice_request_id', '=', requestId).orderBy('id').execute();
}

export async function listInvoiceLines(db: DbExecutor, invoiceIds: readonly number[]): Promise<InvoiceLineRow[]> {
  if (invoiceIds.length === 0) return [];
  return db.selectFrom('invoice_line').selectAll().where('invoice_id', 'in', [...invoiceIds]).orderBy('invoice_id').orderBy('line_no').execute();
}

export interface InvoiceRequestFilter {
  scope: DataScope;
  status?: InvoiceRequestRow['status'];
  contractId?: number;
  customerId?: number;
  limit: number;
  offset: number;
}

export async function listInvoiceRequests(db: DbExecutor, filter: InvoiceRequestFilter): Promise<{ rows: InvoiceRequestRow[]; total: number }> {
  let query = db.selectFrom('invoice_request');
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('invoice_request.customer_id', 'in', inScope);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.contractId !== undefined) query = query.where('contract_id', '=', filter.contractId);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function countInvoiceRequests(db: DbExecutor, scope: DataScope, statuses: InvoiceRequestRow['status'][]): Promise<number> {
  let query = db.selectFrom('invoice_request').where('status', 'in', statuses);
  const inScope = scopedCustomerIds(db, scope);
  if (inScope) query = query.where('invoice_request.customer_id', 'in', inScope);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return Number(row.total);
}
