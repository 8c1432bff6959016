import { formatYuan } from '@shared/money.js';
import { contractTypeLabels } from '@shared/api/contract.js';
import type { ApprovalSubject, ApproverRule, StepCondition } from '@shared/api/approval.js';
import { roleLabels } from '@shared/roles.js';

/** Checks whether a step applies to the subject. A step without a condition always applies. */
export function isConditionMet(condition: StepCondition | null, subject: Pick<ApprovalSubject, 'amountFen' | 'hasSpecialDiscount' | 'contractType'>): boolean {
  if (condition === null) return true;
  switch (condition.kind) {
    case 'amount_at_least':
      return subject.amountFen >= condition.amountFen;
    case 'special_discount':
      return subject.hasSpecialDiscount;
    case 'contract_type_in':
      return subject.contractType !== undefined && condition.contractTypes.includes(subject.contractType);
  }
}

/** Describes the condition in the words of the history: "金额 ≥ ¥100,000.00". */
export function describeCondition(condition: StepCondition): string {
  switch (condition.kind) {
    case 'amount_at_least':
      return `金额 ≥ ${formatYuan(condition.amountFen)}`;
    case 'special_discount':
      return '含低于折扣底线的特价品种';
    case 'contract_type_in':
      return `合同类型为${condition.contractTypes.map((type) => contractTypeLabels[type]).join('、')}`;
  }
}

/** Describes the approver rule in words, for the history line written when it finds no approver. */
export function describeApproverRule(rule: ApproverRule): string {
  switch (rule.kind) {
    case 'role':
      return rule.leadersOnly ? `担任部门负责人的${roleLabels[rule.role]}` : `${roleLabels[rule.role]}角色`;
    case 'submitter_leader':
      return rule.levelsUp === 1 ? '提交人的部门负责人' : `提交人向上第 ${rule.levelsUp} 级负责人`;
    case 'department_leaders':
      return `${rule.departmentNames.join('、')}负责人`;
    case 'users':
      return '指定审批人';
  }
}
