import { approvalStatusLabels, findOpenTaskOf, taskStatusLabels, taskStatusSchema } from '@shared/approval-rules.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../http/app-error.js';
import * as repository from './approval.repository.js';
import { toRuleInstance, type InstanceState } from './approval.engine.js';

/**
 * Checks who may see an approval: its submitter, anyone who ever held one of its tasks, executives and admins,
 * and managers whose data scope covers the submitter. Everyone else gets "not found".
 */
export async function isApprovalVisible(db: DbExecutor, actor: Actor, instance: { id: number; submitter_id: number }): Promise<boolean> {
  if (instance.submitter_id === actor.id) return true;
  if (hasRole(actor, 'executive', 'admin')) return true;
  if (await repository.hasEverBeenAssigned(db, instance.id, actor.id)) return true;

  const scope = await resolveScope(db, actor, 'business');
  return isInScope(scope, instance.submitter_id);
}

export async function assertApprovalVisible(db: DbExecutor, actor: Actor, state: InstanceState): Promise<void> {
  if (!(await isApprovalVisible(db, actor, state.instance))) throw notFound('审批');
}

/** Checks the version the user saw, when the client sent one. */
export function assertExpectedVersion(state: InstanceState, expected: number | undefined): void {
  if (expected !== undefined && expected !== state.instance.version) {
    throw conflict('approval_changed', '这条审批在您查看之后已有变化，请刷新页面查看最新状态后再操作');
  }
}

/**
 * Returns the open task through which the actor decides, or throws the clearest refusal: the approval is over (409),
 * the actor's task was closed by someone else meanwhile (409), or the actor is not an approver of the
 * current step (403).
 */
export function openTaskOrThrow(state: InstanceState, actor: Actor, actionLabel: string) {
  const rule = toRuleInstance(state);
  const open = findOpenTaskOf(rule, actor.id);
  if (open) return open;

  if (rule.status !== 'pending') {
    throw conflict('approval_closed', `该审批${approvalStatusLabels[rule.status]}，无法再${actionLabel}`);
  }
  // A task of this round closed meanwhile: another approver of an 或签 step decided first, or the step
  // moved on. That is a race the user lost, so it is a conflict rather than a permission problem.
  const closedMine = state.tasks.filter((task) => task.assignee_id === actor.id).at(-1);
  if (closedMine) {
    const decider = state.tasks.find((task) => task.step_index === closedMine.step_index && task.id !== closedMine.id && task.status === 'approved');
    const who = decider ? `，该步骤已由${decider.assignee_name}处理` : '';
    throw conflict('approval_task_closed', `您的审批任务${taskStatusLabels[taskStatusSchema.parse(closedMine.status)]}${who}，无需再${actionLabel}。请刷新页面查看最新状态`);
  }
  throw new AppError(403, 'not_current_approver', `您不是当前步骤的审批人，无法${actionLabel}`);
}
