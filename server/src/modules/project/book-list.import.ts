import { isbnErrorMessages, parseIsbn } from '@shared/isbn.js';
import type { SheetRow } from './project.workbook.js';

/** Headings accepted for each column of a library's book list, as libraries and suppliers name them. */
export const bookListHeadings = {
  isbn: ['ISBN', 'ISBN号', '书号', '标准书号', 'ISBN/ISSN'],
  title: ['书名', '题名', '正题名', '图书名称', '品名'],
  quantity: ['数量', '册数', '复本', '复本数', '订数', '采购数量'],
} as const;

export const holdingHeadings = { isbn: bookListHeadings.isbn } as const;

export interface BookListCandidate {
  rowNumber: number;
  isbn: string;
  /** Title from the file; may be empty when the catalog supplies it. */
  title: string;
  quantity: number;
}

export interface ImportIssue {
  row: number;
  column: string;
  reason: string;
}

/**
 * Checks each row of a book list: a valid ISBN (stored as ISBN-13), a positive whole quantity, and an
 * ISBN not repeated in the file. A row with any problem is reported and left out.
 */
export function checkBookListRows(rows: readonly SheetRow[]): { candidates: BookListCandidate[]; issues: ImportIssue[] } {
  const candidates: BookListCandidate[] = [];
  const issues: ImportIssue[] = [];
  const firstRowOfIsbn = new Map<string, number>();

  for (const row of rows) {
    const isbnText = row.cells.isbn ?? '';
    const quantityText = (row.cells.quantity ?? '').replace(/[,，\s]/g, '').replace(/(册|本)$/, '');
    const rowIssues: ImportIssue[] = [];

    const isbn = parseIsbn(isbnText);
    if (!isbnText) rowIssues.push({ row: row.rowNumber, column: 'ISBN', reason: 'ISBN 为空' });
    else if (!isbn.ok) rowIssues.push({ row: row.rowNumber, column: 'ISBN', reason: `「${isbnText}」${isbnErrorMessages[isbn.reason]}` });

    const quantity = /^\d{1,6}$/.test(quantityText) ? Number(quantityText) : NaN;
    if (!(quantity > 0)) rowIssues.push({ row: row.rowNumber, column: '数量', reason: `数量「${row.cells.quantity ?? ''}」应为大于 0 的整数` });

    if (isbn.ok) {
      const earlier = firstRowOfIsbn.get(isbn.isbn13);
      if (earlier !== undefined) rowIssues.push({ row: row.rowNumber, column: 'ISBN', reason: `与第 ${earlier} 行是同一种书（${isbn.isbn13}）：请合并数量后再导入` });
      else firstRowOfIsbn.set(isbn.isbn13, row.rowNumber);
    }

    if (rowIssues.length > 0 || !isbn.ok) {
      issues.push(...rowIssues);
      continue;
    }
    candidates.push({ rowNumber: row.rowNumber, isbn: isbn.isbn13, title: (row.cells.title ?? '').slice(0, 200), quantity });
  }
  return { candidates, issues };
}

/** Valid ISBN-13s of a holdings list; invalid cells are reported, duplicates silently collapse. */
export function checkHoldingRows(rows: readonly SheetRow[]): { isbns: string[]; issues: ImportIssue[] } {
  const isbns = new Set<string>();
  const issues: ImportIssue[] = [];
  for (const row of rows) {
    const text = row.cells.isbn ?? '';
    if (!text) continue;
    const isbn = parseIsbn(text);
    if (isbn.ok) isbns.add(isbn.isbn13);
    else issues.push({ row: row.rowNumber, column: 'ISBN', reason: `「${text}」${isbnErrorMessages[isbn.reason]}` });
  }
  return { isbns: [...isbns], issues };
}
