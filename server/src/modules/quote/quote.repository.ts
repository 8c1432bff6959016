import type { Insertable, Selectable, Updateable } from 'kysely';
import type { QuoteListQuery } from '@shared/api/quote.js';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { QuoteLineTable, QuoteTable } from './quote.tables.js';

export type QuoteRow = Selectable<QuoteTable> & { owner_name: string };
export type QuoteLineRow = Selectable<QuoteLineTable>;
export type QuoteLineInsert = Omit<Insertable<QuoteLineTable>, 'quote_id'>;

function selectQuotes(db: DbExecutor) {
  return db.selectFrom('quote').innerJoin('app_user as owner', 'owner.id', 'quote.owner_id').selectAll('quote').select('owner.name as owner_name');
}

export async function findQuoteById(db: DbExecutor, id: number): Promise<QuoteRow | undefined> {
  return selectQuotes(db).where('quote.id', '=', id).executeTakeFirst();
}

export async function insertQuote(db: DbExecutor, row: Insertable<QuoteTable>): Promise<number> {
  const inserted = await db.insertInto('quote').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateQuote(db: DbExecutor, id: number, changes: Updateable<QuoteTable>): Promise<void> {
  await db.updateTable('quote').set(changes).where('id', '=', id).execute();
}

/** Changes the status only if it is still `expected`, so two racing actions cannot both apply. */
export async function updateQuoteIfStatus(db: DbExecutor, id: number, expected: string, changes: Updateable<QuoteTable>): Promise<boolean> {
  const result = await db.updateTable('quote').set(changes).where('id', '=', id).where('status', '=', expected).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listQuoteLines(db: DbExecutor, quoteId: number): Promise<QuoteLineRow[]> {
  return db.selectFrom('quote_line').selectAll().where('quote_id', '=', quoteId).orderBy('seq').execute();
}

export async function replaceQuoteLines(db: DbExecutor, quoteId: number, lines: readonly QuoteLineInsert[]): Promise<void> {
  await db.deleteFrom('quote_line').where('quote_id', '=', quoteId).execute();
  // 17 columns a line: 200 lines stay well under SQLite's 32,766 bound parameters.
  for (let start = 0; start < lines.length; start += 200) {
    await db
      .insertInto('quote_line')
      .values(lines.slice(start, start + 200).map((line) => ({ ...line, quote_id: quoteId })))
      .execute();
  }
}

export async function listVersions(db: DbExecutor, number: string) {
  return db.selectFrom('quote').select(['id', 'version', 'status', 'net_amount_fen', 'created_at']).where('number', '=', number).orderBy('version', 'desc').execute();
}

/** Finds the highest quote number with this year's prefix, e.g. 'BJ-2026-000042'. */
export async function findLastQuoteNumber(db: DbExecutor, prefix: string): Promise<string | undefined> {
  const row = await db.selectFrom('quote').select('number').where('number', 'like', `${prefix}%`).orderBy('number', 'desc').limit(1).executeTakeFirst();
  return row?.number;
}

export interface QuoteFilter extends QuoteListQuery {
  scope: DataScope;
}

export async function listQuotes(db: DbExecutor, filter: QuoteFilter): Promise<{ rows: QuoteRow[]; total: number }> {
  let query = selectQuotes(db);
  if (filter.scope.kind === 'users') query = query.where('quote.owner_id', 'in', filter.scope.userIds.length > 0 ? filter.scope.userIds : [-1]);
  if (filter.customerId) query = query.where('quote.customer_id', '=', filter.customerId);
  if (filter.opportunityId) query = query.where('quote.opportunity_id', '=', filter.opportunityId);
  if (filter.status) query = query.where('quote.status', '=', filter.status);
  if (filter.versions === 'latest' && filter.status !== 'superseded') query = query.where('quote.status', '<>', 'superseded');
  if (filter.q) query = query.where('quote.number', 'like', `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

  const [rows, count] = await Promise.all([
    query.orderBy('quote.updated_at', 'desc').orderBy('quote.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.clearSelect().select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Sum of 实洋 of a customer's live quotes still valid on `today`. */
export async function sumOpenNetAmount(db: DbExecutor, customerId: number, statuses: readonly string[], today: string): Promise<number> {
  const row = await db
    .selectFrom('quote')
    .select((eb) => eb.fn.sum<number>('net_amount_fen').as('total'))
    .where('customer_id', '=', customerId)
    .where('status', 'in', statuses)
    .where('valid_until', '>=', today)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/** Reads the publishing house's name from the org chart's root department, for quote letterheads. */
export async function findPublisherName(db: DbExecutor, platform: string): Promise<string> {
  const root = await db.selectFrom('department').select('name').where('platform', '=', platform).where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  return root?.name ?? '出版社';
}
