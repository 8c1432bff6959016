import ExcelJS from 'exceljs';
import { parseYuanToFen } from '@shared/money.js';
import { badRequest } from '../../http/app-error.js';

/**
 * Reads the bank statement and distribution-system exports finance uploads: .xlsx through exceljs, or
 * .csv in UTF-8 or GB18030 (what Chinese online banking usually writes). Every cell becomes trimmed
 * text; date cells become 'YYYY-MM-DD'. The first row containing a known heading is the header, since
 * bank exports often put an account summary above the table.
 */
export interface SheetTable {
  /** 1-based spreadsheet row number of each data row, for the import report. */
  rows: { rowNumber: number; cells: Record<string, string> }[];
}

export async function readSheetTable<K extends string>(buffer: Buffer, fileName: string, aliases: Record<K, readonly string[]>, required: readonly K[]): Promise<SheetTable & { fields: K[] }> {
  const grid = /\.csv$/i.test(fileName) ? readCsvGrid(decodeText(buffer)) : await readXlsxGrid(buffer);

  const headerIndex = grid.findIndex((row) => required.every((field) => row.some((cell) => matchesAlias(cell, aliases[field]))));
  if (headerIndex < 0) {
    const names = required.map((field) => `“${aliases[field][0]}”`).join('、');
    throw badRequest('import_header_missing', `没有找到表头：文件中需要有 ${names} 这几列（列名也可用常见的同义写法）`);
  }

  const header = grid[headerIndex]!;
  const positions = new Map<K, number>();
  for (const field of Object.keys(aliases) as K[]) {
    const index = header.findIndex((cell) => matchesAlias(cell, aliases[field]));
    if (index >= 0) positions.set(field, index);
  }

  const rows: SheetTable['rows'] = [];
  for (let index = headerIndex + 1; index < grid.length; index += 1) {
    const row = grid[index]!;
    if (row.every((cell) => cell === '')) continue;
    const cells: Record<string, string> = {};
    for (const [field, position] of positions) cells[field] = row[position] ?? '';
    rows.push({ rowNumber: index + 1, cells });
  }
  return { rows, fields: [...positions.keys()] };
}

function normalizeHeading(text: string): string {
  return text.replace(/[\s（）()【】\[\]：:*]/g, '').toLowerCase();
}

function matchesAlias(cell: string, aliases: readonly string[]): boolean {
  const key = normalizeHeading(cell);
  return key !== '' && aliases.some((alias) => normalizeHeading(alias) === key);
}

function decodeText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and line breaks inside quotes. */
function readCsvGrid(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
      continue;
    }
    if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field.trim());
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field.trim());
      rows.push(row);
      row = [];
      field = '';
    } else field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field.trim());
    rows.push(row);
  }
  // Some banks prefix cells with a tab or '=' to keep Excel from reformatting long reference numbers.
  return rows.map((cells) => cells.map((cell) => cell.replace(/^="?|"$/g, '').replace(/^\t+/, '')));
}

async function readXlsxGrid(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw badRequest('import_file_unreadable', '文件无法读取：请上传 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest('import_file_empty', '文件里没有工作表');

  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellToText(row.getCell(column).value));
    grid[rowNumber - 1] = cells;
  });
  return Array.from(grid, (row) => row ?? []);
}

function cellToText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return String(Number(value.toPrecision(15)));
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object' && 'result' in value && value.result !== undefined) return cellToText(value.result as ExcelJS.CellValue);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('').trim();
  if (typeof value === 'object' && 'text' in value) return String(value.text).trim();
  return '';
}

/** '2026-01-05', '2026/1/5', '2026.1.5', '20260105', '2026年1月5日', also with a time after it. */
export function parseDateText(text: string): string | undefined {
  const cleaned = text.trim().replace(/\s+\d{1,2}:\d{2}(:\d{2})?$/, '');
  const match = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(cleaned);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Parses a yuan amount from a cell ('1,234.56', '¥1234.5', '1234'); empty or zero gives null. */
export function parseAmountText(text: string): number | null | undefined {
  const cleaned = text.replace(/\s/g, '');
  if (cleaned === '' || cleaned === '-' || cleaned === '--') return null;
  const fen = parseYuanToFen(cleaned);
  if (fen === undefined) return undefined;
  return fen === 0 ? null : fen;
}
