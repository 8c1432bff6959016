import { describe, expect, it } from 'vitest';
import { canContributeToProject, canEditTask, canManageProject, canRecordSubscriptionReturn, canViewProject, formatProjectNumber, kindChangeBlocker, milestonesAreUntouchedDefaults } from './project.rules.js';
import { checkSubscriptionOrderRows, normalizeOrderLabel } from './subscription.import.js';

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

describe('kindChangeBlocker', () => {
  const empty = { bookListLines: 0, holdings: 0, deliveryBatches: 0, subscriptionOrders: 0 };

  it('allows a change without kind data', () => {
    expect(kindChangeBlocker('library_supply', empty)).toBeNull();
    expect(kindChangeBlocker('textbook_subscription', empty)).toBeNull();
    expect(kindChangeBlocker('other', { ...empty, subscriptionOrders: 3 })).toBeNull();
  });

  it('names the library data that blocks', () => {
    const message = kindChangeBlocker('library_supply', { ...empty, bookListLines: 12, deliveryBatches: 2 });
    expect(message).toContain('书目 12 种');
    expect(message).toContain('配送批次 2 个');
  });

  it('blocks a subscription with orders', () => {
    expect(kindChangeBlocker('textbook_subscription', { ...empty, subscriptionOrders: 5 })).toContain('5 条征订订单');
  });
});

describe('milestonesAreUntouchedDefaults', () => {
  const defaults = ['需求确认', '报价'];

  it('accepts the untouched defaults', () => {
    expect(milestonesAreUntouchedDefaults(defaults.map((name) => ({ name, dueDate: null, doneDate: null })), defaults)).toBe(true);
  });

  it('rejects scheduled, done or renamed ones', () => {
    expect(milestonesAreUntouchedDefaults([{ name: '需求确认', dueDate: '2026-04-01', doneDate: null }, { name: '报价', dueDate: null, doneDate: null }], defaults)).toBe(false);
    expect(milestonesAreUntouchedDefaults([{ name: '需求确认', dueDate: null, doneDate: '2026-03-01' }, { name: '报价', dueDate: null, doneDate: null }], defaults)).toBe(false);
    expect(milestonesAreUntouchedDefaults([{ name: '需求', dueDate: null, doneDate: null }, { name: '报价', dueDate: null, doneDate: null }], defaults)).toBe(false);
  });
});

describe('subscription order rows', () => {
  it('normalizes full-width class labels', () => {
    expect(normalizeOrderLabel(' 高一（1）班 ')).toBe('高一(1)班');
  });

  it('treats the same class in both widths as a repeat', () => {
    const { candidates, issues } = checkSubscriptionOrderRows([
      { rowNumber: 2, cells: { course: '语文', className: '高一(1)班', isbn: '9787040247657', quantity: '45' } },
      { rowNumber: 3, cells: { course: '语文', className: '高一（1）班', isbn: '978-7-04-024765-7', quantity: '2册' } },
    ]);
    expect(candidates).toHaveLength(1);
    expect(issues).toEqual([{ row: 3, column: 'ISBN', reason: expect.stringContaining('第 2 行') }]);
  });

  it('rejects quantities outside 1 to 100000', () => {
    const { issues } = checkSubscriptionOrderRows([
      { rowNumber: 2, cells: { course: '语文', className: '高一(1)班', isbn: '9787040247657', quantity: '0' } },
      { rowNumber: 3, cells: { course: '语文', className: '高一(2)班', isbn: '9787040247657', quantity: '200000' } },
    ]);
    expect(issues.map((issue) => issue.row)).toEqual([2, 3]);
  });
});
