import { describe, expect, it } from 'vitest';
import { canContributeToProject, canEditTask, canManageProject, canRecordSubscriptionReturn, canViewProject, formatProjectNumber } from './project.rules.js';

const outsider = { ownerInScope: false, isMember: false };
const member = { ownerInScope: false, isMember: true };
const manager = { ownerInScope: true, isMember: false };

describe('project access rules', () => {
  it('lets members and the owner scope view', () => {
    expect(canViewProject(outsider)).toBe(false);
    expect(canViewProject(member)).toBe(true);
    expect(canViewProject(manager)).toBe(true);
  });

  it('lets only the owner scope manage', () => {
    expect(canManageProject(member)).toBe(false);
    expect(canManageProject(manager)).toBe(true);
  });

  it('lets members contribute', () => {
    expect(canContributeToProject(member)).toBe(true);
    expect(canContributeToProject(outsider)).toBe(false);
  });

  it('lets the assignee or creator edit a task', () => {
    expect(canEditTask(member, { assigneeId: 7, createdBy: 1 }, 7)).toBe(true);
    expect(canEditTask(member, { assigneeId: 2, createdBy: 7 }, 7)).toBe(true);
    expect(canEditTask(member, { assigneeId: 2, createdBy: 1 }, 7)).toBe(false);
    expect(canEditTask(manager, { assigneeId: 2, createdBy: 1 }, 7)).toBe(true);
  });
});

describe('canRecordSubscriptionReturn', () => {
  it('accepts returns from term start on', () => {
    expect(canRecordSubscriptionReturn('2026-09-01', '2026-08-31')).toBe(false);
    expect(canRecordSubscriptionReturn('2026-09-01', '2026-09-01')).toBe(true);
  });
});

describe('formatProjectNumber', () => {
  it('pads the sequence to four digits', () => {
    expect(formatProjectNumber(2026, 7)).toBe('XM-2026-0007');
    expect(formatProjectNumber(2026, 12345)).toBe('XM-2026-12345');
  });
});
