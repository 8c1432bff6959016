import { describe, expect, it } from 'vitest';
import { milestoneLine } from './project-format';

describe('milestoneLine', () => {
  it('names the current milestone and its date', () => {
    expect(milestoneLine({ id: 1, name: '投标', dueDate: '2026-03-20', overdue: false })).toBe('当前：投标 · 3月20日到期');
    expect(milestoneLine({ id: 1, name: '投标', dueDate: '2026-03-05', overdue: true })).toBe('当前：投标 · 已逾期（3月5日）');
    expect(milestoneLine(null)).toBe('全部里程碑已完成');
  });
});
