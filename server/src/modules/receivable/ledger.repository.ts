import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { ReceivableEntryTable } from './receivable.tables.js';

export type LedgerEntryRow = Selectable<ReceivableEntryTable>;

export async function insertLedgerEntry(db: DbExecutor, row: Insertable<ReceivableEntryTable>): Promise<number> {
  const inserted = await db.insertInto('receivable_entry').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Sums everything booked for a customer: positive when the customer owes money. */
export async function sumLedgerBalance(db: DbExecutor, customerId: number): Promise<number> {
  const row = await db
    .selectFrom('receivable_entry')
    .select(sql<number>`coalesce(sum(amount_fen), 0)`.as('balance'))
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

/** Balance of the months before `month`: a statement's opening balance. */
export async function sumBalanceBefore(db: DbExecutor, customerId: number, month: string): Promise<number> {
  const row = await db
    .selectFrom('receivable_entry')
    .select(sql<number>`coalesce(sum(amount_fen), 0)`.as('balance'))
    .where('customer_id', '=', customerId)
    .where('posting_month', '<', month)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

export async function listEntriesForMonth(db: DbExecutor, customerId: number, month: string): Promise<LedgerEntryRow[]> {
  return db
    .selectFrom('receivable_entry')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('posting_month', '=', month)
    .orderBy('entry_date')
    .orderBy('id')
    .execute();
}

export async function findLatestFrozenMonth(db: DbExecutor, customerId: number): Promise<string | null> {
  const row = await db.selectFrom('statement').select(sql<string | null>`max(month)`.as('month')).where('customer_id', '=', customerId).executeTakeFirst();
  return row?.month ?? null;
}

export async function findLedgerEntryById(db: DbExecutor, id: number): Promise<LedgerEntryRow | undefined> {
  return db.selectFrom('receivable_entry').selectAll().where('id', '=', id).executeTakeFirst();
}
