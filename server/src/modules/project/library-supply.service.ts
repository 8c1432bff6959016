import type { z } from 'zod';
import type { BookListItem, BookListSummary, DeliveryBatch, DeliveryCreate, ImportReport, bookListQuerySchema } from '@shared/api/project.js';
import { ratioBp } from '@shared/project-rules.js';
import { formatFen } from '@shared/money.js';
import { parseIsbn } from '@shared/isbn.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../http/app-error.js';
import { bookListHeadings, checkBookListRows, checkHoldingRows, holdingHeadings, type ImportIssue } from './book-list.import.js';
import * as libraryRepository from './library-supply.repository.js';
import { loadProjectAccess, type ProjectAccess, type ServiceMoment } from './project.context.js';
import { recordDocument } from './project-document.service.js';
import { touchProject } from './project.repository.js';
import { findCatalogBooks } from './project.sources.js';
import { buildWorkbook, readSheet } from './project.workbook.js';

type BookListQuery = z.infer<typeof bookListQuerySchema>;

/** Largest book list accepted in one file; a provincial library's annual tender rarely exceeds a few thousand titles. */
const maxBookListRows = 20_000;
/** Holdings lists can be a library's whole collection of recent years. */
const maxHoldingRows = 300_000;

async function loadLibraryProject(db: DbExecutor, actor: Actor, projectId: number, need: 'view' | 'contribute'): Promise<ProjectAccess> {
  const access = await loadProjectAccess(db, actor, projectId, need);
  if (access.project.kind !== 'library_supply') throw badRequest('not_library_project', `项目 ${access.project.number} 不是馆配项目，没有馆配书目`);
  return access;
}

export async function getBookList(db: DbExecutor, actor: Actor, projectId: number, query: BookListQuery): Promise<{ items: BookListItem[]; total: number; summary: BookListSummary }> {
  await loadLibraryProject(db, actor, projectId, 'view');
  const [page, summary] = await Promise.all([
    libraryRepository.listBookListItems(db, projectId, { kind: query.filter, q: query.q, limit: query.limit, offset: query.offset }),
    summarizeList(db, projectId),
  ]);
  return { items: page.rows.map(toBookListItem), total: page.total, summary };
}

export async function summarizeList(db: DbExecutor, projectId: number): Promise<BookListSummary> {
  const [totals, holdingsImported] = await Promise.all([libraryRepository.summarizeBookList(db, projectId), libraryRepository.countHoldings(db, projectId)]);
  return {
    lines: totals.lines,
    copies: totals.copies,
    held: totals.held,
    notInCatalog: totals.not_in_catalog,
    holdingsImported,
    fillRate: {
      titlesToSupply: totals.titles_to_supply,
      copiesToSupply: totals.copies_to_supply,
      titlesDelivered: totals.titles_delivered,
      titlesPartlyDelivered: totals.titles_partly_delivered,
      copiesDelivered: totals.copies_delivered,
      titleFillRateBp: ratioBp(totals.titles_delivered, totals.titles_to_supply),
      copyFillRateBp: ratioBp(totals.copies_delivered, totals.copies_to_supply),
    },
    listAmountToSupplyFen: totals.list_amount_to_supply,
  };
}

/**
 * Imports a library's book list from Excel. `merge` adds new ISBNs and updates quantities of known ones;
 * `replace` also drops lines missing from the file unless something was delivered against them. Each line
 * is matched to the catalog and marked held when the library's holdings contain it. A dry run changes
 * nothing and reports what the import would do; a real run imports the good rows and keeps the file.
 */
