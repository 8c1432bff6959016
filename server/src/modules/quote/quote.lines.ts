import { fallbackDiscountSchema, type LineDefaults, type QuoteLineInput } from '@shared/api/quote.js';
import { computeQuote, resolveDiscountTerms, type DiscountTerms, type QuoteTotals } from '@shared/quote-rules.js';
import type { Book } from '@shared/api/book.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest } from '../../http/app-error.js';
import { canonicalJson, sha256Hex } from '../../lib/hash.js';
import { listBooksByIds } from '../book/book.service.js';
import { getDiscountAgreement } from '../customer/customer.service.js';
import { getSetting } from '../settings/settings.service.js';
import type { QuoteLineInsert, QuoteLineRow } from './quote.repository.js';

export const fallbackDiscountSettingKey = 'quote.fallback_discount';

/**
 * Terms for a customer without an agreement for a title: 7折 offered, nothing below 6折 without approval.
 * An admin changes them in settings; a customer's own agreement always wins.
 */
const defaultFallback: DiscountTerms = { defaultDiscount: 7000, floorDiscount: 6000 };

/** Discount terms per (category, series), looked up once per combination, not once per line. */
export class DiscountTermsCache {
  private readonly cache = new Map<string, Promise<{ terms: DiscountTerms; source: 'agreement' | 'fallback' }>>();
  private fallback: Promise<DiscountTerms> | undefined;

  constructor(
    private readonly db: DbExecutor,
    private readonly customerId: number,
    private readonly onDate: string,
  ) {}

  termsFor(book: Pick<Book, 'category' | 'series'>): Promise<{ terms: DiscountTerms; source: 'agreement' | 'fallback' }> {
    const key = `${book.category}\u0000${book.series ?? ''}`;
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.lookUp(book);
      this.cache.set(key, entry);
    }
    return entry;
  }

  private async lookUp(book: Pick<Book, 'category' | 'series'>) {
    const agreement = await getDiscountAgreement(this.db, this.customerId, { category: book.category, series: book.series }, this.onDate);
    this.fallback ??= getSetting(this.db, fallbackDiscountSettingKey, fallbackDiscountSchema, defaultFallback);
    const terms = resolveDiscountTerms(agreement, await this.fallback);
    return { terms: { defaultDiscount: terms.defaultDiscount, floorDiscount: terms.floorDiscount }, source: agreement ? ('agreement' as const) : ('fallback' as const) };
  }
}

export interface BuiltLines {
  lines: QuoteLineInsert[];
  totals: QuoteTotals;
  contentHash: string;
}

/**
 * Turns the lines a rep sent into stored lines: the catalog price is copied when a line is first added and
 * kept afterwards, the floor comes from today's agreement, and the amounts come from the shared quote
 * function. The content hash covers what an approver approves.
 */
export async function buildQuoteLines(
  db: DbExecutor,
  input: { customerId: number; validUntil: string; lines: readonly QuoteLineInput[]; existing: readonly QuoteLineRow[]; today: string },
): Promise<BuiltLines> {
  const books = new Map((await listBooksByIds(db, input.lines.map((line) => line.bookId))).map((book) => [book.id, book]));
  const existing = new Map(input.existing.map((line) => [line.id, line]));
  const terms = new DiscountTermsCache(db, input.customerId, input.today);

  const draft: (Omit<QuoteLineInsert, 'list_amount_fen' | 'net_amount_fen' | 'is_special_discount'>)[] = [];
  for (const [index, line] of input.lines.entries()) {
    const book = books.get(line.bookId);
    if (!book) throw badRequest('quote_book_missing', `第 ${index + 1} 行的图书不在书目中（编号 ${line.bookId}）：请删除该行后重新添加`);
    const kept = line.lineId !== undefined ? existing.get(line.lineId) : undefined;
    const keptPrice = kept && kept.book_id === book.id ? kept.list_price_fen : undefined;
    if (keptPrice === undefined && book.status === 'discontinued') {
      throw badRequest('quote_book_discontinued', `第 ${index + 1} 行《${book.title}》已停售，不能加入报价：请删除该行`);
    }
    const { terms: lineTerms } = await terms.termsFor(book);
    draft.push({
      seq: index + 1,
      book_id: book.id,
      isbn: book.isbn,
      title: book.title,
      category: book.category,
      series: book.series,
      list_price_fen: keptPrice ?? book.listPriceFen,
      quantity: line.quantity,
      discount: line.discount,
      default_discount: lineTerms.defaultDiscount,
      floor_discount: lineTerms.floorDiscount,
    });
  }

  const computed = computeQuote(draft.map((line) => ({ listPriceFen: line.list_price_fen, quantity: line.quantity, discount: line.discount, floorDiscount: line.floor_discount ?? null })));
  const lines = draft.map((line, index) => {
    const figures = computed.lines[index]!;
    return { ...line, list_amount_fen: figures.listAmountFen, net_amount_fen: figures.netAmountFen, is_special_discount: figures.isSpecialDiscount ? 1 : 0 };
  });
  return { lines, totals: computed.totals, contentHash: quoteContentHash(input.customerId, input.validUntil, lines) };
}

export function quoteContentHash(customerId: number, validUntil: string, lines: readonly Pick<QuoteLineInsert, 'book_id' | 'list_price_fen' | 'quantity' | 'discount' | 'net_amount_fen'>[]): string {
  return sha256Hex(
    canonicalJson({
      customerId,
      validUntil,
      lines: lines.map((line) => [line.book_id, line.list_price_fen, line.quantity, line.discount, line.net_amount_fen]),
    }),
  );
}

/** Price and discount terms for titles about to be added to a customer's quote. */
export async function describeLineDefaults(db: DbExecutor, customerId: number, bookIds: readonly number[], today: string): Promise<LineDefaults[]> {
  const books = await listBooksByIds(db, bookIds);
  const terms = new DiscountTermsCache(db, customerId, today);
  const byId = new Map(books.map((book) => [book.id, book]));
  const items: LineDefaults[] = [];
  for (const id of bookIds) {
    const book = byId.get(id);
    if (!book) continue;
    const { terms: lineTerms, source } = await terms.termsFor(book);
    items.push({ bookId: book.id, isbn: book.isbn, title: book.title, category: book.category, series: book.series, listPriceFen: book.listPriceFen, status: book.status, ...lineTerms, source });
  }
  return items;
}
