import { bookCategorySchema, bookStatusSchema, type Book, type BookInput, type BookPage, type BookSearchQuery, type BookUpdate } from '@shared/api/book.js';
import { isbnErrorMessages, parseIsbn } from '@shared/isbn.js';
import { formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest, conflict, notFound, AppError } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import * as bookRepository from './book.repository.js';
import { buildBookSearchKeys, normalizeSearchTerm } from './book.search-key.js';

export function toBook(row: bookRepository.BookRow): Book {
  return {
    id: row.id,
    isbn: row.isbn,
    title: row.title,
    author: row.author,
    series: row.series,
    category: bookCategorySchema.parse(row.category),
    listPriceFen: row.list_price_fen,
    publicationDate: row.publication_date,
    status: bookStatusSchema.parse(row.status),
    stockQuantity: row.stock_quantity,
    stockUpdatedAt: row.stock_updated_at,
    publisher: row.publisher,
    updatedAt: row.updated_at,
  };
}

/** Finds the catalog entry of an ISBN-13, for quotes, contracts, shelf checks and shipments. */
export async function findBookByIsbn(db: DbExecutor, isbn13: string): Promise<Book | undefined> {
  const row = await bookRepository.findBookByIsbn(db, isbn13);
  return row ? toBook(row) : undefined;
}

export async function getBookOrThrow(db: DbExecutor, bookId: number): Promise<Book> {
  const row = await bookRepository.findBookById(db, bookId);
  if (!row) throw notFound('图书');
  return toBook(row);
}

export async function listBooksByIds(db: DbExecutor, bookIds: readonly number[]): Promise<Book[]> {
  return (await bookRepository.listBooksByIds(db, bookIds)).map(toBook);
}

/**
 * Looks a scanned or typed ISBN up. A malformed code and a valid code missing from the catalog get
 * different messages, because the fix differs: rescan, or ask for the title to be added.
 */
export async function getBookByIsbnOrThrow(db: DbExecutor, isbnInput: string): Promise<Book> {
  const parsed = parseIsbn(isbnInput);
  if (!parsed.ok) throw badRequest('invalid_isbn', `「${isbnInput}」不是有效的 ISBN：${isbnErrorMessages[parsed.reason]}`);

  const book = await findBookByIsbn(db, parsed.isbn13);
  if (!book) {
    throw new AppError(404, 'book_not_found', `书目中没有 ISBN ${parsed.isbn13} 的图书：请核对是否为本社图书，或请发行部先在书目中添加`);
  }
  return book;
}

/**
 * Catalog search: an ISBN in any form (ISBN-10, hyphens, full-width) matches exactly, and the leading
 * digits of an ISBN-13 (978…) match as a prefix; anything else matches title, author, series, and the
 * title's pinyin or initials anywhere (one or two letters: the start of the initials or pinyin).
 */
export async function searchBooks(db: DbExecutor, query: BookSearchQuery): Promise<BookPage> {
  const filter: bookRepository.BookSearchFilter = {
    category: query.category,
    status: query.status,
    series: query.series,
    limit: query.limit,
    offset: query.offset,
  };

  const text = query.q?.trim() ?? '';
  const isbn = text ? parseIsbn(text) : undefined;
  const digits = text.replace(/[\s-]/g, '');
  if (isbn?.ok) filter.isbnPrefix = isbn.isbn13;
  else if (/^97[89]\d*$/.test(digits)) filter.isbnPrefix = digits;
  else if (text) filter.term = normalizeSearchTerm(text);

  const { rows, total, totalCapped } = await bookRepository.searchBooks(db, filter);
  return { items: rows.map(toBook), total, totalCapped };
}

export async function listSeries(db: DbExecutor) {
  return { items: await bookRepository.listSeries(db) };
}

export async function createBook(db: DbExecutor, actor: Actor, input: BookInput, now: Date): Promise<Book> {
  const existing = await bookRepository.findBookByIsbn(db, input.isbn);
  if (existing) {
    throw conflict('book_isbn_exists', `ISBN ${input.isbn} 已在书目中（《${existing.title}》）：请直接修改该图书，不要重复添加`, { bookId: existing.id });
  }

  const id = await bookRepository.insertBook(db, toBookRow(input, now));
  await appendAudit(db, { actorUserId: actor.id, action: 'book.create', entityType: 'book', entityId: id, data: { isbn: input.isbn, listPriceFen: input.listPriceFen }, occurredAt: now });
  return getBookOrThrow(db, id);
}

export async function updateBook(db: DbExecutor, actor: Actor, bookId: number, changes: BookUpdate, now: Date): Promise<Book> {
  const current = await bookRepository.findBookById(db, bookId);
  if (!current) throw notFound('图书');

  const merged = { ...toBook(current), ...definedOnly(changes) };
  const row = toBookRow({ ...merged, isbn: current.isbn }, now);
  const stockChanged = changes.stockQuantity !== undefined && changes.stockQuantity !== current.stock_quantity;
  await bookRepository.updateBook(db, bookId, {
    ...row,
    created_at: current.created_at,
    stock_updated_at: stockChanged ? now.toISOString() : current.stock_updated_at,
  });

  if (merged.listPriceFen !== current.list_price_fen) {
    await appendAudit(db, {
      actorUserId: actor.id,
      action: 'book.price_change',
      entityType: 'book',
      entityId: bookId,
      data: { from: current.list_price_fen, to: merged.listPriceFen, fromText: formatYuan(current.list_price_fen), toText: formatYuan(merged.listPriceFen) },
      occurredAt: now,
    });
  }
  return getBookOrThrow(db, bookId);
}

/** Builds the row to store for a title, with its search keys; create, update and import all use it. */
export function toBookRow(input: Omit<BookInput, 'stockQuantity'> & { stockQuantity: number | null }, now: Date): bookRepository.BookInsert {
  const keys = buildBookSearchKeys(input);
  return {
    isbn: input.isbn,
    title: input.title,
    author: input.author,
    series: input.series,
    category: input.category,
    list_price_fen: input.listPriceFen,
    publication_date: input.publicationDate,
    status: input.status,
    stock_quantity: input.stockQuantity,
    stock_updated_at: input.stockQuantity === null ? null : now.toISOString(),
    publisher: input.publisher,
    title_pinyin: keys.titlePinyin,
    title_initials: keys.titleInitials,
    search_text: keys.searchText,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>;
}
