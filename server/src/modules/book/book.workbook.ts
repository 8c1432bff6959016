import ExcelJS from 'exceljs';
import { badRequest } from '../../http/app-error.js';

/**
 * Reading spreadsheet cells the way a user filled them in. Each reader returns either the value or a
 * Chinese reason, so the import can report row, column and cause together.
 */
export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };

export async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw badRequest('import_file_unreadable', '文件无法读取：请上传 Excel 的 .xlsx 文件（可先下载导入模板，不支持 .xls 和 .csv）');
  }
  return workbook;
}

/** Reads the cell's plain content as text. Formulas are rejected because their cached result may be stale. */
export function cellText(cell: ExcelJS.Cell): CellResult<string> {
  const value = cell.value;
  if (value === null || value === undefined) return { ok: true, value: '' };
  if (typeof value === 'string') return { ok: true, value: value.trim() };
  if (typeof value === 'number') return { ok: true, value: numberText(value) };
  if (typeof value === 'boolean') return { ok: true, value: value ? '是' : '否' };
  if (value instanceof Date) return { ok: true, value: value.toISOString().slice(0, 10) };
  if (typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    return { ok: false, message: '单元格是公式：请复制后“选择性粘贴为数值”再导入' };
  }
  if (typeof value === 'object' && 'richText' in value) return { ok: true, value: value.richText.map((part) => part.text).join('').trim() };
  if (typeof value === 'object' && 'text' in value) return { ok: true, value: String(value.text).trim() };
  return { ok: false, message: '无法识别的单元格内容' };
}

/**
 * Spreadsheets store numbers as doubles; 15 significant digits is what Excel itself displays, so 29.9
 * stays '29.9' and not '29.899999999999999'. The text then goes through the exact yuan parser.
 */
function numberText(value: number): string {
  return String(Number(value.toPrecision(15)));
}

/** Reads a calendar date from a date cell or text like 2024-03-15, 2024/3/15, 2024.3 or 2024年3月 (day 1 when absent). */
export function cellDate(cell: ExcelJS.Cell): CellResult<string | null> {
  if (cell.value instanceof Date) return { ok: true, value: cell.value.toISOString().slice(0, 10) };
  const text = cellText(cell);
  if (!text.ok) return text;
  if (!text.value) return { ok: true, value: null };

  const match = /^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)$/.exec(text.value);
  if (!match) return { ok: false, message: `「${text.value}」不是日期：请填写如 2024-03-15 或 2024-03` };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 1)];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { ok: false, message: `「${text.value}」不是有效日期` };
  return { ok: true, value: date.toISOString().slice(0, 10) };
}

export function cellInteger(cell: ExcelJS.Cell, label: string): CellResult<number | null> {
  const text = cellText(cell);
  if (!text.ok) return text;
  if (!text.value) return { ok: true, value: null };
  const cleaned = text.value.replace(/,/g, '');
  if (!/^\d{1,9}$/.test(cleaned)) return { ok: false, message: `${label}「${text.value}」应为不小于 0 的整数` };
  return { ok: true, value: Number(cleaned) };
}

/** Index (1-based) of each known heading in the header row, matched after removing spaces and brackets. */
export function mapHeadings<K extends string>(row: ExcelJS.Row, aliases: Record<K, readonly string[]>): Partial<Record<K, number>> {
  const positions: Partial<Record<K, number>> = {};
  row.eachCell((cell, columnNumber) => {
    const heading = cellText(cell);
    if (!heading.ok) return;
    const key = normalizeHeading(heading.value);
    for (const field of Object.keys(aliases) as K[]) {
      if (positions[field] === undefined && aliases[field].some((alias) => normalizeHeading(alias) === key)) positions[field] = columnNumber;
    }
  });
  return positions;
}

function normalizeHeading(text: string): string {
  return text.replace(/[\s*＊()（）[\]【】]/g, '').toLowerCase();
}
