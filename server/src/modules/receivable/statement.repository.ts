import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { StatementDisputeTable, StatementLineTable, StatementShareTable, StatementTable } from './receivable.tables.js';
import { scopedCustomerIds } from './receivable-scope.js';

export type StatementRow = Selectable<StatementTable>;
export type StatementLineRow = Selectable<StatementLineTable>;
export type StatementShareRow = Selectable<StatementShareTable>;
export type StatementDisputeRow = Selectable<StatementDisputeTable>;

/** Per-kind sums of one customer-month in the ledger, computed in SQL so a 50,000-line month is one pass. */
export async function sumEntriesByKind(db: DbExecutor, customerId: number, month: string): Promise<{ kind: StatementLineRow['kind']; amountFen: number; count: number }[]> {
  const rows = await db
    .selectFrom('receivable_entry')
    .select(['kind', sql<number>`sum(amount_fen)`.as('amount'), sql<number>`count(*)`.as('count')])
    .where('customer_id', '=', customerId)
    .where('posting_month', '=', month)
    .groupBy('kind')
    .execute();
  return rows.map((row) => ({ kind: row.kind, amountFen: Number(row.amount), count: Number(row.count) }));
}

/** Lists a page of a customer-month's ledger entries in statement order, and sums the entries before it. */
export async function listEntryPage(db: DbExecutor, customerId: number, month: string, page: { limit: number; offset: number }) {
  const ordered = db
    .selectFrom('receivable_entry')
    .where('customer_id', '=', customerId)
    .where('posting_month', '=', month)
    .orderBy('entry_date')
    .orderBy('id');
  const [rows, before] = await Promise.all([
    ordered.selectAll().limit(page.limit).offset(page.offset).execute(),
    page.offset === 0
      ? Promise.resolve({ total: 0 })
      : db
          .selectFrom(ordered.select('amount_fen').limit(page.offset).as('head'))
          .select(sql<number>`coalesce(sum(head.amount_fen), 0)`.as('total'))
          .executeTakeFirstOrThrow(),
  ]);
  return { rows, sumBeforeFen: Number(before.total) };
}

export async function findStatement(db: DbExecutor, customerId: number, month: string): Promise<StatementRow | undefined> {
  return db.selectFrom('statement').selectAll().where('customer_id', '=', customerId).where('month', '=', month).executeTakeFirst();
}

