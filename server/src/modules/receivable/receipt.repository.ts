import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { ReceiptTable } from './receivable.tables.js';
import { scopedCustomerIds } from './receivable-scope.js';

export type ReceiptRow = Selectable<ReceiptTable>;

export async function findReceiptById(db: DbExecutor, id: number): Promise<ReceiptRow | undefined> {
  return db.selectFrom('receipt').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReceiptsByBankReference(db: DbExecutor, references: readonly string[]): Promise<Set<string>> {
  if (references.length === 0) return new Set();
  const rows = await db.selectFrom('receipt').select('bank_reference').where('bank_reference', 'in', [...references]).execute();
  return new Set(rows.map((row) => row.bank_reference).filter((reference): reference is string => reference !== null));
}

export async function insertReceipt(db: DbExecutor, row: Insertable<ReceiptTable>): Promise<number> {
  const inserted = await db.insertInto('receipt').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Adds to a receipt's allocated amount only while it stays within 0…amount and the receipt is active. */
export async function addToReceiptAllocated(db: DbExecutor, receiptId: number, deltaFen: number): Promise<boolean> {
  const result = await db
    .updateTable('receipt')
    .set({ allocated_fen: sql`allocated_fen + ${deltaFen}` })
    .where('id', '=', receiptId)
    .where('status', '=', 'active')
    .where(sql<boolean>`allocated_fen + ${deltaFen} between 0 and amount_fen`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markReceiptReversed(db: DbExecutor, receiptId: number, values: { at: string; by: number; reason: string }): Promise<boolean> {
  const result = await db
    .updateTable('receipt')
    .set({ status: 'reversed', reversed_at: values.at, reversed_by: values.by, reversal_reason: values.reason })
    .where('id', '=', receiptId)
    .where('status', '=', 'active')
    .where('allocated_fen', '=', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Active receipts with money left to allocate. This is the condition of the partial index
 * receipt_unallocated_index, written as literal SQL because SQLite uses a partial index only when the
 * query's WHERE clause contains the index's condition terms.
 */
const hasUnallocatedMoney = sql<boolean>`status = 'active' and allocated_fen < amount_fen`;

/** Money a customer paid that is not allocated to any plan yet. */
export async function sumUnallocatedReceipts(db: DbExecutor, customerId: number): Promise<number> {
  const row = await db
    .selectFrom('receipt')
    .select(sql<number>`coalesce(sum(amount_fen - allocated_fen), 0)`.as('unallocated'))
    .where('customer_id', '=', customerId)
    .where(hasUnallocatedMoney)
    .executeTakeFirstOrThrow();
  return Number(row.unallocated);
}

export async function listReceiptsWithBalance(db: DbExecutor, customerId: number): Promise<ReceiptRow[]> {
  return db
    .selectFrom('receipt')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where(hasUnallocatedMoney)
    .orderBy('received_date')
    .orderBy('id')
    .execute();
}

export interface ReceiptListFilter {
  scope: DataScope;
  customerId?: number;
  fromDate?: string;
  toDate?: string;
  /** Only receipts with money not yet allocated. */
  unallocatedOnly?: boolean;
  search?: string;
  limit: number;
  offset: number;
}

export async function listReceipts(db: DbExecutor, filter: ReceiptListFilter): Promise<{ rows: ReceiptRow[]; total: number }> {
  let query = db.selectFrom('receipt');
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('receipt.customer_id', 'in', inScope);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.fromDate) query = query.where('received_date', '>=', filter.fromDate);
  if (filter.toDate) query = query.where('received_date', '<=', filter.toDate);
  if (filter.unallocatedOnly) query = query.where('status', '=', 'active').where(sql<boolean>`allocated_fen < amount_fen`);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[%_]/g, '')}%`;
    query = query.where((eb) => eb.or([eb('payer_name', 'like', pattern), eb('number', 'like', pattern), eb('bank_reference', 'like', pattern)]));
  }
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('received_date', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function sumUnallocatedReceiptsInScope(db: DbExecutor, scope: DataScope): Promise<number> {
  let query = db.selectFrom('receipt').select(sql<number>`coalesce(sum(amount_fen - allocated_fen), 0)`.as('unallocated')).where(hasUnallocatedMoney);
  const inScope = scopedCustomerIds(db, scope);
  if (inScope) query = query.where('receipt.customer_id', 'in', inScope);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.unallocated);
}
