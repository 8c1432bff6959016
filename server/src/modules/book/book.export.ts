import ExcelJS from 'exceljs';
import { bookCategoryLabels, bookStatusLabels, type Book } from '@shared/api/book.js';
import { formatFen } from '@shared/money.js';
import { bookImportHeadings } from './book.import.js';

const columnWidths = [18, 36, 18, 18, 8, 12, 12, 8, 10, 20];

/** Builds the import template: the expected headings, one example row, and a sheet explaining each column. */
export async function buildBookImportTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = addCatalogSheet(workbook);
  sheet.addRow(['9787539912349', '（示例，导入前请删除）江南风物志', '沈一舟', '江南文丛', '大众', '58.00', '2024-05-01', '在售', 1200, '江南文艺出版社']);

  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ width: 14 }, { width: 80 }];
  help.addRows([
    ['列', '说明'],
    ['ISBN', '必填。13 位或 10 位均可，可带连字符；按 ISBN 匹配已有品种，已有的更新、没有的新增'],
    ['书名', '新增品种必填'],
    ['分类', `新增品种必填：${Object.values(bookCategoryLabels).join('、')}`],
    ['定价（元）', '新增品种必填，单位元，最多两位小数，如 45.00'],
    ['出版日期', '如 2024-05-01 或 2024-05'],
    ['状态', `${Object.values(bookStatusLabels).join('、')}，空白按在售`],
    ['可供库存', '发行系统导出的可供数量，整数；只更新库存时可只保留 ISBN 和可供库存两列'],
    ['其他', '空白单元格不会清空已有内容；不要使用公式'],
  ]);
  help.getRow(1).font = { bold: true };
  return writeBuffer(workbook);
}

/** Writes the catalog in the import layout, so an export edited in Excel can be imported back. */
export async function buildCatalogWorkbook(books: readonly Book[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = addCatalogSheet(workbook);
  for (const book of books) {
    sheet.addRow([
      book.isbn,
      book.title,
      book.author ?? '',
      book.series ?? '',
      bookCategoryLabels[book.category],
      formatFen(book.listPriceFen).replace(/,/g, ''),
      book.publicationDate ?? '',
      bookStatusLabels[book.status],
      book.stockQuantity ?? '',
      book.publisher ?? '',
    ]);
  }
  return writeBuffer(workbook);
}

function addCatalogSheet(workbook: ExcelJS.Workbook): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet('书目', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = Object.values(bookImportHeadings).map((names, index) => ({ header: names[0], width: columnWidths[index] }));
  sheet.getRow(1).font = { bold: true };
  // ISBN and price as text, so Excel neither shows 9.78754E+12 nor rounds 45.00 to 45.
  sheet.getColumn(1).numFmt = '@';
  sheet.getColumn(6).numFmt = '@';
  return sheet;
}

async function writeBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
