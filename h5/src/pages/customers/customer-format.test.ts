import { describe, expect, it } from 'vitest';
import { daysSince, telLink } from './customer-format';

describe('daysSince', () => {
  it('counts calendar days and answers null for never', () => {
    const now = new Date(2025, 2, 10, 9, 0);
    expect(daysSince(new Date(2025, 2, 9, 23, 0).toISOString(), now)).toBe(1);
    expect(daysSince(new Date(2025, 2, 10, 1, 0).toISOString(), now)).toBe(0);
    expect(daysSince(null, now)).toBeNull();
  });
});

describe('telLink', () => {
  it('strips spaces and dashes', () => {
    expect(telLink('025-8324 1234')).toBe('tel:02583241234');
  });
});
