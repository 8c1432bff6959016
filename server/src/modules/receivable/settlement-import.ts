import { badRequest } from '../../http/app-error.js';
import { readSheetTable } from './spreadsheet.js';

const settlementColumns = {
  isbn: ['ISBN', '书号', '条码'],
  quantity: ['销售数量', '实销数量', '销量', '数量'],
  title: ['书名', '品名'],
} as const;

/** Reads a store's sales report: ISBN and sold quantity per row; rows of the same ISBN add up. */
export async function parseSettlementSheet(file: { buffer: Buffer; fileName: string }): Promise<{ isbn: string; quantity: number }[]> {
  const table = await readSheetTable(file.buffer, file.fileName, settlementColumns, ['isbn', 'quantity']);
  const lines: { isbn: string; quantity: number }[] = [];
  for (const { rowNumber, cells } of table.rows) {
    const quantity = Number((cells.quantity ?? '').replace(/,/g, ''));
    if (!cells.isbn) throw badRequest('import_row_invalid', `第 ${rowNumber} 行缺少 ISBN`);
    if (!Number.isInteger(quantity) || quantity < 0) throw badRequest('import_row_invalid', `第 ${rowNumber} 行销售数量“${cells.quantity ?? ''}”应为不小于 0 的整数`);
    if (quantity > 0) lines.push({ isbn: cells.isbn, quantity });
  }
  if (lines.length === 0) throw badRequest('import_file_empty', '文件中没有销售数量大于 0 的行');
  return lines;
}
