import { sumLines, type DiscountBasisPoints, type Fen } from './money.js';

/**
 * Quote arithmetic shared by the phone and the server. The phone runs it on every keystroke to show
 * totals at once; the server runs the same function on save, and only the server's result is stored.
 * Every amount is integer fen, every discount basis points, each line rounded on its own (see money.ts).
 */

export interface QuoteLineTerms {
  listPriceFen: Fen;
  quantity: number;
  discount: DiscountBasisPoints;
  /** The customer's agreed floor for this title; null when no agreement limits it. */
  floorDiscount: DiscountBasisPoints | null;
}

export interface QuoteLineFigures {
  listAmountFen: Fen;
  netAmountFen: Fen;
  isSpecialDiscount: boolean;
}

export interface QuoteTotals {
  listAmountFen: Fen;
  netAmountFen: Fen;
  totalQuantity: number;
  lineCount: number;
  specialLineCount: number;
}

export interface ComputedQuote {
  lines: QuoteLineFigures[];
  totals: QuoteTotals;
}

/** Tells whether a discount is a 特殊折扣 (below the agreed floor, so it needs approval); the floor itself is allowed. */
export function isSpecialDiscount(discount: DiscountBasisPoints, floorDiscount: DiscountBasisPoints | null): boolean {
  return floorDiscount !== null && discount < floorDiscount;
}

/** 码洋, 实洋 and the special-discount mark of each line, and totals as sums of the lines. */
export function computeQuote(lines: readonly QuoteLineTerms[]): ComputedQuote {
  const summed = sumLines(lines);
  let specialLineCount = 0;
  const figures: QuoteLineFigures[] = new Array(lines.length);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const amounts = summed.lines[index]!;
    const special = isSpecialDiscount(line.discount, line.floorDiscount);
    if (special) specialLineCount += 1;
    figures[index] = { listAmountFen: amounts.listAmountFen, netAmountFen: amounts.netAmountFen, isSpecialDiscount: special };
  }
  return {
    lines: figures,
    totals: {
      listAmountFen: summed.listAmountFen,
      netAmountFen: summed.netAmountFen,
      totalQuantity: summed.quantity,
      lineCount: lines.length,
      specialLineCount,
    },
  };
}

export interface DiscountTerms {
  defaultDiscount: DiscountBasisPoints;
  floorDiscount: DiscountBasisPoints | null;
}

/**
 * Picks the discount terms a new line starts with: the customer's agreement (the customer module already picks series
 * over category over the customer default), else the publisher-wide fallback from settings.
 */
export function resolveDiscountTerms(agreement: DiscountTerms | null, fallback: DiscountTerms): DiscountTerms {
  return agreement ?? fallback;
}

/**
 * Computes the overall discount of a quote, 实洋 ÷ 码洋 in basis points, rounded half up; for display only
 * (e.g. '平均 6.35折'), never to compute an amount. Null for an empty quote.
 */
export function averageDiscount(totals: Pick<QuoteTotals, 'listAmountFen' | 'netAmountFen'>): DiscountBasisPoints | null {
  if (totals.listAmountFen === 0) return null;
  const scaled = BigInt(totals.netAmountFen) * 10_000n * 2n + BigInt(totals.listAmountFen);
  return Number(scaled / (BigInt(totals.listAmountFen) * 2n));
}
