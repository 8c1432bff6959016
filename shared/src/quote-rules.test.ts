import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { netAmount } from './money.js';
import { averageDiscount, computeQuote, isSpecialDiscount, resolveDiscountTerms, type QuoteLineTerms } from './quote-rules.js';

const line = (listPriceFen: number, quantity: number, discount: number, floorDiscount: number | null = null): QuoteLineTerms => ({ listPriceFen, quantity, discount, floorDiscount });

describe('computeQuote', () => {
  it('rounds each line half up to the fen: 0.5 fen goes up, 0.4999 goes down', () => {
    // 1 fen × 1 × 50 % = 0.5 fen → 1 fen; 33 fen × 1 × 6.2折 = 20.46 fen → 20 fen.
    const quote = computeQuote([line(1, 1, 5000), line(33, 1, 6200), line(4999, 1, 1)]);
    expect(quote.lines.map((figures) => figures.netAmountFen)).toEqual([1, 20, 0]);
  });

  it('totals the rounded lines, not the rounded total of the unrounded lines', () => {
    // Three lines of 0.5 fen each: per-line rounding gives 1 + 1 + 1 = 3; rounding the exact sum 1.5 would give 2.
    const quote = computeQuote([line(1, 1, 5000), line(1, 1, 5000), line(1, 1, 5000)]);
    expect(quote.totals.netAmountFen).toBe(3);
    expect(quote.totals.listAmountFen).toBe(3);
  });

  it('charges nothing at 0折 and the full 码洋 at 10折', () => {
    const quote = computeQuote([line(4580, 12, 0), line(4580, 12, 10_000)]);
    expect(quote.lines[0]).toEqual({ listAmountFen: 54_960, netAmountFen: 0, isSpecialDiscount: false });
    expect(quote.lines[1]).toEqual({ listAmountFen: 54_960, netAmountFen: 54_960, isSpecialDiscount: false });
  });

  it('stays exact for a large library order', () => {
    // ¥198.00 × 1,000,000 copies at 5.85折: 码洋 ¥198,000,000.00, 实洋 ¥115,830,000.00.
    const quote = computeQuote([line(19_800, 1_000_000, 5850)]);
    expect(quote.totals).toEqual({ listAmountFen: 19_800_000_000, netAmountFen: 11_583_000_000, totalQuantity: 1_000_000, lineCount: 1, specialLineCount: 0 });
  });

  it('marks a line below the floor as a special discount and counts it', () => {
    const quote = computeQuote([line(3800, 10, 5999, 6000), line(3800, 10, 6000, 6000), line(3800, 10, 5000, null)]);
    expect(quote.lines.map((figures) => figures.isSpecialDiscount)).toEqual([true, false, false]);
    expect(quote.totals.specialLineCount).toBe(1);
  });

  it('returns zero totals for an empty quote', () => {
    expect(computeQuote([]).totals).toEqual({ listAmountFen: 0, netAmountFen: 0, totalQuantity: 0, lineCount: 0, specialLineCount: 0 });
  });
});

const lineArbitrary = fc.record({
  listPriceFen: fc.integer({ min: 1, max: 200_000 }),
  quantity: fc.integer({ min: 1, max: 100_000 }),
  discount: fc.integer({ min: 0, max: 10_000 }),
  floorDiscount: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
});

/** Reference 实洋 from exact rational arithmetic, written independently of money.ts. */
function referenceNet(terms: QuoteLineTerms): bigint {
  const numerator = BigInt(terms.listPriceFen) * BigInt(terms.quantity) * BigInt(terms.discount);
  const whole = numerator / 10_000n;
  return numerator % 10_000n >= 5_000n ? whole + 1n : whole;
}

describe('computeQuote properties', () => {
  it('total 实洋 and 码洋 equal the sums of the lines for any lines', () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 60 }), (lines) => {
        const quote = computeQuote(lines);
        expect(quote.totals.netAmountFen).toBe(quote.lines.reduce((sum, figures) => sum + figures.netAmountFen, 0));
        expect(quote.totals.listAmountFen).toBe(quote.lines.reduce((sum, figures) => sum + figures.listAmountFen, 0));
        expect(quote.totals.totalQuantity).toBe(lines.reduce((sum, terms) => sum + terms.quantity, 0));
      }),
    );
  });

  it('matches exact rational rounding on every line', () => {
    fc.assert(
      fc.property(lineArbitrary, (terms) => {
        expect(BigInt(computeQuote([terms]).lines[0]!.netAmountFen)).toBe(referenceNet(terms));
      }),
    );
  });

  it('gives the server the same figures the phone showed after the lines travel as JSON', () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 60 }), (lines) => {
        const onPhone = computeQuote(lines);
        const received: QuoteLineTerms[] = JSON.parse(JSON.stringify(lines));
        expect(computeQuote(received)).toEqual(onPhone);
      }),
    );
  });

  it('does not depend on line order for the totals', () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 30 }), (lines) => {
        expect(computeQuote([...lines].reverse()).totals).toEqual(computeQuote(lines).totals);
      }),
    );
  });
});

describe('isSpecialDiscount', () => {
  it('is false at the floor and true one basis point below it', () => {
    expect(isSpecialDiscount(6000, 6000)).toBe(false);
    expect(isSpecialDiscount(5999, 6000)).toBe(true);
  });

  it('is false when no agreement sets a floor', () => {
    expect(isSpecialDiscount(0, null)).toBe(false);
  });
});

describe('resolveDiscountTerms', () => {
  const fallback = { defaultDiscount: 7000, floorDiscount: 6000 };

  it('uses the customer agreement when there is one', () => {
    expect(resolveDiscountTerms({ defaultDiscount: 6500, floorDiscount: 5800 }, fallback)).toEqual({ defaultDiscount: 6500, floorDiscount: 5800 });
  });

  it('falls back to the publisher-wide terms without an agreement', () => {
    expect(resolveDiscountTerms(null, fallback)).toEqual(fallback);
  });
});

describe('averageDiscount', () => {
  it('is 实洋 ÷ 码洋 in basis points, rounded half up', () => {
    expect(averageDiscount({ listAmountFen: 10_000, netAmountFen: 6_235 })).toBe(6235);
    expect(averageDiscount({ listAmountFen: 3, netAmountFen: 2 })).toBe(6667);
  });

  it('is null for an empty quote', () => {
    expect(averageDiscount({ listAmountFen: 0, netAmountFen: 0 })).toBeNull();
  });

  it('agrees with netAmount on a single line', () => {
    expect(netAmount(10_000, 1, 6235)).toBe(6235);
  });
});
