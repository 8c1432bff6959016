import { isbnErrorMessages, parseIsbn } from '@shared/isbn.js';
import { lineAmounts } from '@shared/money.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest } from '../../http/app-error.js';
import { findBookByIsbn } from '../book/book.service.js';

export interface DocumentLineInput {
  isbn: string;
  title?: string;
  quantity: number;
  listPriceFen?: number;
  discount: number;
}

export interface PricedLine {
  line_no: number;
  isbn: string;
  title: string;
  quantity: number;
  list_price_fen: number;
  discount: number;
  list_amount_fen: number;
  net_amount_fen: number;
}

/**
 * Normalises shipment and return lines. ISBN-10 or ISBN-13 becomes ISBN-13. Title and list price come
 * from the catalog when the line leaves them out, because a phone entry often does (a distribution
 * system export has both). 码洋 and 实洋 are computed per line with the shared money rules.
 */
export async function priceDocumentLines(db: DbExecutor, lines: readonly DocumentLineInput[]): Promise<{ lines: PricedLine[]; listAmountFen: number; netAmountFen: number; totalQuantity: number }> {
  const priced: PricedLine[] = [];
  for (const [index, line] of lines.entries()) {
    const parsed = parseIsbn(line.isbn);
    if (!parsed.ok) throw badRequest('invalid_isbn', `第 ${index + 1} 行 ISBN “${line.isbn}” 无效：${isbnErrorMessages[parsed.reason]}`);

    let title = line.title?.trim() ?? '';
    let listPriceFen = line.listPriceFen;
    if (!title || listPriceFen === undefined) {
      const book = await findBookByIsbn(db, parsed.isbn13);
      if (!book && listPriceFen === undefined) {
        throw badRequest('book_price_missing', `第 ${index + 1} 行 ISBN ${parsed.isbn13} 不在书目中：请填写书名和定价`);
      }
      title ||= book?.title ?? `ISBN ${parsed.isbn13}`;
      listPriceFen ??= book!.listPriceFen;
    }

    const amounts = lineAmounts({ listPriceFen, quantity: line.quantity, discount: line.discount });
    priced.push({
      line_no: index + 1,
      isbn: parsed.isbn13,
      title,
      quantity: line.quantity,
      list_price_fen: listPriceFen,
      discount: line.discount,
      list_amount_fen: amounts.listAmountFen,
      net_amount_fen: amounts.netAmountFen,
    });
  }
  return {
    lines: priced,
    listAmountFen: priced.reduce((sum, line) => sum + line.list_amount_fen, 0),
    netAmountFen: priced.reduce((sum, line) => sum + line.net_amount_fen, 0),
    totalQuantity: priced.reduce((sum, line) => sum + line.quantity, 0),
  };
}

export function toDocumentLine(row: PricedLine & { id: number }) {
  return {
    id: row.id,
    lineNo: row.line_no,
    isbn: row.isbn,
    title: row.title,
    quantity: row.quantity,
    listPriceFen: row.list_price_fen,
    discount: row.discount,
    listAmountFen: row.list_amount_fen,
    netAmountFen: row.net_amount_fen,
  };
}
