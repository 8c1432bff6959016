import { describe, expect, it } from 'vitest';
import { formatApprovalTime, formatFileSize, formatWaited, shortHash } from './approval-format';

describe('formatApprovalTime', () => {
  const now = new Date('2026-03-10T06:00:00Z'); // 14:00 in Shanghai

  it('shows today with the time only', () => {
    expect(formatApprovalTime('2026-03-10T01:05:00Z', now)).toBe('今天 09:05');
  });

  it('shows month and day within the year, the full date before', () => {
    expect(formatApprovalTime('2026-03-08T08:20:00Z', now)).toBe('03-08 16:20');
    expect(formatApprovalTime('2025-12-30T01:00:00Z', now)).toBe('2025-12-30 09:00');
  });

  it('uses the Shanghai date across midnight UTC', () => {
    expect(formatApprovalTime('2026-03-09T17:30:00Z', now)).toBe('今天 01:30');
  });
});

describe('formatWaited', () => {
  const now = new Date('2026-03-10T06:00:00Z');

  it('counts hours, then days', () => {
    expect(formatWaited('2026-03-10T05:30:00Z', now)).toBe('不到 1 小时');
    expect(formatWaited('2026-03-10T01:00:00Z', now)).toBe('5 小时');
    expect(formatWaited('2026-03-06T06:00:00Z', now)).toBe('4 天');
  });
});

describe('shortHash and formatFileSize', () => {
  it('shortens a hash for comparison by eye', () => {
    expect(shortHash('0123456789abcdef'.repeat(4))).toBe('01234567…cdef');
  });

  it('formats sizes in B, KB and MB', () => {
    expect(formatFileSize(900)).toBe('900 B');
    expect(formatFileSize(204_800)).toBe('200 KB');
    expect(formatFileSize(3_250_000)).toBe('3.1 MB');
  });
});