export async function findStatementById(db: DbExecutor, id: number): Promise<StatementRow | undefined> {
  return db.selectFrom('statement').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertStatement(db: DbExecutor, row: Insertable<StatementTable>): Promise<number> {
  const inserted = await db.insertInto('statement').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/**
 * Freezes a customer-month's ledger entries as the statement's lines with one INSERT … SELECT, numbering
 * them in statement order with row_number() (SQLite 3.25+ and PostgreSQL both have it).
 */
export async function copyEntriesToStatement(db: DbExecutor, statementId: number, customerId: number, month: string): Promise<void> {
  await db
    .insertInto('statement_line')
    .columns(['statement_id', 'line_no', 'entry_id', 'kind', 'entry_date', 'document_number', 'description', 'list_amount_fen', 'amount_fen'])
    .expression(
      db
        .selectFrom('receivable_entry')
        .select([
          sql<number>`${statementId}`.as('statement_id'),
          sql<number>`row_number() over (order by entry_date, id)`.as('line_no'),
          'id',
          'kind',
          'entry_date',
          'document_number',
          'description',
          'list_amount_fen',
          'amount_fen',
        ])
        .where('customer_id', '=', customerId)
        .where('posting_month', '=', month),
    )
    .execute();
}

export async function listStatementLinePage(db: DbExecutor, statementId: number, page: { limit: number; offset: number }) {
  const [rows, before] = await Promise.all([
    db.selectFrom('statement_line').selectAll().where('statement_id', '=', statementId).where('line_no', '>', page.offset).orderBy('line_no').limit(page.limit).execute(),
    db
      .selectFrom('statement_line')
      .select(sql<number>`coalesce(sum(amount_fen), 0)`.as('total'))
      .where('statement_id', '=', statementId)
      .where('line_no', '<=', page.offset)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, sumBeforeFen: Number(before.total) };
}

export async function findStatementLine(db: DbExecutor, id: number): Promise<StatementLineRow | undefined> {
  return db.selectFrom('statement_line').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateStatementStatus(db: DbExecutor, id: number, from: StatementRow['status'][], values: Partial<Pick<StatementRow, 'status' | 'confirmed_at' | 'confirmed_by_name'>>): Promise<boolean> {
  const result = await db.updateTable('statement').set(values).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface StatementListFilter {
  scope: DataScope;
  month?: string;
  customerId?: number;
  status?: StatementRow['status'];
  limit: number;
  offset: number;
}

export async function listStatements(db: DbExecutor, filter: StatementListFilter): Promise<{ rows: StatementRow[]; total: number }> {
  let query = db.selectFrom('statement');
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('statement.customer_id', 'in', inScope);
  if (filter.month) query = query.where('month', '=', filter.month);
  if (filter.customerId !== undefined) query = query.where('customer_id', '=', filter.customerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query.selectAll().orderBy('month', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function insertShare(db: DbExecutor, row: Insertable<StatementShareTable>): Promise<number> {
  const inserted = await db.insertInto('statement_share').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findShareByTokenHash(db: DbExecutor, tokenHash: string): Promise<StatementShareRow | undefined> {
  return db.selectFrom('statement_share').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function listSharesForStatement(db: DbExecutor, statementId: number): Promise<StatementShareRow[]> {
  return db.selectFrom('statement_share').selectAll().where('statement_id', '=', statementId).orderBy('id', 'desc').execute();
}

export async function markShareViewed(db: DbExecutor, id: number, at: string): Promise<void> {
  await db.updateTable('statement_share').set({ last_viewed_at: at }).where('id', '=', id).execute();
}

export async function revokeShare(db: DbExecutor, id: number, statementId: number, at: string): Promise<boolean> {
  const result = await db.updateTable('statement_share').set({ revoked_at: at }).where('id', '=', id).where('statement_id', '=', statementId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertDispute(db: DbExecutor, row: Insertable<StatementDisputeTable>): Promise<number> {
  const inserted = await db.insertInto('statement_dispute').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findDisputeById(db: DbExecutor, id: number): Promise<StatementDisputeRow | undefined> {
  return db.selectFrom('statement_dispute').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listDisputesForStatement(db: DbExecutor, statementId: number): Promise<StatementDisputeRow[]> {
  return db.selectFrom('statement_dispute').selectAll().where('statement_id', '=', statementId).orderBy('id').execute();
}

export async function closeDispute(
  db: DbExecutor,
  id: number,
  values: { status: 'resolved' | 'settled'; resolvedAt: string; resolvedBy: number; note: string },
): Promise<boolean> {
  const result = await db
    .updateTable('statement_dispute')
    .set({ status: values.status, resolved_at: values.resolvedAt, resolved_by: values.resolvedBy, resolution_note: values.note })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Disputes in scope with their statement's customer and month, newest first. */
export async function listDisputes(db: DbExecutor, filter: { scope: DataScope; status: StatementDisputeRow['status']; limit: number; offset: number }) {
  let query = db.selectFrom('statement_dispute').innerJoin('statement', 'statement.id', 'statement_dispute.statement_id').where('statement_dispute.status', '=', filter.status);
  const inScope = scopedCustomerIds(db, filter.scope);
  if (inScope) query = query.where('statement.customer_id', 'in', inScope);
  const [rows, count] = await Promise.all([
    query.selectAll('statement_dispute').select(['statement.customer_id', 'statement.month']).orderBy('statement_dispute.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function findStatementLines(db: DbExecutor, ids: readonly number[]): Promise<StatementLineRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('statement_line').selectAll().where('id', 'in', [...ids]).execute();
}

/** Lists all lines of a frozen statement, for the Excel export. */
export async function listAllStatementLines(db: DbExecutor, statementId: number): Promise<StatementLineRow[]> {
  return db.selectFrom('statement_line').selectAll().where('statement_id', '=', statementId).orderBy('line_no').execute();
}

export async function countOpenDisputes(db: DbExecutor, scope: DataScope): Promise<number> {
  let query = db.selectFrom('statement_dispute').innerJoin('statement', 'statement.id', 'statement_dispute.statement_id').where('statement_dispute.status', '=', 'open');
  const inScope = scopedCustomerIds(db, scope);
  if (inScope) query = query.where('statement.customer_id', 'in', inScope);
  const row = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return Number(row.total);
}
