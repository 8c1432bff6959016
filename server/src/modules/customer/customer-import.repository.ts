import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DbExecutor } from '../../db/database.js';
import type { CustomerImportTable } from './customer.tables.js';

export type CustomerImportRow = Selectable<CustomerImportTable>;

export async function insertImport(db: DbExecutor, values: { userId: number; fileName: string; totalRows: number; now: string }): Promise<number> {
  const row = await db
    .insertInto('customer_import')
    .values({
      user_id: values.userId,
      file_name: values.fileName,
      status: 'validating',
      total_rows: values.totalRows,
      processed_rows: 0,
      good_rows: 0,
      bad_rows: 0,
      imported_customers: 0,
      imported_contacts: 0,
      errors: '[]',
      payload: null,
      failure: null,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findImport(db: DbExecutor, id: number): Promise<CustomerImportRow | undefined> {
  return db.selectFrom('customer_import').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateImport(db: DbExecutor, id: number, values: Updateable<CustomerImportTable>): Promise<void> {
  await db.updateTable('customer_import').set(values).where('id', '=', id).execute();
}

/** Moves a job from one status to the next; false when another request moved it first (a double tap on 导入). */
export async function transitionImport(db: DbExecutor, id: number, from: CustomerImportRow['status'], to: CustomerImportRow['status'], now: string): Promise<boolean> {
  const result = await db.updateTable('customer_import').set({ status: to, updated_at: now }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Multi-row inserts for the import commit: 10,000 customers as single-row statements cost seconds in
 * per-statement overhead alone. Chunks stay well below the bound-parameter limits of SQLite and PostgreSQL.
 */
export async function insertRowsInChunks<T extends 'customer' | 'contact' | 'customer_stage_change' | 'customer_timeline'>(
  db: DbExecutor,
  table: T,
  rows: Insertable<Database[T]>[],
  chunkSize: number,
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < rows.length; start += chunkSize) {
    const inserted = await db
      .insertInto(table)
      .values(rows.slice(start, start + chunkSize) as never)
      .returning('id' as never)
      .execute();
    // SQLite and PostgreSQL both return the rows of a multi-row INSERT … RETURNING in VALUES order.
    for (const row of inserted as unknown as { id: number }[]) ids.push(row.id);
  }
  return ids;
}
