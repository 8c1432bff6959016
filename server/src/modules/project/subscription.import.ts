import { isbnErrorMessages, parseIsbn, toHalfWidth } from '@shared/isbn.js';
import { bookListHeadings, type ImportIssue } from './book-list.import.js';
import type { SheetRow } from './project.workbook.js';

/** Headings accepted for each column of a school's textbook order sheet, as schools and bookshops name them. */
export const subscriptionOrderHeadings = {
  course: ['课程', '课程名称', '科目', '学科'],
  className: ['班级', '班级名称', '班别', '年级班级'],
  isbn: bookListHeadings.isbn,
  title: [...bookListHeadings.title, '教材名称', '教材'],
  quantity: ['数量', '订数', '征订数', '征订数量', '册数', '订购数量'],
} as const;

export interface SubscriptionOrderCandidate {
  rowNumber: number;
  course: string;
  className: string;
  isbn: string;
  /** Title from the file; may be empty when the catalog supplies it. */
  title: string;
  quantity: number;
}

/**
 * Course and class as stored: full-width brackets and digits become ASCII and runs of spaces collapse, so
 * 「高一（1）班」 typed by hand and 「高一(1)班」 from a sheet are the same class.
 */
export function normalizeOrderLabel(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, ' ').trim();
}

export function orderKey(order: { course: string; className: string; isbn: string }): string {
  return `${order.course}\u0000${order.className}\u0000${order.isbn}`;
}

/**
 * Checks each row of an order sheet: course and class present (at most 40 characters), a valid ISBN (stored
 * as ISBN-13), a whole quantity from 1 to 100000, and no second row for the same course, class and ISBN.
 * A row with any problem is reported and left out.
 */
export function checkSubscriptionOrderRows(rows: readonly SheetRow[]): { candidates: SubscriptionOrderCandidate[]; issues: ImportIssue[] } {
  const candidates: SubscriptionOrderCandidate[] = [];
  const issues: ImportIssue[] = [];
  const firstRowOfKey = new Map<string, number>();

  for (const row of rows) {
    const rowIssues: ImportIssue[] = [];
    const course = normalizeOrderLabel(row.cells.course ?? '');
    const className = normalizeOrderLabel(row.cells.className ?? '');
    const isbnText = row.cells.isbn ?? '';
    const quantityText = (row.cells.quantity ?? '').replace(/[,，\s]/g, '').replace(/(册|本)$/, '');

    if (!course) rowIssues.push({ row: row.rowNumber, column: '课程', reason: '课程为空' });
    else if (course.length > 40) rowIssues.push({ row: row.rowNumber, column: '课程', reason: `课程名称「${course.slice(0, 20)}…」超过 40 个字` });
    if (!className) rowIssues.push({ row: row.rowNumber, column: '班级', reason: '班级为空' });
    else if (className.length > 40) rowIssues.push({ row: row.rowNumber, column: '班级', reason: `班级名称「${className.slice(0, 20)}…」超过 40 个字` });

    const isbn = parseIsbn(isbnText);
    if (!isbnText) rowIssues.push({ row: row.rowNumber, column: 'ISBN', reason: 'ISBN 为空' });
    else if (!isbn.ok) rowIssues.push({ row: row.rowNumber, column: 'ISBN', reason: `「${isbnText}」${isbnErrorMessages[isbn.reason]}` });

    const quantity = /^\d{1,6}$/.test(quantityText) ? Number(quantityText) : NaN;
    if (!(quantity > 0 && quantity <= 100_000)) rowIssues.push({ row: row.rowNumber, column: '数量', reason: `数量「${row.cells.quantity ?? ''}」应为 1 到 100000 之间的整数` });

    if (isbn.ok && course && className) {
      const key = orderKey({ course, className, isbn: isbn.isbn13 });
      const earlier = firstRowOfKey.get(key);
      if (earlier !== undefined) rowIssues.push({ row: row.rowNumber, column: 'ISBN', reason: `与第 ${earlier} 行是同一课程、班级的同一种书：请合并数量后再导入` });
      else firstRowOfKey.set(key, row.rowNumber);
    }

    if (rowIssues.length > 0 || !isbn.ok) {
      issues.push(...rowIssues);
      continue;
    }
    candidates.push({ rowNumber: row.rowNumber, course, className, isbn: isbn.isbn13, title: (row.cells.title ?? '').slice(0, 200), quantity });
  }
  return { candidates, issues };
}
