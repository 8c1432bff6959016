import type { BookCategory } from '@shared/api/book';
import type { LineDefaults, QuoteDetail, QuoteLineInput } from '@shared/api/quote';
import { computeQuote, type ComputedQuote } from '@shared/quote-rules';

/** One line as the editor holds it. Amounts are never stored here: they are computed from these terms. */
export interface EditorLine {
  key: number;
  /** Id of the saved line, so the server keeps the list price copied when it was first added. */
  lineId?: number;
  bookId: number;
  isbn: string;
  title: string;
  category: BookCategory;
  series: string | null;
  listPriceFen: number;
  quantity: number;
  discount: number;
  defaultDiscount: number;
  floorDiscount: number | null;
}

let lastKey = 0;
function nextKey(): number {
  lastKey += 1;
  return lastKey;
}

export function linesFromQuote(quote: QuoteDetail): EditorLine[] {
  return quote.lines.map((line) => ({
    key: nextKey(),
    lineId: line.id,
    bookId: line.bookId,
    isbn: line.isbn,
    title: line.title,
    category: line.category,
    series: line.series,
    listPriceFen: line.listPriceFen,
    quantity: line.quantity,
    discount: line.discount,
    defaultDiscount: line.defaultDiscount,
    floorDiscount: line.floorDiscount,
  }));
}

/**
 * Adds titles at the customer's default discount. A title already on the quote gets `quantity` more copies
 * instead of a second line, because scanning the same book twice means "one more".
 */
export function addTitles(lines: readonly EditorLine[], titles: readonly LineDefaults[], quantity: number): { lines: EditorLine[]; added: number; bumped: string[] } {
  const next = [...lines];
  const bumped: string[] = [];
  let added = 0;
  for (const title of titles) {
    const index = next.findIndex((line) => line.bookId === title.bookId);
    if (index >= 0) {
      next[index] = { ...next[index]!, quantity: next[index]!.quantity + quantity };
      bumped.push(title.title);
      continue;
    }
    next.push({
      key: nextKey(),
      bookId: title.bookId,
      isbn: title.isbn,
      title: title.title,
      category: title.category,
      series: title.series,
      listPriceFen: title.listPriceFen,
      quantity,
      discount: title.defaultDiscount,
      defaultDiscount: title.defaultDiscount,
      floorDiscount: title.floorDiscount,
    });
    added += 1;
  }
  return { lines: next, added, bumped };
}

/** The figures the phone shows: the same shared function the server runs on save. */
export function computeEditorTotals(lines: readonly EditorLine[]): ComputedQuote {
  return computeQuote(lines.map((line) => ({ listPriceFen: line.listPriceFen, quantity: line.quantity, discount: line.discount, floorDiscount: line.floorDiscount })));
}

export function toLineInputs(lines: readonly EditorLine[]): QuoteLineInput[] {
  return lines.map((line) => ({ ...(line.lineId === undefined ? {} : { lineId: line.lineId }), bookId: line.bookId, quantity: line.quantity, discount: line.discount }));
}
