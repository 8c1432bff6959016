import type ExcelJS from 'exceljs';
import { bookCategoryLabels, bookStatusLabels, type BookCategory, type BookImportReport, type BookStatus, type ImportIssue } from '@shared/api/book.js';
import { isbnErrorMessages, parseIsbn } from '@shared/isbn.js';
import { parseYuanToFen } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import * as bookRepository from './book.repository.js';
import { toBookRow } from './book.service.js';
import { cellDate, cellInteger, cellText, loadWorkbook, mapHeadings, type CellResult } from './book.workbook.js';

/** Headings accepted for each column; the first is the one the template uses. */
export const bookImportHeadings = {
  isbn: ['ISBN', '书号', 'ISBN号'],
  title: ['书名', '题名', '品种名称'],
  author: ['作者', '著者', '责任者'],
  series: ['丛书', '丛书名', '系列'],
  category: ['分类', '类别', '图书分类'],
  listPrice: ['定价（元）', '定价', '单价'],
  publicationDate: ['出版日期', '出版时间', '出版年月'],
  status: ['状态', '销售状态'],
  stock: ['可供库存', '库存', '可供数', '可发数'],
  publisher: ['出版社', '出版者'],
} as const;

type Column = keyof typeof bookImportHeadings;

const maxImportRows = 50_000;

/** The content of one valid row; absent fields leave an existing title unchanged. */
interface ParsedRow {
  row: number;
  isbn: string;
  title?: string;
  author?: string | null;
  series?: string | null;
  category?: BookCategory;
  listPriceFen?: number;
  publicationDate?: string | null;
  status?: BookStatus;
  stockQuantity?: number | null;
  publisher?: string | null;
}

/**
 * Imports or updates titles from the first sheet of an .xlsx file. A dry run reports what would happen
 * and changes nothing; a real run writes every valid row in one transaction and reports the bad ones.
 * Titles are matched by ISBN-13, so re-importing a price or stock list updates instead of duplicating.
 */
export async function importBooks(db: Db, actor: Actor, file: Buffer, options: { dryRun: boolean; now: Date }): Promise<BookImportReport> {
  const workbook = await loadWorkbook(file);
  const sheet = workbook.getWorksheet('书目') ?? workbook.worksheets[0];
  if (!sheet) throw badRequest('import_sheet_missing', '文件中没有工作表：请使用导入模板');
  if (sheet.rowCount - 1 > maxImportRows) throw badRequest('import_too_many_rows', `一次最多导入 ${maxImportRows} 行，本文件有 ${sheet.rowCount - 1} 行：请拆分后分批导入`);

  const columns = mapHeadings(sheet.getRow(1), bookImportHeadings);
  if (columns.isbn === undefined) throw badRequest('import_missing_column', `第 1 行缺少「ISBN」列：请使用导入模板，表头依次为 ${Object.values(bookImportHeadings).map((names) => names[0]).join('、')}`);

  const issues: ImportIssue[] = [];
  const { rows: parsed, nonEmptyRows } = readRows(sheet, columns, issues);
  const existing = new Map((await bookRepository.listBooksByIsbns(db, parsed.map((row) => row.isbn))).map((book) => [book.isbn, book]));

  const plan = planChanges(parsed, existing, issues, options.now);
  const report: BookImportReport = {
    dryRun: options.dryRun,
    totalRows: nonEmptyRows,
    created: plan.inserts.length,
    updated: plan.updates.length,
    unchanged: plan.unchanged,
    issues: issues.sort((a, b) => a.row - b.row),
  };
  if (options.dryRun || (plan.inserts.length === 0 && plan.updates.length === 0)) return report;

  await db.transaction().execute(async (trx) => {
    await applyPlan(trx, plan);
    await appendAudit(trx, { actorUserId: actor.id, action: 'book.import', entityType: 'book', entityId: 'import', data: { created: report.created, updated: report.updated, issues: issues.length }, occurredAt: options.now });
  });
  return report;
}

