import { sql, type Selectable } from 'kysely';
import type { BookCategory, BookStatus } from '@shared/api/book.js';
import type { DbExecutor } from '../../db/database.js';
import { bookSearchTokens, isHan, queryTokens } from './book.search-key.js';
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
  /** Normalized search term (see normalizeSearchTerm). */
  term?: string;
  /** Leading digits of an ISBN-13, matched as a range on the unique index. */
  isbnPrefix?: string;
  category?: BookCategory;
  status?: BookStatus;
  series?: string;
  limit: number;
  offset: number;
}

/** Totals are counted up to this many titles. */
const totalCap = 1000;

/** At most this many tokens narrow a query; the LIKE check on the candidates does the rest. */
const maxQueryTokens = 4;

type BookQuery = ReturnType<typeof filteredBooks>;
type PrefixColumn = 'title' | 'title_initials' | 'title_pinyin';

function filteredBooks(db: DbExecutor, filter: BookSearchFilter) {
  let query = db.selectFrom('book');
  if (filter.isbnPrefix) query = query.where('isbn', '>=', filter.isbnPrefix).where('isbn', '<', `${filter.isbnPrefix}:`);
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.series) query = query.where('series', '=', filter.series);
  return query;
}

/**
 * One page of titles and the total (counted up to 1,000). Without a term: by title. With a term, in two
 * parts: titles whose name, initials or pinyin start with it, by title; then the other titles containing it,
 * newest first. The second part finds candidates through the token index, confirms them with LIKE and
 * walks them in id order, so a broad term ('江南' in a third of the catalog) stops after one page instead
 * of sorting every match.
 */
export async function searchBooks(db: DbExecutor, filter: BookSearchFilter): Promise<{ rows: BookRow[]; total: number; totalCapped: boolean }> {
  const base = filteredBooks(db, filter);
  if (!filter.term) {
    const [rows, count] = await Promise.all([base.selectAll().orderBy('title').orderBy('id').limit(filter.limit).offset(filter.offset).execute(), countCapped(db, base)]);
    return { rows, ...count };
  }

  const term = filter.term;
  const ranges = prefixRanges(term);
  const startsWith = base.where((eb) => eb.or(ranges.map(([column, from, to]) => eb.and([eb(column, '>=', from), eb(column, '<', to)]))));
  const tokens = pickTokens(queryTokens(term));
  const contains =
    tokens.length === 0
      ? undefined
      : base
          .where('book.id', 'in', intersectTokens(db, tokens))
          .where(sql<boolean>`search_text like ${`%${escapeLike(term)}%`} escape '\\'`)
          .where((eb) => eb.not(eb.or(ranges.map(([column, from, to]) => eb.and([eb(column, '>=', from), eb(column, '<', to)])))));

  const [first, second] = await Promise.all([countCapped(db, startsWith), contains ? countCapped(db, contains) : { total: 0, totalCapped: false }]);
  const rows: BookRow[] = [];
  if (filter.offset < first.total) {
    rows.push(...(await startsWith.selectAll().orderBy('title').orderBy('id').limit(filter.limit).offset(filter.offset).execute()));
  }
  const remaining = filter.limit - rows.length;
  if (contains && remaining > 0) {
    const offset = Math.max(0, filter.offset - first.total);
    rows.push(...(await contains.selectAll().orderBy('book.id', 'desc').limit(remaining).offset(offset).execute()));
  }
  const total = first.total + second.total;
  return { rows, total: Math.min(total, totalCap), totalCapped: first.totalCapped || second.totalCapped || total > totalCap };
}

/** Returns [column, from, to) ranges meaning "starts with the term"; each range is read from an index. */
function prefixRanges(term: string): [PrefixColumn, string, string][] {
  const ranges: [PrefixColumn, string, string][] = [['title', term, `${term}\uffff`]];
  if (/^[a-z0-9]+$/.test(term)) ranges.push(['title_initials', term, `${term}~`], ['title_pinyin', term, `${term}~`]);
  return ranges;
}

function intersectTokens(db: DbExecutor, tokens: string[]) {
  const [first, ...rest] = tokens.map((token) => db.selectFrom('book_search_token').select('book_id').where('token', '=', token));
  return rest.reduce((intersection, next) => intersection.intersect(next), first!);
}

/** Counting stops past the cap, so a broad term costs no full count. */
async function countCapped(db: DbExecutor, query: BookQuery): Promise<{ total: number; totalCapped: boolean }> {
  const row = await db
    .selectFrom(query.select(sql`1`.as('hit')).limit(totalCap + 1).as('hits'))
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const total = Number(row.total);
  return { total: Math.min(total, totalCap), totalCapped: total > totalCap };
}

/** Pairs of Chinese characters narrow best; among the rest take ones spread over the term (first, last, between). */
function pickTokens(tokens: string[]): string[] {
  const han = [...tokens.filter((token) => isHan(token) && token.length === 2), ...tokens.filter((token) => isHan(token) && token.length === 1)];
  const trigrams = tokens.filter((token) => !isHan(token));
  if (han.length >= maxQueryTokens) return han.slice(0, maxQueryTokens);
  const room = maxQueryTokens - han.length;
  if (trigrams.length <= room) return [...han, ...trigrams];
  const spread = Array.from({ length: room }, (_, index) => trigrams[Math.round((index * (trigrams.length - 1)) / (room - 1 || 1))]!);
  return [...han, ...new Set(spread)];
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

/** Inserts a title and its search tokens; every writer of the catalog goes through here or updateBook. */
export async function insertBook(db: DbExecutor, row: BookInsert): Promise<number> {
  const inserted = await db.insertInto('book').values(row).returning('id').executeTakeFirstOrThrow();
  await insertSearchTokens(db, inserted.id, bookSearchTokens(row));
  return inserted.id;
}

export async function updateBook(db: DbExecutor, id: number, changes: Partial<BookInsert>): Promise<void> {
  await db.updateTable('book').set(changes).where('id', '=', id).execute();
  const keysChanged = ['title', 'author', 'series', 'title_pinyin', 'title_initials'].some((column) => column in changes);
  if (!keysChanged) return;
  const row = await findBookById(db, id);
  if (!row) return;
  await db.deleteFrom('book_search_token').where('book_id', '=', id).execute();
  await insertSearchTokens(db, id, bookSearchTokens(row));
}

/**
 * Rebuilds the whole token index from the stored titles, for data written around insertBook (bulk
 * generators, restores). Runs in pages; returns the number of titles indexed.
 */
export async function rebuildSearchTokens(db: DbExecutor, pageSize = 2000): Promise<number> {
  await db.deleteFrom('book_search_token').execute();
  let lastId = 0;
  let indexed = 0;
  for (;;) {
    const rows = await db.selectFrom('book').select(['id', 'title', 'author', 'series', 'title_pinyin', 'title_initials']).where('id', '>', lastId).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return indexed;
    const pairs = rows.flatMap((row) => bookSearchTokens(row).map((token) => ({ token, book_id: row.id })));
    for (let start = 0; start < pairs.length; start += 400) await db.insertInto('book_search_token').values(pairs.slice(start, start + 400)).execute();
    lastId = rows.at(-1)!.id;
    indexed += rows.length;
  }
}

async function insertSearchTokens(db: DbExecutor, bookId: number, tokens: readonly string[]): Promise<void> {
  for (let start = 0; start < tokens.length; start += 400) {
    await db
      .insertInto('book_search_token')
      .values(tokens.slice(start, start + 400).map((token) => ({ token, book_id: bookId })))
      .execute();
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
