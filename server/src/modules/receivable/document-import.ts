import type { DocumentImportReport } from '@shared/api/receivable-documents.js';
import { parseDiscount } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { AppError, badRequest } from '../../http/app-error.js';
import { loadMoneyScope } from './receivable-access.js';
import { findContractIdByNumber, findCustomersByName } from './receivable-scope.js';
import { recordReturnOrder } from './return-order.service.js';
import { recordShipment } from './shipment.service.js';
import { findShipmentById } from './shipment.repository.js';
import { findReturnOrderById } from './return-order.repository.js';
import { parseAmountText, parseDateText, readSheetTable } from './spreadsheet.js';

/** Column names of distribution-system (发行系统) exports, first one shown in messages. */
const documentColumns = {
  number: ['单号', '发货单号', '退货单号', '单据号', '单据编号'],
  customer: ['客户名称', '客户', '收货单位', '退货单位', '书店'],
  date: ['日期', '发货日期', '退货日期', '单据日期'],
  isbn: ['ISBN', '书号', '条码', 'ISBN号'],
  title: ['书名', '品名', '图书名称'],
  quantity: ['数量', '册数', '发货数量', '退货数量'],
  listPrice: ['定价', '单价', '码洋单价'],
  discount: ['折扣', '发货折扣', '退货折扣'],
  contract: ['合同编号', '合同号'],
  reason: ['退货原因', '原因', '备注'],
} as const;

type Field = keyof typeof documentColumns;
type ReportRow = DocumentImportReport['rows'][number];

const maxRows = 20_000;

interface ParsedDocument {
  number: string;
  firstRow: number;
  customerName: string;
  date: string;
  contractNumber: string;
  reason: string;
  lines: { isbn: string; title: string; quantity: number; listPriceFen: number | undefined; discount: number }[];
}

class DryRunRollback extends Error {}

/**
 * Imports shipments or returns from a distribution-system export: one row per title, rows grouped into
 * documents by their number. Each document is checked (dry run) or recorded in its own transaction,
 * so one bad document is reported and the others still go in. A document whose number exists already
 * is a duplicate and is skipped.
 */
export async function importDocuments(db: Db, actor: Actor, kind: 'shipment' | 'return', file: { buffer: Buffer; fileName: string }, options: { dryRun: boolean; now: Date }): Promise<DocumentImportReport> {
  const table = await readSheetTable<Field>(file.buffer, file.fileName, documentColumns, ['number', 'customer', 'date', 'isbn', 'quantity', 'discount']);
  if (table.rows.length > maxRows) throw badRequest('import_too_many_rows', `一次最多导入 ${maxRows} 行，文件有 ${table.rows.length} 行：请按日期拆分`);

  const rows: ReportRow[] = [];
  const documents = new Map<string, ParsedDocument>();
  for (const { rowNumber, cells } of table.rows) {
    const problem = addRow(documents, rowNumber, cells);
    if (problem) rows.push({ row: rowNumber, documentNumber: cells.number || null, status: 'error', message: problem });
  }
  const badNumbers = new Set(rows.map((row) => row.documentNumber));

  const scope = await loadMoneyScope(db, actor);
  let created = 0;
  let netAmountFen = 0;
  let lines = 0;
  for (const document of documents.values()) {
    if (badNumbers.has(document.number)) continue;
    lines += document.lines.length;
    try {
      const net = await recordDocument(db, actor, scope, kind, document, options);
      netAmountFen += net;
      if (!options.dryRun) created += 1;
      rows.push({ row: document.firstRow, documentNumber: document.number, status: 'new', message: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const duplicate = error.code === 'shipment_number_duplicate' || error.code === 'return_number_duplicate';
      rows.push({ row: document.firstRow, documentNumber: document.number, status: duplicate ? 'duplicate' : 'error', message: error.userMessage });
    }
  }

  rows.sort((a, b) => a.row - b.row);
  return {
    dryRun: options.dryRun,
    documents: documents.size,
    lines,
    created,
    duplicates: rows.filter((row) => row.status === 'duplicate').length,
    errors: rows.filter((row) => row.status === 'error').length,
    netAmountFen,
    rows,
  };
}

function addRow(documents: Map<string, ParsedDocument>, rowNumber: number, cells: Record<string, string>): string | null {
  const number = cells.number ?? '';
  if (!number) return '缺少单号';
  const date = parseDateText(cells.date ?? '');
  if (!date) return `日期“${cells.date ?? ''}”无法识别：请写成 2026-01-05 的格式`;
  const quantity = Number((cells.quantity ?? '').replace(/,/g, ''));
  if (!Number.isInteger(quantity) || quantity <= 0) return `数量“${cells.quantity ?? ''}”应为正整数`;
  const discount = parseDiscount(cells.discount ?? '');
  if (discount === undefined) return `折扣“${cells.discount ?? ''}”无法识别：请写成 6.2、6.2折 或 62%`;
  const listPrice = parseAmountText(cells.listPrice ?? '');
  if (listPrice === undefined) return `定价“${cells.listPrice}”无法识别：应为数字，最多两位小数`;

  const existing = documents.get(number);
  if (existing && (existing.customerName !== (cells.customer ?? '') || existing.date !== date)) {
    return `单号 ${number} 的各行客户或日期不一致：同一单据的所有行应相同`;
  }
  const document = existing ?? { number, firstRow: rowNumber, customerName: cells.customer ?? '', date, contractNumber: cells.contract ?? '', reason: cells.reason ?? '', lines: [] };
  document.lines.push({ isbn: cells.isbn ?? '', title: cells.title ?? '', quantity, listPriceFen: listPrice ?? undefined, discount });
  documents.set(number, document);
  return null;
}

async function recordDocument(db: Db, actor: Actor, scope: Awaited<ReturnType<typeof loadMoneyScope>>, kind: 'shipment' | 'return', document: ParsedDocument, options: { dryRun: boolean; now: Date }): Promise<number> {
  const customers = await findCustomersByName(db, document.customerName);
  if (customers.length !== 1) {
    throw badRequest('import_customer_unknown', customers.length === 0 ? `没有名为“${document.customerName}”的客户：请填写系统中的客户全称或简称` : `“${document.customerName}”对应多个客户：请填写客户全称`);
  }
  let contractId: number | null = null;
  if (document.contractNumber) {
    contractId = (await findContractIdByNumber(db, document.contractNumber)) ?? null;
    if (contractId === null) throw badRequest('import_contract_unknown', `合同编号 ${document.contractNumber} 不存在`);
  }

  let net = 0;
  try {
    await db.transaction().execute(async (trx) => {
      const lines = document.lines.map((line) => ({ ...line, title: line.title || undefined }));
      if (kind === 'shipment') {
        const id = await recordShipment(trx, actor, scope, { number: document.number, customerId: customers[0]!.id, contractId, shippedDate: document.date, note: null, lines, source: 'import' }, options.now);
        net = (await findShipmentById(trx, id))!.net_amount_fen;
      } else {
        const created = await recordReturnOrder(trx, actor, scope, { number: document.number, customerId: customers[0]!.id, contractId, shipmentId: null, returnDate: document.date, reason: document.reason || '发行系统导入', lines, source: 'import' }, options.now);
        net = (await findReturnOrderById(trx, created.id))!.net_amount_fen;
      }
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return net;
}
