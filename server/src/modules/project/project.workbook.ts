import ExcelJS from 'exceljs';
import { badRequest } from '../../http/app-error.js';

/**
 * Reading the spreadsheets libraries and schools send: the first worksheet, a heading row found among
 * the first rows by its column names, and cells read as text.
 */

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SheetRow {
  /** Row number as Excel shows it, for messages. */
  rowNumber: number;
  /** Cell text by field; a formula cell carries its cached result. */
  cells: Record<string, string>;
}

export interface ParsedSheet {
  rows: SheetRow[];
  /** Fields whose heading was found. */
  columns: Set<string>;
}

/**
 * Reads the first worksheet. `aliases` names each field's accepted headings; the heading row is the first
 * of the first 10 rows containing every field in `required`.
 */
export async function readSheet(buffer: Buffer, aliases: Record<string, readonly string[]>, required: readonly string[], maxRows: number): Promise<ParsedSheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw badRequest('import_file_unreadable', '文件无法读取：请上传 Excel 的 .xlsx 文件（不支持 .xls 和 .csv，可用 Excel 另存为 .xlsx）');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest('import_sheet_missing', '文件里没有工作表：请检查是否上传了正确的文件');

  let headingRow = 0;
  let positions: Record<string, number> = {};
  for (let rowNumber = 1; rowNumber <= Math.min(10, sheet.rowCount); rowNumber += 1) {
    const found = mapHeadings(sheet.getRow(rowNumber), aliases);
    if (required.every((field) => found[field] !== undefined)) {
      headingRow = rowNumber;
      positions = found;
      break;
    }
  }
  if (headingRow === 0) {
    const expected = required.map((field) => `「${aliases[field]![0]}」`).join('、');
    throw badRequest('import_headings_missing', `没有找到表头：第一个工作表的前 10 行中需要有 ${expected} 列`);
  }
  if (sheet.rowCount - headingRow > maxRows) {
    throw badRequest('import_too_many_rows', `文件有 ${sheet.rowCount - headingRow} 行，超过一次导入的上限 ${maxRows} 行：请拆分后分批导入`);
  }

  const rows: SheetRow[] = [];
  for (let rowNumber = headingRow + 1; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    const cells: Record<string, string> = {};
    let empty = true;
    for (const [field, column] of Object.entries(positions)) {
      cells[field] = cellText(row.getCell(column));
      if (cells[field]) empty = false;
    }
    if (!empty) rows.push({ rowNumber, cells });
  }
  return { rows, columns: new Set(Object.keys(positions)) };
}

function mapHeadings(row: ExcelJS.Row, aliases: Record<string, readonly string[]>): Record<string, number> {
  const positions: Record<string, number> = {};
  row.eachCell((cell, columnNumber) => {
    const heading = normalizeHeading(cellText(cell));
    for (const [field, names] of Object.entries(aliases)) {
      if (positions[field] === undefined && names.some((name) => normalizeHeading(name) === heading)) positions[field] = columnNumber;
    }
  });
  return positions;
}

function normalizeHeading(text: string): string {
  return text.replace(/[\s（）()【】[\]*：:]/g, '').toLowerCase();
}

/** Cell content as trimmed text. Numbers keep Excel's 15 significant digits, so ISBNs stored as numbers survive. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('').trim();
  if (typeof value === 'object' && 'result' in value) return value.result === undefined || value.result === null ? '' : String(value.result).trim();
  if (typeof value === 'object' && 'text' in value) return String(value.text).trim();
  return '';
}

/** Builds a workbook with one sheet, bold headings and the given column widths, as an xlsx buffer. */
export async function buildWorkbook(sheetName: string, columns: { header: string; width: number }[], rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
