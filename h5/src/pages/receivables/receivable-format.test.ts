import { describe, expect, it } from 'vitest';
import { currentMonth, fenToInput, monthLabel, overdueText, parsePositiveYuan, percentText, shiftMonth, signedYuan } from './receivable-format';

describe('receivable format', () => {
  it('labels months and moves across years', () => {
    expect(monthLabel('2026-03')).toBe('2026年3月');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
  });

  it('takes the month in Shanghai time', () => {
    expect(currentMonth(new Date('2026-02-28T16:30:00Z'))).toBe('2026-03');
  });

  it('shows overdue days only for unpaid plans', () => {
    expect(overdueText(12, 'partial')).toBe('逾期 12 天');
    expect(overdueText(0, 'open')).toBe('未到期');
    expect(overdueText(40, 'received')).toBe('已回款');
    expect(overdueText(40, 'cancelled')).toBe('已取消');
  });

  it('formats percentages and signed amounts', () => {
    expect(percentText(1234)).toBe('12.3%');
    expect(percentText(null)).toBe('—');
    expect(signedYuan(-12345)).toBe('−¥123.45');
  });

  it('parses and prints form amounts without floating point', () => {
    expect(parsePositiveYuan('1,234.5')).toBe(123_450);
    expect(parsePositiveYuan('0')).toBeUndefined();
    expect(fenToInput(123_405)).toBe('1234.05');
  });
});
