import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { ledgerEntryKindLabels, type LedgerEntryKind, type StatementFigures } from '@shared/receivable-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { listEntriesForMonth } from './ledger.repository.js';
import { findPublisherName, type ReceivableCustomer } from './receivable-scope.js';
import { findStatement, listAllStatementLines } from './statement.repository.js';
import { computeStatementFigures } from './statement.service.js';

interface ExportLine {
  kind: LedgerEntryKind;
  entryDate: string;
  documentNumber: string;
  description: string;
  listAmountFen: number | null;
  amountFen: number;
}

/**
 * Excel cells hold doubles, so amounts are written as yuan (fen ÷ 100) with a two-decimal format: exact
 * to the cent for display and for Excel's own sums at any realistic statement size.
 */
function yuan(fen: number | null): number | null {
  return fen === null ? null : fen / 100;
}

const moneyFormat = '#,##0.00;[Red]-#,##0.00';

/**
 * The statement as a workbook a bookstore's finance clerk can tick off line by line: a header with both
 * parties and the period, the six figures, then one row per document with date, type, number, 码洋,
 * increase and decrease of what is owed and the running balance, totals, and a signature block.
 */
export async function buildStatementWorkbook(db: DbExecutor, customer: ReceivableCustomer, month: string): Promise<{ buffer: Buffer; fileName: string }> {
  const frozen = await findStatement(db, customer.id, month);
  let figures: StatementFigures;
  let lines: ExportLine[];
  if (frozen) {
    figures = { openingBalanceFen: frozen.opening_fen, shippedFen: frozen.shipped_fen, returnedFen: frozen.returned_fen, receivedFen: frozen.received_fen, adjustedFen: frozen.adjusted_fen, closingBalanceFen: frozen.closing_fen };
    lines = (await listAllStatementLines(db, frozen.id)).map((line) => ({ kind: line.kind, entryDate: line.entry_date, documentNumber: line.document_number, description: line.description, listAmountFen: line.list_amount_fen, amountFen: line.amount_fen }));
  } else {
    figures = await computeStatementFigures(db, customer.id, month);
    lines = (await listEntriesForMonth(db, customer.id, month)).map((entry) => ({ kind: entry.kind, entryDate: entry.entry_date, documentNumber: entry.document_number, description: entry.description, listAmountFen: entry.list_amount_fen, amountFen: entry.amount_fen }));
  }
  const publisher = await findPublisherName(db);

  // The streaming writer commits row by row: a 50,000-line month exports in a few seconds instead of
  // building every cell object in memory first.
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    output.on('end', resolve);
    output.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = publisher;
  const sheet = workbook.addWorksheet(`${month} 对账单`, { views: [{ state: 'frozen', ySplit: 12 }], pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const money = { numFmt: moneyFormat };
  sheet.columns = [
    { key: 'no', width: 6 },
    { key: 'date', width: 12 },
    { key: 'kind', width: 10 },
    { key: 'number', width: 18 },
    { key: 'description', width: 40 },
    { key: 'list', width: 14, style: money },
    { key: 'debit', width: 14, style: money },
    { key: 'credit', width: 14, style: money },
    { key: 'balance', width: 14, style: money },
  ];

  const title = sheet.addRow([`${publisher} 客户对账单`]);
  title.font = { size: 16, bold: true };
  title.alignment = { horizontal: 'center' };
  sheet.mergeCells('A1:I1');
  title.commit();
  sheet.addRow(['客户', '', customer.name, '', `对账期间：${month}`, '', frozen ? `单号：${frozen.number}` : '草稿（未发送）']).commit();
  sheet.addRow(['', '', '', '', `状态：${frozen ? { sent: '已发送', confirmed: '客户已确认', disputed: '客户有异议' }[frozen.status] : '草稿'}`]).commit();

  const summary: [string, number][] = [
    ['期初余额', figures.openingBalanceFen],
    ['本期发货实洋', figures.shippedFen],
    ['本期退货实洋', figures.returnedFen],
    ['本期回款', figures.receivedFen],
    ['本期调整', figures.adjustedFen],
    ['期末余额（应收）', figures.closingBalanceFen],
  ];
  summary.forEach(([label, fen], index) => {
    const row = sheet.addRow([label, '', yuan(fen)]);
    row.getCell(3).numFmt = moneyFormat;
    row.getCell(1).font = { bold: index === summary.length - 1 };
    row.commit();
  });
  sheet.addRow([]).commit();
  sheet.addRow([]).commit();

  const header = sheet.addRow(['序号', '日期', '类型', '单据号', '摘要', '码洋', '应收增加', '应收减少', '余额']);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  header.commit();

  let balance = figures.openingBalanceFen;
  let debit = 0;
  let credit = 0;
  lines.forEach((line, index) => {
    balance += line.amountFen;
    if (line.amountFen >= 0) debit += line.amountFen;
    else credit -= line.amountFen;
    sheet
      .addRow([
        index + 1,
        line.entryDate,
        ledgerEntryKindLabels[line.kind],
        line.documentNumber,
        line.description,
        yuan(line.listAmountFen),
        line.amountFen >= 0 ? yuan(line.amountFen) : null,
        line.amountFen < 0 ? yuan(-line.amountFen) : null,
        yuan(balance),
      ])
      .commit();
  });
  const totalRow = sheet.addRow(['', '', '', '', '合计', null, yuan(debit), yuan(credit), yuan(figures.closingBalanceFen)]);
  totalRow.font = { bold: true };
  totalRow.commit();

  sheet.addRow([]).commit();
  sheet.addRow(['', '', '请核对以上明细。如无异议，请签字盖章后回传；如有差异，请注明单据号和贵方账面金额。']).commit();
  sheet.addRow([]).commit();
  sheet.addRow(['', '', `${publisher}（盖章）`, '', '', `客户：${customer.name}（盖章）`]).commit();
  sheet.addRow(['', '', '经办人：', '', '', '经办人：']).commit();
  sheet.addRow(['', '', '日期：', '', '', '日期：']).commit();
  sheet.commit();
  await workbook.commit();
  await finished;

  const buffer = Buffer.concat(chunks);
  return { buffer, fileName: `对账单_${customer.name}_${month}.xlsx` };
}
