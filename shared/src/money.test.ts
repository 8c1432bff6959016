import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiscount, formatFen, listAmount, netAmount, parseDiscount, parseYuanToFen, sumLines } from './money.js';

describe('netAmount', () => {
  it('rounds half a fen up', () => {
    // 1.05 yuan × 1 × 5折 = 52.5 fen → 53
    expect(netAmount(105, 1, 5000)).toBe(53);
  });

  it('rounds just below half down', () => {
    // 1.09 × 3 × 6.15折 = 201.105 fen → 201
    expect(netAmount(109, 3, 6150)).toBe(201);
  });

  it('is zero at 0 discount and list amount at 10折', () => {
    expect(netAmount(6800, 7, 0)).toBe(0);
    expect(netAmount(6800, 7, 10_000)).toBe(47_600);
  });

  it('mirrors a sale for a negative quantity', () => {
    expect(netAmount(105, -1, 5000)).toBe(-53);
  });

  it('stays exact for a large quantity', () => {
    // 998.00 yuan × 1,000,000 copies × 6.2折
    expect(netAmount(99_800, 1_000_000, 6200)).toBe(61_876_000_000);
    expect(listAmount(99_800, 1_000_000)).toBe(99_800_000_000);
  });
});

describe('sumLines', () => {
  it('sums rounded lines, not a rounded total', () => {
    const totals = sumLines([
      { listPriceFen: 105, quantity: 1, discount: 5000 },
      { listPriceFen: 105, quantity: 1, discount: 5000 },
    ]);
    expect(totals.netAmountFen).toBe(106);
    expect(totals.listAmountFen).toBe(210);
  });

  it('equals the sum of its lines for random lines', () => {
    const line = fc.record({
      listPriceFen: fc.integer({ min: 0, max: 1_000_000 }),
      quantity: fc.integer({ min: 0, max: 100_000 }),
      discount: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const totals = sumLines(lines);
        expect(totals.netAmountFen).toBe(lines.reduce((sum, item) => sum + netAmount(item.listPriceFen, item.quantity, item.discount), 0));
        expect(totals.listAmountFen).toBe(lines.reduce((sum, item) => sum + item.listPriceFen * item.quantity, 0));
      }),
    );
  });
});

describe('money text', () => {
  it('formats fen as yuan', () => {
    expect(formatFen(123_456)).toBe('1,234.56');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(-100)).toBe('-1.00');
  });

  it('parses yuan without floating point', () => {
    expect(parseYuanToFen('68')).toBe(6800);
    expect(parseYuanToFen('¥1,234.5')).toBe(123_450);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1.005')).toBeUndefined();
    expect(parseYuanToFen('abc')).toBeUndefined();
  });

  it('formats and parses discounts as 折', () => {
    expect(formatDiscount(6200)).toBe('6.2折');
    expect(formatDiscount(10_000)).toBe('10折');
    expect(formatDiscount(6250)).toBe('6.25折');
    expect(parseDiscount('6.2折')).toBe(6200);
    expect(parseDiscount('62%')).toBe(6200);
    expect(parseDiscount('11')).toBeUndefined();
  });
});