export async function importBookList(
  db: Db,
  actor: Actor,
  projectId: number,
  file: { fileName: string; content: Buffer },
  options: { dryRun: boolean; mode: 'merge' | 'replace' },
  dataDir: string,
  moment: ServiceMoment,
): Promise<ImportReport> {
  await loadLibraryProject(db, actor, projectId, 'contribute');
  const sheet = await readSheet(file.content, bookListHeadings, ['isbn', 'quantity'], maxBookListRows);
  const { candidates, issues } = checkBookListRows(sheet.rows);

  const catalog = await findCatalogBooks(db, candidates.map((candidate) => candidate.isbn));
  const held = await libraryRepository.listHeldIsbns(db, projectId, candidates.map((candidate) => candidate.isbn));
  const existing = new Map((await libraryRepository.findBookListItemsByIsbn(db, projectId, candidates.map((candidate) => candidate.isbn))).map((row) => [row.isbn, row]));

  const accepted = candidates.filter((candidate) => {
    const current = existing.get(candidate.isbn);
    if (!candidate.title && !catalog.has(candidate.isbn) && !current) {
      issues.push({ row: candidate.rowNumber, column: '书名', reason: `书名为空，且社内书目中没有 ${candidate.isbn}：请填写书名` });
      return false;
    }
    if (current && candidate.quantity < current.delivered_quantity) {
      issues.push({ row: candidate.rowNumber, column: '数量', reason: `${candidate.isbn} 已配送 ${current.delivered_quantity} 册，数量不能改为 ${candidate.quantity}` });
      return false;
    }
    return true;
  });
  issues.sort((a, b) => a.row - b.row);

  const summaryAfter = await projectSummaryAfterImport(db, projectId, accepted, existing, catalog, held, options.mode);
  const report: ImportReport = { dryRun: options.dryRun, rowsRead: sheet.rows.length, accepted: accepted.length, issues: issues.slice(0, 500), summary: summaryAfter };
  if (options.dryRun || accepted.length === 0) return report;

  await db.transaction().execute(async (trx) => {
    const now = moment.now.toISOString();
    if (options.mode === 'replace') await libraryRepository.deleteUndeliveredItemsExcept(trx, projectId, accepted.map((candidate) => candidate.isbn));

    let lineNo = await libraryRepository.maxBookListLineNo(trx, projectId);
    const inserts = [];
    for (const candidate of accepted) {
      const match = catalog.get(candidate.isbn);
      const current = existing.get(candidate.isbn);
      if (current) {
        await libraryRepository.updateBookListItem(trx, current.id, {
          quantity: candidate.quantity,
          title: candidate.title || match?.title || current.title,
          book_id: match?.id ?? null,
          list_price_fen: match?.listPriceFen ?? null,
        });
        continue;
      }
      lineNo += 1;
      inserts.push({
        lineNo,
        isbn: candidate.isbn,
        title: candidate.title || match!.title,
        quantity: candidate.quantity,
        held: held.has(candidate.isbn),
        bookId: match?.id ?? null,
        listPriceFen: match?.listPriceFen ?? null,
      });
    }
    await libraryRepository.insertBookListItems(trx, projectId, inserts, now);
    await recordDocument(trx, { projectId, kind: 'book_list', fileName: file.fileName, content: file.content, note: `导入 ${accepted.length} 行`, uploadedBy: actor.id }, dataDir, moment);
  });
  return report;
}

async function projectSummaryAfterImport(
  db: DbExecutor,
  projectId: number,
  accepted: { isbn: string }[],
  existing: Map<string, { isbn: string; held: number; book_id: number | null }>,
  catalog: Map<string, unknown>,
  held: Set<string>,
  mode: 'merge' | 'replace',
): Promise<ImportReport['summary']> {
  const current = await libraryRepository.summarizeBookList(db, projectId);
  const fresh = accepted.filter((candidate) => !existing.has(candidate.isbn));
  if (mode === 'merge') {
    return {
      lines: current.lines + fresh.length,
      held: current.held + fresh.filter((candidate) => held.has(candidate.isbn)).length,
      notInCatalog: current.not_in_catalog + fresh.filter((candidate) => !catalog.has(candidate.isbn)).length,
    };
  }
  // Replace keeps the file's lines plus lines outside the file that already have deliveries.
  const all = await libraryRepository.listAllBookListItems(db, projectId);
  const fileIsbns = new Set(accepted.map((candidate) => candidate.isbn));
  const kept = all.filter((row) => !fileIsbns.has(row.isbn) && row.delivered_quantity > 0);
  return {
    lines: accepted.length + kept.length,
    held: accepted.filter((candidate) => held.has(candidate.isbn)).length + kept.filter((row) => row.held === 1).length,
    notInCatalog: accepted.filter((candidate) => !catalog.has(candidate.isbn)).length + kept.filter((row) => row.book_id === null).length,
  };
}

