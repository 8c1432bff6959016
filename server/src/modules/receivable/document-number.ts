import { sql } from 'kysely';
import type { DbExecutor } from '../../db/database.js';

type NumberedTable = 'receipt' | 'shipment' | 'return_order' | 'invoice_request' | 'consignment_settlement' | 'statement';

/**
 * Next business number such as 'HK202601-0007': prefix, the month of the document date, and a sequence
 * per prefix and month. Runs inside the caller's transaction; SQLite serialises writers, and the UNIQUE
 * constraint on `number` catches a collision on databases that do not.
 */
export async function nextDocumentNumber(db: DbExecutor, table: NumberedTable, prefix: string, date: string): Promise<string> {
  const stem = `${prefix}${date.slice(0, 4)}${date.slice(5, 7)}-`;
  // Longest first: past 9999 a plain max() on text would put '…-9999' after '…-10000'.
  const row = await db
    .selectFrom(table)
    .select('number')
    .where('number', 'like', `${stem}%`)
    .orderBy(sql`length(number)`, 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastSequence = row ? Number(row.number.slice(stem.length)) : 0;
  const next = Number.isFinite(lastSequence) ? lastSequence + 1 : 1;
  return `${stem}${String(next).padStart(4, '0')}`;
}
