import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from './test-support/read-csv.js';
import {
  agingBucketDueRange,
  agingBucketOf,
  agingBuckets,
  allocateLatestDueFirst,
  allocateOldestDueFirst,
  checkAllocation,
  daysOverdue,
  drawOldestLotsFirst,
  dueOverdueTier,
  defaultOverdueThresholds,
  invoiceableFen,
  monthRange,
  nextMonth,
  parseFapiaoNumber,
  planStatusOf,
  postingMonthFor,
  returnNeedsApproval,
  shiftDate,
  statementFigures,
  taxIncludedFen,
} from './receivable-rules.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/ids/fapiao_number_cases.csv');

describe('daysOverdue', () => {
  it('is 0 on the due date and 1 the day after', () => {
    expect(daysOverdue('2026-03-10', '2026-03-10')).toBe(0);
    expect(daysOverdue('2026-03-10', '2026-03-11')).toBe(1);
    expect(daysOverdue('2026-03-10', '2026-03-01')).toBe(0);
  });

  it('counts across a leap day', () => {
    expect(daysOverdue('2028-02-28', '2028-03-01')).toBe(2);
  });
});

describe('agingBucketOf', () => {
  it.each([
    ['2026-03-10', 'not_due'],
    ['2026-03-09', 'd1_30'],
    ['2026-02-08', 'd1_30'],
    ['2026-02-07', 'd31_60'],
    ['2026-01-09', 'd31_60'],
    ['2026-01-08', 'd61_90'],
    ['2025-12-10', 'd61_90'],
    ['2025-12-09', 'over_90'],
  ])('puts a plan due %s into %s on 2026-03-10', (dueDate, bucket) => {
    expect(agingBucketOf(dueDate, '2026-03-10')).toBe(bucket);
  });

  it('agrees with the SQL due-date ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200, max: 400 }), (offset) => {
        const asOf = '2026-03-10';
        const due = shiftDate(asOf, -offset);
        const inRange = agingBuckets.filter((bucket) => {
          const range = agingBucketDueRange(bucket, asOf);
          return (!range.minDueDate || due >= range.minDueDate) && (!range.maxDueDate || due <= range.maxDueDate);
        });
        expect(inRange).toEqual([agingBucketOf(due, asOf)]);
      }),
    );
  });
});

describe('planStatusOf', () => {
  it('moves from open to partial to received', () => {
    expect(planStatusOf(100, 0)).toBe('open');
    expect(planStatusOf(100, 1)).toBe('partial');
    expect(planStatusOf(100, 100)).toBe('received');
  });
});

describe('allocateOldestDueFirst', () => {
  const plans = [
    { id: 3, dueDate: '2026-03-01', seq: 3, remainingFen: 300 },
    { id: 1, dueDate: '2026-01-01', seq: 1, remainingFen: 100 },
    { id: 2, dueDate: '2026-02-01', seq: 2, remainingFen: 0 },
  ];

  it('fills the earliest due first and skips paid plans', () => {
    expect(allocateOldestDueFirst(250, plans)).toEqual([
      { planId: 1, amountFen: 100 },
      { planId: 3, amountFen: 150 },
    ]);
  });

  it('never allocates more than available or than a plan lacks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.record({ id: fc.integer({ min: 1, max: 10_000 }), dueDate: fc.constantFrom('2026-01-01', '2026-02-01', '2026-03-01'), seq: fc.integer({ min: 1, max: 12 }), remainingFen: fc.integer({ min: 0, max: 500_000 }) }), { maxLength: 20 }),
        (available, candidates) => {
          const unique = [...new Map(candidates.map((plan) => [plan.id, plan])).values()];
          const result = allocateOldestDueFirst(available, unique);
          const total = result.reduce((sum, item) => sum + item.amountFen, 0);
          expect(total).toBeLessThanOrEqual(available);
          expect(total).toBe(Math.min(available, unique.reduce((sum, plan) => sum + plan.remainingFen, 0)));
          for (const item of result) expect(item.amountFen).toBeLessThanOrEqual(unique.find((plan) => plan.id === item.planId)!.remainingFen);
        },
      ),
    );
  });
});

describe('allocateLatestDueFirst', () => {
  it('credits the final installment first', () => {
    const plans = [
      { id: 1, dueDate: '2026-01-01', seq: 1, remainingFen: 100 },
      { id: 2, dueDate: '2026-06-01', seq: 2, remainingFen: 100 },
    ];
    expect(allocateLatestDueFirst(150, plans)).toEqual([
      { planId: 2, amountFen: 100 },
      { planId: 1, amountFen: 50 },
    ]);
  });
});

describe('checkAllocation', () => {
  it('names the limit that is exceeded', () => {
    expect(checkAllocation(0, 100, 100)).toBe('not_positive');
    expect(checkAllocation(101, 100, 500)).toBe('exceeds_plan');
    expect(checkAllocation(101, 500, 100)).toBe('exceeds_receipt');
    expect(checkAllocation(100, 100, 100)).toBeNull();
  });
});

