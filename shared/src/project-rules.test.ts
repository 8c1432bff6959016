import { describe, expect, it } from 'vitest';
import { computeFillRate, computeSubscriptionCounts, currentMilestone, formatRateBp, formatTerm, isOverdue, ratioBp } from './project-rules.js';

describe('computeFillRate', () => {
  it('leaves held titles out and caps over-delivery per line', () => {
    const rate = computeFillRate([
      { quantity: 5, held: false, deliveredQuantity: 5 },
      { quantity: 3, held: false, deliveredQuantity: 1 },
      { quantity: 2, held: true, deliveredQuantity: 0 },
      { quantity: 4, held: false, deliveredQuantity: 0 },
      { quantity: 1, held: false, deliveredQuantity: 3 },
    ]);
    expect(rate).toEqual({ titlesToSupply: 4, copiesToSupply: 13, titlesDelivered: 2, titlesPartlyDelivered: 1, copiesDelivered: 7, titleFillRateBp: 5000, copyFillRateBp: 5385 });
  });

  it('is zero for an empty list', () => {
    expect(computeFillRate([]).copyFillRateBp).toBe(0);
  });
});

describe('ratioBp', () => {
  it('rounds half up', () => {
    expect(ratioBp(1, 3)).toBe(3333);
    expect(ratioBp(2, 3)).toBe(6667);
    expect(ratioBp(1, 8)).toBe(1250);
    expect(ratioBp(0, 0)).toBe(0);
  });
});

describe('formatRateBp', () => {
  it('shows one decimal', () => {
    expect(formatRateBp(8765)).toBe('87.7%');
    expect(formatRateBp(10000)).toBe('100.0%');
    expect(formatRateBp(4)).toBe('0.0%');
  });
});

describe('currentMilestone', () => {
  it('is the first milestone not done in order', () => {
    const milestones = [
      { seq: 2, name: '投标', dueDate: null, doneDate: null },
      { seq: 1, name: '招标公告', dueDate: null, doneDate: '2026-03-01' },
      { seq: 3, name: '中标', dueDate: null, doneDate: null },
    ];
    expect(currentMilestone(milestones)?.name).toBe('投标');
    expect(currentMilestone([])).toBeNull();
  });
});

describe('isOverdue', () => {
  it('needs a past due date and not done', () => {
    expect(isOverdue('2026-03-09', false, '2026-03-10')).toBe(true);
    expect(isOverdue('2026-03-10', false, '2026-03-10')).toBe(false);
    expect(isOverdue('2026-03-09', true, '2026-03-10')).toBe(false);
    expect(isOverdue(null, false, '2026-03-10')).toBe(false);
  });
});

describe('computeSubscriptionCounts', () => {
  it('counts a title once across classes', () => {
    const counts = computeSubscriptionCounts([
      { isbn: 'a', quantity: 45, shippedQuantity: 45, returnedQuantity: 2 },
      { isbn: 'a', quantity: 44, shippedQuantity: 0, returnedQuantity: 0 },
      { isbn: 'b', quantity: 45, shippedQuantity: 45, returnedQuantity: 0 },
    ]);
    expect(counts).toEqual({ orderLines: 3, titlesOrdered: 2, copiesOrdered: 134, titlesShipped: 2, copiesShipped: 90, titlesReturned: 1, copiesReturned: 2, copiesAwaitingShipment: 44 });
  });
});

describe('formatTerm', () => {
  it('names the term in Chinese', () => {
    expect(formatTerm('2026-spring')).toBe('2026年春季学期');
  });
});
