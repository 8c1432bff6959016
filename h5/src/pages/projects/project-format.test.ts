import { describe, expect, it } from 'vitest';
import { milestoneLine } from './project-format';

describe('milestoneLine', () => {
  it('names the current milestone and its date', () => {
    expect(milestoneLine({ currentMilestone: { id: 1, name: '投标', dueDate: '2026-03-20', overdue: false }, milestoneCount: 7 })).toBe('当前：投标 · 3月20日到期');
    expect(milestoneLine({ currentMilestone: { id: 1, name: '投标', dueDate: '2026-03-05', overdue: true }, milestoneCount: 7 })).toBe('当前：投标 · 已逾期（3月5日）');
  });

  it('tells all done from none set', () => {
    expect(milestoneLine({ currentMilestone: null, milestoneCount: 7 })).toBe('全部里程碑已完成');
    expect(milestoneLine({ currentMilestone: null, milestoneCount: 0 })).toBe('尚未设置里程碑');
  });
});
