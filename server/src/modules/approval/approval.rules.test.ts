import { describe, expect, it } from 'vitest';
import { describeApproverRule, describeCondition, isConditionMet } from './approval.rules.js';

const subject = { amountFen: 12_000_000, hasSpecialDiscount: false, contractType: 'library_supply' as const };

describe('isConditionMet', () => {
  it('always applies a step without a condition', () => {
    expect(isConditionMet(null, subject)).toBe(true);
  });

  it('applies an amount threshold at or above the amount', () => {
    expect(isConditionMet({ kind: 'amount_at_least', amountFen: 12_000_000 }, subject)).toBe(true);
    expect(isConditionMet({ kind: 'amount_at_least', amountFen: 12_000_001 }, subject)).toBe(false);
  });

  it('applies the special-discount step only when a line is below the floor', () => {
    expect(isConditionMet({ kind: 'special_discount' }, subject)).toBe(false);
    expect(isConditionMet({ kind: 'special_discount' }, { ...subject, hasSpecialDiscount: true })).toBe(true);
  });

  it('matches contract types and skips subjects without one', () => {
    expect(isConditionMet({ kind: 'contract_type_in', contractTypes: ['library_supply', 'textbook'] }, subject)).toBe(true);
    expect(isConditionMet({ kind: 'contract_type_in', contractTypes: ['framework'] }, subject)).toBe(false);
    expect(isConditionMet({ kind: 'contract_type_in', contractTypes: ['framework'] }, { amountFen: 1, hasSpecialDiscount: false })).toBe(false);
  });
});

describe('describeCondition', () => {
  it('names the threshold in yuan', () => {
    expect(describeCondition({ kind: 'amount_at_least', amountFen: 10_000_000 })).toBe('金额 ≥ ¥100,000.00');
  });

  it('names contract types in Chinese', () => {
    expect(describeCondition({ kind: 'contract_type_in', contractTypes: ['textbook', 'framework'] })).toBe('合同类型为教材合同、框架合同');
  });
});

describe('describeApproverRule', () => {
  it('describes leader rules by level', () => {
    expect(describeApproverRule({ kind: 'submitter_leader', levelsUp: 1 })).toBe('提交人的部门负责人');
    expect(describeApproverRule({ kind: 'submitter_leader', levelsUp: 2 })).toBe('提交人向上第 2 级负责人');
  });

  it('describes roles and departments', () => {
    expect(describeApproverRule({ kind: 'role', role: 'legal', leadersOnly: false })).toBe('法务角色');
    expect(describeApproverRule({ kind: 'department_leaders', departmentNames: ['编辑部', '发行部'] })).toBe('编辑部、发行部负责人');
  });
});
