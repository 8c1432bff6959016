import { sql, type Selectable } from 'kysely';
import type { BookCategory, BookStatus } from '@shared/api/book.js';
import type { DbExecutor } from '../../db/database.js';
import type { BookTable } from './book.tables.js';

export type BookRow = Selectable<BookTable>;

export async function findBookById(db: DbExecutor, id: number): Promise<BookRow | undefined> {
  return db.selectFrom('book').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findBookByIsbn(db: DbExecutor, isbn13: string): Promise<BookRow | undefined> {
  return db.selectFrom('book').selectAll().where('isbn', '=', isbn13).executeTakeFirst();
}

export async function listBooksByIds(db: DbExecutor, ids: readonly number[]): Promise<BookRow[]> {
  if (ids.length === 0) return [];
  const rows: BookRow[] = [];
  // SQLite allows 32,766 bound parameters; chunks keep a 2,000-line quote far below that on any database.
  for (let start = 0; start < ids.length; start += 500) {
    rows.push(...(await db.selectFrom('book').selectAll().where('id', 'in', ids.slice(start, start + 500)).execute()));
  }
  return rows;
}

export async function listBooksByIsbns(db: DbExecutor, isbns: readonly string[]): Promise<BookRow[]> {
  const rows: BookRow[] = [];
  for (let start = 0; start < isbns.length; start += 500) {
    rows.push(...(await db.selectFrom('book').selectAll().where('isbn', 'in', isbns.slice(start, start + 500)).execute()));
  }
  return rows;
}

export interface BookSearchFilter {
  /** Normalized search term (see normalizeSearchTerm); matched anywhere in search_text. */
  term?: string;
  /** Leading digits of an ISBN-13, matched as a range on the unique index. */
  isbnPrefix?: string;
  category?: BookCategory;
  status?: BookStatus;
  series?: string;
  limit: number;
  offset: number;
}

/**
 * One page of titles and the total. Titles whose name starts with the term come first, then the rest by
 * title, so typing '三' lists 《三体》 before 《我的三个朋友》.
 */
export async function searchBooks(db: DbExecutor, filter: BookSearchFilter): Promise<{ rows: BookRow[]; total: number }> {
  let query = db.selectFrom('book');
  if (filter.isbnPrefix) {
    query = query.where('isbn', '>=', filter.isbnPrefix).where('isbn', '<', `${filter.isbnPrefix}:`);
  }
  if (filter.term) {
    query = query.where(sql<boolean>`search_text like ${`%${escapeLike(filter.term)}%`} escape '\\'`);
  }
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.series) query = query.where('series', '=', filter.series);

  let ordered = query.selectAll();
  if (filter.term) {
    const startsWith = `${escapeLike(filter.term)}%`;
    ordered = ordered.orderBy(
      sql`case when lower(title) like ${startsWith} escape '\\' or title_initials like ${startsWith} escape '\\' or title_pinyin like ${startsWith} escape '\\' then 0 else 1 end`,
    );
  }
  const [rows, count] = await Promise.all([
    ordered.orderBy('title').orderBy('id').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

export async function listSeries(db: DbExecutor): Promise<{ series: string; count: number }[]> {
  const rows = await db
    .selectFrom('book')
    .select(['series', (eb) => eb.fn.countAll<number>().as('count')])
    .where('series', 'is not', null)
    .groupBy('series')
    .orderBy('series')
    .execute();
  return rows.map((row) => ({ series: row.series ?? '', count: Number(row.count) }));
}

export type BookInsert = Omit<BookRow, 'id'>;

export async function insertBook(db: DbExecutor, row: BookInsert): Promise<number> {
  const inserted = await db.insertInto('book').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function updateBook(db: DbExecutor, id: number, changes: Partial<BookInsert>): Promise<void> {
  await db.updateTable('book').set(changes).where('id', '=', id).execute();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
