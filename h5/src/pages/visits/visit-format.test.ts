import { describe, expect, it } from 'vitest';
import { dateRange, describeCheckInPlace, formatDayLabel, formatPlanCompletion, formatVisitTime, localDateOf } from './visit-format';

// 2025-03-12 10:00 in Shanghai, a Wednesday.
const now = new Date('2025-03-12T02:00:00Z');

describe('formatVisitTime', () => {
  it('says 今天 and 昨天 in Shanghai time, whatever the phone’s zone', () => {
    expect(formatVisitTime('2025-03-12T06:32:00Z', now)).toBe('今天 14:32');
    expect(formatVisitTime('2025-03-11T16:10:00Z', now)).toBe('今天 00:10');
    expect(formatVisitTime('2025-03-11T01:05:00Z', now)).toBe('昨天 09:05');
    expect(formatVisitTime('2025-03-08T08:20:00Z', now)).toBe('03-08 16:20');
    expect(formatVisitTime('2024-12-30T08:20:00Z', now)).toBe('2024-12-30 16:20');
  });
});

describe('dateRange', () => {
  it('starts the week on Monday and knows last month', () => {
    expect(dateRange('this_week', now)).toEqual({ from: '2025-03-10', to: '2025-03-12' });
    expect(dateRange('last_7_days', now)).toEqual({ from: '2025-03-06', to: '2025-03-12' });
    expect(dateRange('this_month', now)).toEqual({ from: '2025-03-01', to: '2025-03-12' });
    expect(dateRange('last_month', now)).toEqual({ from: '2025-02-01', to: '2025-02-28' });
  });

  it('treats Sunday as the last day of the week', () => {
    expect(dateRange('this_week', new Date('2025-03-16T04:00:00Z'))).toEqual({ from: '2025-03-10', to: '2025-03-16' });
  });
});

describe('labels', () => {
  it('formats days, places and plan completion', () => {
    expect(localDateOf('2025-03-11T16:10:00Z')).toBe('2025-03-12');
    expect(formatDayLabel('2025-03-08')).toBe('3月8日 周六');
    expect(describeCheckInPlace('near', 86)).toBe('距门店 86 米');
    expect(describeCheckInPlace('device_unlocated', null)).toBe('未获取到定位');
    expect(formatPlanCompletion(4, 3)).toBe('75%');
    expect(formatPlanCompletion(0, 0)).toBe('—');
  });
});
