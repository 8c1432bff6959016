import { describe, expect, it } from 'vitest';
import { formatRate, formatWan, periodOptions } from './opportunity-format';

describe('formatRate', () => {
  it('shows basis points as a percentage with at most one decimal', () => {
    expect([formatRate(8333), formatRate(5000), formatRate(9996), formatRate(null)]).toEqual(['83.3%', '50%', '100%', '—']);
  });
});

describe('formatWan', () => {
  it('reads large amounts in 万 and 亿', () => {
    expect([formatWan(1_234_500), formatWan(3_560_000_00), formatWan(10_500_000_000), formatWan(9_900)]).toEqual(['¥1.23万', '¥356万', '¥1.05亿', '¥99']);
  });
});

describe('periodOptions', () => {
  it('covers the month and the quarter of the day', () => {
    const [month, quarter] = periodOptions(new Date(2028, 1, 10));
    expect(month).toMatchObject({ from: '2028-02-01', to: '2028-02-29' });
    expect(quarter).toMatchObject({ from: '2028-01-01', to: '2028-03-31' });
  });
});