function readRows(sheet: ExcelJS.Worksheet, columns: Partial<Record<Column, number>>, issues: ImportIssue[]): { rows: ParsedRow[]; nonEmptyRows: number } {
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  let nonEmptyRows = 0;
  for (let rowNumber = 2; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    if (!row.hasValues) continue;
    nonEmptyRows += 1;

    const before = issues.length;
    const parsed = readRow(row, rowNumber, columns, issues);
    if (!parsed || issues.length > before) continue;

    const firstRow = seen.get(parsed.isbn);
    if (firstRow !== undefined) {
      issues.push({ row: rowNumber, column: 'ISBN', message: `ISBN ${parsed.isbn} 与第 ${firstRow} 行重复：同一品种只保留一行` });
      continue;
    }
    seen.set(parsed.isbn, rowNumber);
    rows.push(parsed);
  }
  return { rows, nonEmptyRows };
}

function readRow(row: ExcelJS.Row, rowNumber: number, columns: Partial<Record<Column, number>>, issues: ImportIssue[]): ParsedRow | undefined {
  const take = <T>(column: Column, read: (cell: ExcelJS.Cell) => CellResult<T>): T | undefined => {
    const position = columns[column];
    if (position === undefined) return undefined;
    const result = read(row.getCell(position));
    if (result.ok) return result.value;
    issues.push({ row: rowNumber, column: bookImportHeadings[column][0], message: result.message });
    return undefined;
  };

  const isbnText = take('isbn', cellText);
  if (isbnText === undefined) return undefined;
  const isbn = parseIsbn(isbnText);
  if (!isbn.ok) {
    issues.push({ row: rowNumber, column: 'ISBN', message: isbnText ? `「${isbnText}」：${isbnErrorMessages[isbn.reason]}` : 'ISBN 不能为空' });
    return undefined;
  }

  return {
    row: rowNumber,
    isbn: isbn.isbn13,
    title: nonEmpty(take('title', cellText)),
    author: optionalText(take('author', cellText)),
    series: optionalText(take('series', cellText)),
    category: take('category', (cell) => lookupLabel(cell, bookCategoryLabels, '分类')),
    listPriceFen: take('listPrice', readPrice),
    publicationDate: take('publicationDate', cellDate) ?? undefined,
    status: take('status', (cell) => lookupLabel(cell, bookStatusLabels, '状态')),
    stockQuantity: take('stock', (cell) => cellInteger(cell, '可供库存')) ?? undefined,
    publisher: optionalText(take('publisher', cellText)),
  };
}

function readPrice(cell: ExcelJS.Cell): CellResult<number | undefined> {
  const text = cellText(cell);
  if (!text.ok) return text;
  if (!text.value) return { ok: true, value: undefined };
  const fen = parseYuanToFen(text.value);
  if (fen === undefined || fen <= 0) return { ok: false, message: `定价「${text.value}」应为大于 0 的金额，单位元，最多两位小数（如 45.00）` };
  return { ok: true, value: fen };
}

function lookupLabel<T extends string>(cell: ExcelJS.Cell, labels: Record<T, string>, name: string): CellResult<T | undefined> {
  const text = cellText(cell);
  if (!text.ok) return text;
  if (!text.value) return { ok: true, value: undefined };
  const entry = (Object.entries(labels) as [T, string][]).find(([code, label]) => label === text.value || code === text.value);
  if (!entry) return { ok: false, message: `${name}「${text.value}」不认识：可填 ${Object.values(labels).join('、')}` };
  return { ok: true, value: entry[0] };
}

interface ImportPlan {
  inserts: bookRepository.BookInsert[];
  updates: { id: number; changes: Partial<bookRepository.BookInsert> }[];
  unchanged: number;
}