/** Replaces the library's holdings with the ISBNs of the file and re-marks which list lines it already holds. */
export async function importHoldings(
  db: Db,
  actor: Actor,
  projectId: number,
  file: { fileName: string; content: Buffer },
  options: { dryRun: boolean },
  dataDir: string,
  moment: ServiceMoment,
): Promise<ImportReport> {
  await loadLibraryProject(db, actor, projectId, 'contribute');
  const sheet = await readSheet(file.content, holdingHeadings, ['isbn'], maxHoldingRows);
  const { isbns, issues } = checkHoldingRows(sheet.rows);

  const all = await libraryRepository.listAllBookListItems(db, projectId);
  const holdingSet = new Set(isbns);
  const deliveredHeld = all.filter((row) => holdingSet.has(row.isbn) && row.delivered_quantity > 0);
  for (const row of deliveredHeld) {
    issues.push({ row: 0, column: 'ISBN', reason: `${row.isbn}《${row.title}》已配送 ${row.delivered_quantity} 册，仍按馆藏标记（请与图书馆确认是否重复）` });
  }
  const report: ImportReport = {
    dryRun: options.dryRun,
    rowsRead: sheet.rows.length,
    accepted: isbns.length,
    issues: issues.slice(0, 500),
    summary: { lines: all.length, held: all.filter((row) => holdingSet.has(row.isbn)).length, notInCatalog: all.filter((row) => row.book_id === null).length },
  };
  if (options.dryRun) return report;

  await db.transaction().execute(async (trx) => {
    await libraryRepository.replaceHoldings(trx, projectId, isbns);
    await libraryRepository.markHeldFromHoldings(trx, projectId);
    await recordDocument(trx, { projectId, kind: 'holdings', fileName: file.fileName, content: file.content, note: `馆藏 ${isbns.length} 种`, uploadedBy: actor.id }, dataDir, moment);
  });
  return report;
}

/** Exports the list with its delivery state, as a workbook the warehouse can pick from. */
export async function exportBookList(db: DbExecutor, actor: Actor, projectId: number): Promise<{ fileName: string; content: Buffer }> {
  const { project } = await loadLibraryProject(db, actor, projectId, 'view');
  const rows = await libraryRepository.listAllBookListItems(db, projectId);
  const content = await buildWorkbook(
    '馆配书目',
    [
      { header: '序号', width: 8 },
      { header: 'ISBN', width: 18 },
      { header: '书名', width: 40 },
      { header: '数量', width: 8 },
      { header: '定价（元）', width: 12 },
      { header: '馆藏已有', width: 10 },
      { header: '社内书目', width: 10 },
      { header: '已配送', width: 10 },
      { header: '待配送', width: 10 },
    ],
    rows.map((row) => [
      row.line_no,
      row.isbn,
      row.title,
      row.quantity,
      row.list_price_fen === null ? null : formatFen(row.list_price_fen),
      row.held === 1 ? '是' : '',
      row.book_id === null ? '无' : '有',
      row.delivered_quantity,
      row.held === 1 ? 0 : Math.max(0, row.quantity - row.delivered_quantity),
    ]),
  );
  return { fileName: `${project.number}-馆配书目.xlsx`, content };
}

// ---- Deliveries ----

/**
 * Records a delivery batch. Lines name a book-list line or an ISBN. A line may not exceed what is still to
 * deliver, and titles already in the library's holdings are not delivered. The batch and the delivered counts
 * change in one transaction.
 */
export async function recordDelivery(db: Db, actor: Actor, projectId: number, input: DeliveryCreate, moment: ServiceMoment): Promise<DeliveryBatch> {
  await loadLibraryProject(db, actor, projectId, 'contribute');
  if (input.shippedDate > moment.today) throw badRequest('shipped_date_in_future', `发货日期 ${input.shippedDate} 晚于今天：请填写实际发货日期`);

  const batchId = await db.transaction().execute(async (trx) => {
    const lines = await resolveDeliveryLines(trx, projectId, input.lines);
    const batchNo = await libraryRepository.nextBatchNo(trx, projectId);
    const id = await libraryRepository.insertDeliveryBatch(trx, { projectId, batchNo, shippedDate: input.shippedDate, note: input.note, createdBy: actor.id, now: moment.now.toISOString(), lines });
    await touchProject(trx, projectId, moment.now.toISOString());
    return id;
  });
  return getDelivery(db, actor, projectId, batchId);
}

