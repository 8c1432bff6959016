import ExcelJS from 'exceljs';
import { badRequest } from '../../http/app-error.js';
import { importColumns, importSheetName, type ImportColumnKey, type ImportRawRow } from './customer-import.columns.js';

export const maxImportRows = 10_000;

export interface ParsedImport {
  /** Excel row number of each row, so errors name the row the user sees. */
  rows: { rowNumber: number; values: ImportRawRow }[];
}

/**
 * Reads the uploaded workbook. Everything wrong with the file as a whole is a 400 that names the problem
 * and changes nothing: not an xlsx, no sheet with our headings, a formula anywhere, too many rows.
 */
export async function parseImportWorkbook(buffer: Buffer): Promise<ParsedImport> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw badRequest('import_file_invalid', '无法读取这个文件：请上传用 Excel 或 WPS 保存的 .xlsx 文件（不支持 .xls 和 .csv）');
  }

  const sheet = workbook.getWorksheet(importSheetName) ?? workbook.worksheets.find((candidate) => headingColumns(candidate).has('name'));
  if (!sheet) throw badRequest('import_sheet_not_found', `没有找到“${importSheetName}”工作表，或第一行缺少“客户名称”等列名：请下载导入模板后填写`);
  const columns = headingColumns(sheet);
  const missing = importColumns.filter((column) => column.required && !columns.has(column.key)).map((column) => column.heading);
  if (missing.length > 0) throw badRequest('import_columns_missing', `工作表“${sheet.name}”缺少必填列：${missing.join('、')}。请使用导入模板，不要改动第一行的列名`);

  const rows: ParsedImport['rows'] = [];
  let formulaCell: string | undefined;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1 || formulaCell) return;
    const values: ImportRawRow = {};
    for (const [key, columnNumber] of columns) {
      const cell = row.getCell(columnNumber);
      if (isFormula(cell)) {
        formulaCell = cell.address;
        return;
      }
      const text = cellText(cell);
      if (text !== '') values[key] = text;
    }
    if (Object.keys(values).length > 0) rows.push({ rowNumber, values });
  });
  if (formulaCell) throw badRequest('import_formula_found', `单元格 ${formulaCell} 含有公式：请复制后“选择性粘贴为数值”，再上传`);
  if (rows.length === 0) throw badRequest('import_empty', '工作表里没有数据行：请从第 2 行开始填写客户');
  if (rows.length > maxImportRows) throw badRequest('import_too_many_rows', `一次最多导入 ${maxImportRows} 行，这个文件有 ${rows.length} 行：请拆分后分批导入`);
  return { rows };
}

function headingColumns(sheet: ExcelJS.Worksheet): Map<ImportColumnKey, number> {
  const columns = new Map<ImportColumnKey, number>();
  sheet.getRow(1).eachCell((cell, columnNumber) => {
    const heading = cellText(cell).replace(/[*＊\s]/g, '');
    const column = importColumns.find((candidate) => candidate.heading === heading);
    if (column) columns.set(column.key, columnNumber);
  });
  return columns;
}

/** The text of a cell as the user sees it: numbers without '.0', rich text joined, hyperlinks by text. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('').trim();
  if (typeof value === 'object' && 'text' in value) return String(value.text).trim();
  return String(cell.text ?? '').trim();
}

function isFormula(cell: ExcelJS.Cell): boolean {
  const value = cell.value;
  return cell.type === ExcelJS.ValueType.Formula || (typeof value === 'object' && value !== null && ('formula' in value || 'sharedFormula' in value));
}