function planChanges(rows: ParsedRow[], existing: Map<string, bookRepository.BookRow>, issues: ImportIssue[], now: Date): ImportPlan {
  const plan: ImportPlan = { inserts: [], updates: [], unchanged: 0 };
  for (const row of rows) {
    const current = existing.get(row.isbn);
    if (!current) {
      if (!isCompleteNewTitle(row)) {
        const missing = missingForNewTitle(row);
        issues.push({ row: row.row, column: missing.join('、'), message: `书目中还没有 ISBN ${row.isbn}，新增品种必须填写${missing.join('、')}` });
        continue;
      }
      plan.inserts.push(
        toBookRow(
          { isbn: row.isbn, title: row.title, author: row.author ?? null, series: row.series ?? null, category: row.category, listPriceFen: row.listPriceFen, publicationDate: row.publicationDate ?? null, status: row.status ?? 'on_sale', stockQuantity: row.stockQuantity ?? null, publisher: row.publisher ?? null },
          now,
        ),
      );
      continue;
    }
    const changes = changedColumns(current, row, now);
    if (changes) plan.updates.push({ id: current.id, changes });
    else plan.unchanged += 1;
  }
  return plan;
}

function isCompleteNewTitle(row: ParsedRow): row is ParsedRow & { title: string; category: BookCategory; listPriceFen: number } {
  return missingForNewTitle(row).length === 0;
}

function missingForNewTitle(row: ParsedRow): string[] {
  const missing: string[] = [];
  if (!row.title) missing.push('书名');
  if (!row.category) missing.push('分类');
  if (row.listPriceFen === undefined) missing.push('定价');
  return missing;
}

/** Lists the columns this row changes on an existing title, with fresh search keys, or undefined when nothing changes. */
function changedColumns(current: bookRepository.BookRow, row: ParsedRow, now: Date): Partial<bookRepository.BookInsert> | undefined {
  const next = toBookRow(
    {
      isbn: current.isbn,
      title: row.title ?? current.title,
      author: row.author !== undefined ? row.author : current.author,
      series: row.series !== undefined ? row.series : current.series,
      category: row.category ?? (current.category as BookCategory),
      listPriceFen: row.listPriceFen ?? current.list_price_fen,
      publicationDate: row.publicationDate !== undefined ? row.publicationDate : current.publication_date,
      status: row.status ?? (current.status as BookStatus),
      stockQuantity: row.stockQuantity !== undefined ? row.stockQuantity : current.stock_quantity,
      publisher: row.publisher !== undefined ? row.publisher : current.publisher,
    },
    now,
  );
  const compared = ['title', 'author', 'series', 'category', 'list_price_fen', 'publication_date', 'status', 'stock_quantity', 'publisher'] as const;
  const changed = compared.filter((column) => next[column] !== current[column]);
  // A stock figure re-imported unchanged still counts as a fresh reading from the distribution system.
  const stockReported = row.stockQuantity !== undefined && row.stockQuantity !== null;
  if (changed.length === 0 && !stockReported) return undefined;
  if (changed.length === 0) return { stock_updated_at: now.toISOString() };

  return {
    ...Object.fromEntries(changed.map((column) => [column, next[column]])),
    title_pinyin: next.title_pinyin,
    title_initials: next.title_initials,
    search_text: next.search_text,
    stock_updated_at: stockReported ? now.toISOString() : current.stock_updated_at,
    updated_at: now.toISOString(),
  };
}

async function applyPlan(trx: DbExecutor, plan: ImportPlan): Promise<void> {
  for (const row of plan.inserts) await bookRepository.insertBook(trx, row);
  for (const update of plan.updates) await bookRepository.updateBook(trx, update.id, update.changes);
}

function nonEmpty(text: string | undefined): string | undefined {
  return text ? text : undefined;
}

/** Absent column → undefined (keep); empty cell → undefined too, so a sparse update file never blanks a field. */
function optionalText(text: string | undefined): string | null | undefined {
  return text ? text : undefined;
}
