import { describe, expect, it } from 'vitest';
import type { LineDefaults } from '@shared/api/quote';
import { addTitles, computeEditorTotals, toLineInputs } from './quote-editor';

const title = (bookId: number, overrides: Partial<LineDefaults> = {}): LineDefaults => ({
  bookId,
  isbn: `978753996${String(bookId).padStart(4, '0')}`,
  title: `书${bookId}`,
  category: 'general',
  series: null,
  listPriceFen: 3333,
  status: 'on_sale',
  defaultDiscount: 7000,
  floorDiscount: 6500,
  source: 'agreement',
  ...overrides,
});

describe('addTitles', () => {
  it('adds new titles at the default discount and bumps the quantity of one already there', () => {
    const first = addTitles([], [title(1), title(2)], 10);
    const second = addTitles(first.lines, [title(2)], 10);
    expect(second.lines.map((line) => [line.bookId, line.quantity, line.discount])).toEqual([
      [1, 10, 7000],
      [2, 20, 7000],
    ]);
    expect(second).toMatchObject({ added: 0, bumped: ['书2'] });
  });
});

describe('computeEditorTotals', () => {
  it('marks a line below the floor and rounds each line half up', () => {
    const { lines } = addTitles([], [title(1), title(2)], 1);
    const edited = lines.map((line) => (line.bookId === 2 ? { ...line, discount: 6000 } : line));
    const quote = computeEditorTotals(edited);
    // ¥33.33 × 70 % = ¥23.331 → ¥23.33; ¥33.33 × 60 % = ¥19.998 → ¥20.00.
    expect(quote.lines.map((line) => [line.netAmountFen, line.isSpecialDiscount])).toEqual([
      [2333, false],
      [2000, true],
    ]);
    expect(quote.totals).toMatchObject({ netAmountFen: 4333, specialLineCount: 1 });
  });

  it('recomputes a 500-line library list well within a frame', () => {
    const { lines } = addTitles([], Array.from({ length: 500 }, (_, index) => title(index + 1, { listPriceFen: 1800 + index })), 5);
    const started = performance.now();
    computeEditorTotals(lines);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('toLineInputs', () => {
  it('sends the saved line id only for lines that have one', () => {
    const { lines } = addTitles([], [title(1)], 3);
    expect(toLineInputs([{ ...lines[0]!, lineId: 9 }, ...addTitles([], [title(2)], 1).lines])).toEqual([
      { lineId: 9, bookId: 1, quantity: 3, discount: 7000 },
      { bookId: 2, quantity: 1, discount: 7000 },
    ]);
  });
});
