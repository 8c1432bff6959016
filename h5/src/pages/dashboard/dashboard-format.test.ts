import { describe, expect, it } from 'vitest';
import { formatFigure, formatWan, funnelStageAt, leaderboardRowAt } from './dashboard-format';

describe('formatWan', () => {
  it('rounds to one decimal of 万元', () => {
    expect(formatWan(123_456_789)).toBe('123.5万');
    expect(formatWan(49_999)).toBe('0.0万');
    expect(formatWan(-1_050_000)).toBe('-1.1万');
  });
});

describe('formatFigure', () => {
  it('formats by unit', () => {
    expect(formatFigure('visits', 12)).toBe('12');
    expect(formatFigure('conversionRateBp', 6667)).toBe('66.7%');
    expect(formatFigure('receiptsFen', 380_000)).toBe('¥3,800.00');
    expect(formatFigure('receiptsFen', 123_456_789)).toBe('¥123.5万');
  });
});

describe('chart hit helpers', () => {
  it('maps a funnel slice to its stage without the lost stage', () => {
    const funnel = { stages: [{ stage: 'initial_contact' }, { stage: 'quoting' }, { stage: 'lost' }, { stage: 'won' }] } as never;
    expect(funnelStageAt(funnel, 2)).toBe('won');
  });

  it('maps a bottom-up bar to its leaderboard row', () => {
    const rows = [{ name: 'a' }, { name: 'b' }, { name: 'c' }] as never[];
    expect((leaderboardRowAt(rows, 0) as { name: string }).name).toBe('c');
  });
});