async function resolveDeliveryLines(db: DbExecutor, projectId: number, lines: DeliveryCreate['lines']): Promise<{ itemId: number; quantity: number }[]> {
  const isbnOf = (text: string) => {
    const parsed = parseIsbn(text);
    if (!parsed.ok) throw badRequest('invalid_isbn', `ISBN「${text}」不正确：请核对后重新扫描`);
    return parsed.isbn13;
  };
  const isbns = lines.filter((line) => line.itemId === undefined).map((line) => isbnOf(line.isbn!));
  const ids = lines.flatMap((line) => (line.itemId !== undefined ? [line.itemId] : []));
  const byIsbn = new Map((await libraryRepository.findBookListItemsByIsbn(db, projectId, isbns)).map((row) => [row.isbn, row]));
  const byId = new Map((await libraryRepository.findBookListItemsById(db, projectId, ids)).map((row) => [row.id, row]));

  const quantities = new Map<number, number>();
  const items = new Map<number, libraryRepository.BookListItemRow>();
  for (const line of lines) {
    const item = line.itemId !== undefined ? byId.get(line.itemId) : byIsbn.get(isbnOf(line.isbn!));
    if (!item) throw notFound(line.itemId !== undefined ? `书目行 ${line.itemId}` : `书目中的 ISBN ${line.isbn}`);
    items.set(item.id, item);
    quantities.set(item.id, (quantities.get(item.id) ?? 0) + line.quantity);
  }

  for (const [itemId, quantity] of quantities) {
    const item = items.get(itemId)!;
    if (item.held === 1) throw badRequest('title_already_held', `《${item.title}》（${item.isbn}）图书馆已有馆藏，不应配送：请从批次中去掉`);
    const remaining = item.quantity - item.delivered_quantity;
    if (quantity > remaining) {
      throw conflict('over_delivery', `《${item.title}》（${item.isbn}）书目数量 ${item.quantity} 册，已配送 ${item.delivered_quantity} 册，本批最多还能配送 ${remaining} 册`);
    }
  }
  return [...quantities].map(([itemId, quantity]) => ({ itemId, quantity }));
}

export async function listDeliveries(db: DbExecutor, actor: Actor, projectId: number) {
  await loadLibraryProject(db, actor, projectId, 'view');
  const [batches, summary] = await Promise.all([libraryRepository.listDeliveryBatches(db, projectId), summarizeList(db, projectId)]);
  return { items: batches.map((batch) => toDeliveryBatch(batch)), fillRate: summary.fillRate };
}

export async function getDelivery(db: DbExecutor, actor: Actor, projectId: number, batchId: number): Promise<DeliveryBatch> {
  await loadLibraryProject(db, actor, projectId, 'view');
  const batch = (await libraryRepository.listDeliveryBatches(db, projectId)).find((row) => row.id === batchId);
  if (!batch) throw notFound('配送批次');
  const lines = await libraryRepository.listDeliveryLines(db, batchId);
  return toDeliveryBatch(batch, lines.map((line) => ({ itemId: line.item_id, isbn: line.isbn, title: line.title, quantity: line.quantity })));
}

function toDeliveryBatch(row: libraryRepository.DeliveryBatchRow, lines?: DeliveryBatch['lines']): DeliveryBatch {
  return {
    id: row.id,
    batchNo: row.batch_no,
    shippedDate: row.shipped_date,
    note: row.note,
    titles: Number(row.titles),
    copies: Number(row.copies),
    createdBy: { id: row.created_by, name: row.creator_name },
    createdAt: row.created_at,
    lines,
  };
}

function toBookListItem(row: libraryRepository.BookListItemRow): BookListItem {
  return {
    id: row.id,
    lineNo: row.line_no,
    isbn: row.isbn,
    title: row.title,
    quantity: row.quantity,
    held: row.held === 1,
    bookId: row.book_id,
    listPriceFen: row.list_price_fen,
    deliveredQuantity: row.delivered_quantity,
  };
}

export type { ImportIssue };
