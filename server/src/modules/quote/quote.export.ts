import ExcelJS from 'exceljs';
import type { QuoteDetail } from '@shared/api/quote.js';
import { formatDiscount, formatYuan } from '@shared/money.js';
import { averageDiscount } from '@shared/quote-rules.js';

export interface QuoteSheetContext {
  publisherName: string;
  /** Date the sheet was produced, 'YYYY-MM-DD'. */
  issuedOn: string;
}

const moneyFormat = '#,##0.00';
const headings = ['序号', 'ISBN', '书名', '丛书', '定价（元）', '数量（册）', '折扣', '码洋（元）', '实洋（元）'];
const widths = [6, 17, 40, 16, 11, 10, 8, 13, 13];

/**
 * The quote as a buyer's purchasing office expects it: publisher and customer on top, validity, then one
 * row per title with ISBN, 书名, 定价, 数量, 折扣, 码洋 and 实洋, and the totals. Amounts are Excel numbers
 * in yuan so the buyer can sum and filter; they are written from the stored fen, and the totals are our
 * sums of the lines, not formulas, so the sheet shows exactly the quoted figures. Internal marks (floors,
 * special discounts, approvals) stay out of a document meant for the customer.
 */
export async function buildQuoteWorkbook(quote: QuoteDetail, context: QuoteSheetContext): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = context.publisherName;
  const sheet = workbook.addWorksheet('报价单', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '7:7' },
    views: [{ state: 'frozen', ySplit: 7 }],
  });
  sheet.columns = widths.map((width) => ({ width }));

  writeHeader(sheet, quote, context);
  writeLines(sheet, quote);
  writeTotals(sheet, quote);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function writeHeader(sheet: ExcelJS.Worksheet, quote: QuoteDetail, context: QuoteSheetContext): void {
  sheet.mergeCells('A1:I1');
  const title = sheet.getCell('A1');
  title.value = `${context.publisherName} 图书报价单`;
  title.font = { size: 16, bold: true };
  title.alignment = { horizontal: 'center' };
  sheet.getRow(1).height = 28;

  const number = quote.version > 1 ? `${quote.number}（第 ${quote.version} 版）` : quote.number;
  const pairs: [string, string, string, string][] = [
    ['客户', quote.customerName, '报价单号', number],
    ['报价日期', context.issuedOn, '有效期至', quote.validUntil],
    ['业务员', quote.ownerName, '品种 / 册数', `${quote.lineCount} 种 / ${quote.totalQuantity} 册`],
    ['备注', quote.notes ?? '', '', ''],
  ];
  pairs.forEach(([labelA, valueA, labelB, valueB], index) => {
    const row = sheet.getRow(index + 2);
    row.getCell(1).value = labelA;
    row.getCell(2).value = valueA;
    sheet.mergeCells(index + 2, 2, index + 2, labelB ? 4 : 9);
    if (labelB) {
      row.getCell(5).value = labelB;
      row.getCell(7).value = valueB;
      sheet.mergeCells(index + 2, 5, index + 2, 6);
      sheet.mergeCells(index + 2, 7, index + 2, 9);
    }
    row.getCell(1).font = { bold: true };
    row.getCell(5).font = { bold: true };
  });

  const headingRow = sheet.getRow(7);
  headingRow.values = headings;
  headingRow.font = { bold: true };
  headingRow.alignment = { horizontal: 'center', vertical: 'middle' };
  headingRow.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
    cell.border = thinBorder;
  });
}

function writeLines(sheet: ExcelJS.Worksheet, quote: QuoteDetail): void {
  for (const line of quote.lines) {
    const row = sheet.addRow([
      line.seq,
      line.isbn,
      line.title,
      line.series ?? '',
      line.listPriceFen / 100,
      line.quantity,
      line.discount / 10_000,
      line.listAmountFen / 100,
      line.netAmountFen / 100,
    ]);
    row.getCell(2).numFmt = '@';
    for (const column of [5, 8, 9]) row.getCell(column).numFmt = moneyFormat;
    row.getCell(7).numFmt = '0.##%';
    row.eachCell((cell) => (cell.border = thinBorder));
  }
}

function writeTotals(sheet: ExcelJS.Worksheet, quote: QuoteDetail): void {
  const totals = sheet.addRow(['合计', '', '', '', '', quote.totalQuantity, '', quote.listAmountFen / 100, quote.netAmountFen / 100]);
  sheet.mergeCells(totals.number, 1, totals.number, 5);
  totals.font = { bold: true };
  totals.getCell(8).numFmt = moneyFormat;
  totals.getCell(9).numFmt = moneyFormat;
  totals.eachCell((cell) => (cell.border = thinBorder));

  const average = averageDiscount(quote);
  sheet.addRow([]);
  const words = sheet.addRow([`实洋合计：${formatYuan(quote.netAmountFen)}（码洋 ${formatYuan(quote.listAmountFen)}${average === null ? '' : `，平均 ${formatDiscount(average)}`}）`]);
  sheet.mergeCells(words.number, 1, words.number, 9);
  const note = sheet.addRow([`说明：金额单位为人民币元；折扣为定价的百分比，实洋 = 定价 × 数量 × 折扣，逐行四舍五入到分。本报价有效期至 ${quote.validUntil}，价格以我社当期定价为准。`]);
  sheet.mergeCells(note.number, 1, note.number, 9);
  note.alignment = { wrapText: true };
  note.height = 32;
}

const thin = { style: 'thin' as const, color: { argb: 'FF999999' } };
const thinBorder: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
