import type { ApproverRule } from '@shared/api/approval.js';
import type { DbExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { findLeaderAbove } from '../org/org.service.js';
import { listUsersWithRole } from '../org/org.repository.js';
import * as repository from './approval.repository.js';
import { describeApproverRule } from './approval.rules.js';

export interface ResolvedApprovers {
  approvers: { id: number; name: string }[];
  /** Set when the rule found nobody but the submitter, so the step went to the admins; shown in the history. */
  fallbackNote: string | null;
}

/** Users the rule names today, active only. The submitter is removed: nobody approves their own request. */
async function findApprovers(db: DbExecutor, rule: ApproverRule, submitterId: number): Promise<{ id: number; name: string }[]> {
  let found: { id: number; name: string }[];
  switch (rule.kind) {
    case 'role':
      found = rule.leadersOnly ? await repository.listDepartmentLeadersWithRole(db, rule.role) : await listUsersWithRole(db, rule.role);
      break;
    case 'submitter_leader': {
      const leader = await findLeaderAbove(db, submitterId, rule.levelsUp);
      found = leader ? [leader] : [];
      break;
    }
    case 'department_leaders':
      found = await repository.listLeadersOfDepartmentsNamed(db, rule.departmentNames);
      break;
    case 'users':
      found = await repository.listActiveUsersByIds(db, rule.userIds);
      break;
  }
  return found.filter((user) => user.id !== submitterId);
}

/**
 * Resolves a step's approvers; a rule that finds nobody falls back to the admins and says so. Throws when
 * there is no admin either, because the request could then never be decided.
 */
export async function resolveApprovers(db: DbExecutor, rule: ApproverRule, submitterId: number, stepName: string): Promise<ResolvedApprovers> {
  const approvers = await findApprovers(db, rule, submitterId);
  if (approvers.length > 0) return { approvers, fallbackNote: null };

  const admins = (await listUsersWithRole(db, 'admin')).filter((admin) => admin.id !== submitterId);
  if (admins.length === 0) {
    throw new AppError(
      409,
      'no_approver_found',
      `审批步骤「${stepName}」找不到审批人（规则：${describeApproverRule(rule)}），也没有可代为审批的系统管理员。请联系管理员调整审批模板或组织架构后再提交`,
    );
  }
  return {
    approvers: admins,
    fallbackNote: `按规则（${describeApproverRule(rule)}）未找到提交人以外的审批人，已转由系统管理员审批`,
  };
}
