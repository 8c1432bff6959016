import { describe, expect, it } from 'vitest';
import { monthBuckets, resolveKpiPeriod, startOfLocalDay, trailingMonths } from './kpi.period.js';

describe('startOfLocalDay', () => {
  it('is 16:00 UTC of the previous day in Shanghai', () => {
    expect(startOfLocalDay('2026-03-01', 'Asia/Shanghai')).toBe('2026-02-28T16:00:00.000Z');
  });

  it('follows daylight saving time elsewhere', () => {
    expect(startOfLocalDay('2026-07-01', 'Europe/Berlin')).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfLocalDay('2026-01-01', 'Europe/Berlin')).toBe('2025-12-31T23:00:00.000Z');
  });
});

describe('monthBuckets', () => {
  it('clips the first and last month to the period', () => {
    const buckets = monthBuckets('2026-01-15', '2026-03-10', 'Asia/Shanghai');
    expect(buckets.map((bucket) => [bucket.month, bucket.fromDate, bucket.toDate])).toEqual([
      ['2026-01', '2026-01-15', '2026-01-31'],
      ['2026-02', '2026-02-01', '2026-02-28'],
      ['2026-03', '2026-03-01', '2026-03-10'],
    ]);
    expect(buckets[2]!.toInstant).toBe('2026-03-10T16:00:00.000Z');
  });
});

describe('resolveKpiPeriod', () => {
  it('resolves this quarter', () => {
    const period = resolveKpiPeriod({ preset: 'this_quarter' }, '2026-05-20', 'Asia/Shanghai');
    expect([period.from, period.to, period.label]).toEqual(['2026-04-01', '2026-06-30', '本季度']);
  });

  it('refuses a period longer than three years', () => {
    expect(() => resolveKpiPeriod({ preset: 'custom', from: '2020-01-01', to: '2026-01-01' }, '2026-05-20', 'Asia/Shanghai')).toThrow('超过 3 年');
  });
});

describe('trailingMonths', () => {
  it('ends with the current month', () => {
    const months = trailingMonths('2026-03-10', 12, 'Asia/Shanghai').map((bucket) => bucket.month);
    expect(months[0]).toBe('2025-04');
    expect(months.at(-1)).toBe('2026-03');
    expect(months).toHaveLength(12);
  });
});