describe('statementFigures', () => {
  it('holds the balance identity for any lines', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.record({ kind: fc.constantFrom('shipment', 'consignment_settlement', 'return', 'receipt', 'receipt_reversal', 'adjustment' as const), amountFen: fc.integer({ min: -100_000_000, max: 100_000_000 }) })),
        (opening, lines) => {
          const figures = statementFigures(opening, lines);
          expect(figures.closingBalanceFen).toBe(figures.openingBalanceFen + figures.shippedFen - figures.returnedFen - figures.receivedFen + figures.adjustedFen);
          expect(figures.closingBalanceFen).toBe(opening + lines.reduce((sum, line) => sum + line.amountFen, 0));
        },
      ),
    );
  });

  it('counts a receipt reversal as a negative receipt', () => {
    const figures = statementFigures(0, [
      { kind: 'receipt', amountFen: -500 },
      { kind: 'receipt_reversal', amountFen: 500 },
    ]);
    expect(figures.receivedFen).toBe(0);
  });
});

describe('postingMonthFor', () => {
  it('books into the entry month while it is open', () => {
    expect(postingMonthFor('2026-03-15', '2026-02')).toBe('2026-03');
    expect(postingMonthFor('2026-03-15', null)).toBe('2026-03');
  });

  it('moves an entry dated in a sent month to the month after the latest sent one', () => {
    expect(postingMonthFor('2026-01-15', '2026-02')).toBe('2026-03');
    expect(postingMonthFor('2026-12-31', '2026-12')).toBe('2027-01');
  });
});

describe('month helpers', () => {
  it('rolls over the year and knows February', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(monthRange('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
});

describe('dueOverdueTier', () => {
  it('picks the highest reached threshold not yet notified', () => {
    expect(dueOverdueTier(0, 0, defaultOverdueThresholds)).toBeUndefined();
    expect(dueOverdueTier(1, 0, defaultOverdueThresholds)?.days).toBe(1);
    expect(dueOverdueTier(6, 1, defaultOverdueThresholds)).toBeUndefined();
    expect(dueOverdueTier(7, 1, defaultOverdueThresholds)?.audience).toEqual(['rep', 'leader']);
    expect(dueOverdueTier(45, 0, defaultOverdueThresholds)?.days).toBe(30);
    expect(dueOverdueTier(45, 30, defaultOverdueThresholds)).toBeUndefined();
  });
});

describe('invoiceableFen', () => {
  it('subtracts returns, issued and reserved amounts and never goes negative', () => {
    expect(invoiceableFen({ shippedNetFen: 1000, returnedNetFen: 100, issuedNetFen: 300, reservedFen: 200 })).toBe(400);
    expect(invoiceableFen({ shippedNetFen: 100, returnedNetFen: 100, issuedNetFen: 300, reservedFen: 0 })).toBe(0);
  });
});

describe('returnNeedsApproval', () => {
  it('needs approval only above the share', () => {
    expect(returnNeedsApproval({ returnedListFen: 0, thisReturnListFen: 3000, shippedListFen: 10_000, maxShareBp: 3000 })).toBe(false);
    expect(returnNeedsApproval({ returnedListFen: 1, thisReturnListFen: 3000, shippedListFen: 10_000, maxShareBp: 3000 })).toBe(true);
    expect(returnNeedsApproval({ returnedListFen: 0, thisReturnListFen: 1, shippedListFen: 0, maxShareBp: 3000 })).toBe(true);
  });
});

describe('taxIncludedFen', () => {
  it('derives 9 % VAT from a tax-inclusive amount, rounded half up', () => {
    expect(taxIncludedFen(10_900, 900)).toBe(900);
    expect(taxIncludedFen(2_000_000, 900)).toBe(165_138);
    expect(taxIncludedFen(100, 0)).toBe(0);
  });
});

describe('drawOldestLotsFirst', () => {
  it('takes from the oldest shipment and reports the shortfall', () => {
    const lots = [
      { id: 2, shippedDate: '2026-02-01', unsoldQuantity: 5 },
      { id: 1, shippedDate: '2026-01-01', unsoldQuantity: 3 },
    ];
    expect(drawOldestLotsFirst(4, lots)).toEqual({ draws: [{ lotId: 1, quantity: 3 }, { lotId: 2, quantity: 1 }], short: 0 });
    expect(drawOldestLotsFirst(10, lots).short).toBe(2);
  });
});

describe('parseFapiaoNumber', () => {
  const cases = readCsv(fixtures);

  it.each(cases.filter((row) => row.kind!.startsWith('real_observed')).map((row) => [row.invoice_code, row.invoice_number, row.kind]))('accepts observed %s %s (%s)', (code, number, kind) => {
    const parsed = parseFapiaoNumber(code, number!);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.kind).toBe(kind === 'real_observed_digital' ? 'digital' : 'legacy');
  });

  it.each(cases.filter((row) => row.kind === 'synthetic_mutation').map((row) => [row.invoice_number]))('rejects %s', (number) => {
    expect(parseFapiaoNumber('', number!)).toEqual({ ok: false, reason: 'invalid_digital_number' });
  });

  it('rejects a legacy number without the 8 digits', () => {
    expect(parseFapiaoNumber('032002100204', '3789810')).toEqual({ ok: false, reason: 'invalid_legacy_number' });
    expect(parseFapiaoNumber('03200210020', '37898106')).toEqual({ ok: false, reason: 'invalid_legacy_code' });
  });
});
