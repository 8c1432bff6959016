import { describe, expect, it } from 'vitest';
import { greetingFor, hourInTimeZone } from './greeting';

describe('greetingFor', () => {
  it.each([
    ['2025-06-03T22:30:00Z', '早上好'], // 06:30 in Shanghai
    ['2025-06-04T01:00:00Z', '上午好'], // 09:00
    ['2025-06-04T04:00:00Z', '中午好'], // 12:00
    ['2025-06-04T06:15:00Z', '下午好'], // 14:15
    ['2025-06-04T11:00:00Z', '晚上好'], // 19:00
    ['2025-06-04T17:00:00Z', '晚上好'], // 01:00 the next day
  ])('greets %s with %s', (instant, expected) => {
    expect(greetingFor(new Date(instant))).toBe(expected);
  });
});

describe('hourInTimeZone', () => {
  it('uses Shanghai time, not the machine zone', () => {
    expect(hourInTimeZone(new Date('2025-06-03T16:00:00Z'))).toBe(0);
  });
});
