import { z } from 'zod';

/**
 * States and pure rules of the approval engine, shared by the server (which enforces them) and the H5
 * (which shows only the buttons they allow). No I/O: callers pass a snapshot of the instance.
 */

/** An approval instance: waiting for approvers, or decided. Rejected and withdrawn ones may be resubmitted. */
export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'withdrawn']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

export const approvalStatusLabels: Record<ApprovalStatus, string> = {
  pending: '审批中',
  approved: '已通过',
  rejected: '已驳回',
  withdrawn: '已撤回',
};

/**
 * One approver's task. `pending` is the only open state; `cancelled` covers tasks closed because another
 * approver of an `any` step decided, the instance was withdrawn, rejected or sent back; `reassigned` is a
 * task moved to a leaver's leader.
 */
export const taskStatusSchema = z.enum(['pending', 'approved', 'rejected', 'sent_back', 'transferred', 'reassigned', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskStatusLabels: Record<TaskStatus, string> = {
  pending: '待审批',
  approved: '已同意',
  rejected: '已驳回',
  sent_back: '已退回',
  transferred: '已转交',
  reassigned: '已移交',
  cancelled: '无需处理',
};

/** A step of one round: waiting for earlier steps, active, done, or skipped because its condition was false. */
export const stepStatusSchema = z.enum(['waiting', 'active', 'approved', 'skipped', 'cancelled']);
export type StepStatus = z.infer<typeof stepStatusSchema>;

/** 会签 (`all`): every approver of the step must approve. 或签 (`any`): the first approval completes the step. */
export const stepModeSchema = z.enum(['all', 'any']);
export type StepMode = z.infer<typeof stepModeSchema>;

export const stepModeLabels: Record<StepMode, string> = { all: '会签', any: '或签' };

/** What a user can do to an instance; each has a `canX` rule below. */
export const approvalActionSchema = z.enum(['approve', 'reject', 'send_back', 'transfer', 'add_approver', 'withdraw', 'resubmit', 'comment']);
export type ApprovalAction = z.infer<typeof approvalActionSchema>;

/** Entries of the append-only history: user actions plus what the engine did on its own. */
export const historyActionSchema = z.enum([
  'submit',
  'resubmit',
  'approve',
  'reject',
  'send_back',
  'transfer',
  'add_approver',
  'withdraw',
  'comment',
  'step_skipped',
  'fallback_to_admin',
  'reassign',
  'complete',
]);
export type HistoryAction = z.infer<typeof historyActionSchema>;

export const historyActionLabels: Record<HistoryAction, string> = {
  submit: '提交审批',
  resubmit: '重新提交',
  approve: '同意',
  reject: '驳回',
  send_back: '退回',
  transfer: '转交',
  add_approver: '加签',
  withdraw: '撤回',
  comment: '评论',
  step_skipped: '跳过步骤',
  fallback_to_admin: '转管理员审批',
  reassign: '离职移交',
  complete: '审批完成',
};

export interface RuleTask {
  id: number;
  assigneeId: number;
  stepIndex: number;
  status: TaskStatus;
}

export interface RuleStep {
  index: number;
  status: StepStatus;
}

/** What every rule needs to know about an instance, for the current round only. */
export interface RuleInstance {
  status: ApprovalStatus;
  submitterId: number;
  currentStepIndex: number | null;
  steps: RuleStep[];
  tasks: RuleTask[];
}

/** Finds the open task of `userId` in the current step. Only such a task lets its assignee decide. */
export function findOpenTaskOf(instance: RuleInstance, userId: number): RuleTask | undefined {
  if (instance.status !== 'pending' || instance.currentStepIndex === null) return undefined;
  return instance.tasks.find((task) => task.assigneeId === userId && task.stepIndex === instance.currentStepIndex && task.status === 'pending');
}

/** Only an approver with an open task of the current step may approve. */
export function canApprove(instance: RuleInstance, userId: number): boolean {
  return findOpenTaskOf(instance, userId) !== undefined;
}

/** Rejecting (back to the submitter) needs the same open task as approving. */
export function canReject(instance: RuleInstance, userId: number): boolean {
  return findOpenTaskOf(instance, userId) !== undefined;
}

/** Earlier steps that took part in this round (not skipped): the targets of a send-back. */
export function listSendBackTargets(instance: RuleInstance): number[] {
  if (instance.currentStepIndex === null) return [];
  const current = instance.currentStepIndex;
  return instance.steps.filter((step) => step.index < current && step.status === 'approved').map((step) => step.index);
}

/** An approver may send the instance back to an earlier step that was approved in this round. */
export function canSendBack(instance: RuleInstance, userId: number, toStepIndex: number): boolean {
  if (!findOpenTaskOf(instance, userId)) return false;
  return listSendBackTargets(instance).includes(toStepIndex);
}

/**
 * An approver may hand their open task to someone else, but not to themselves, not to the submitter (no
 * one approves their own request) and not to someone who already has an open task of the step.
 */
export function canTransfer(instance: RuleInstance, userId: number, toUserId: number): boolean {
  if (!findOpenTaskOf(instance, userId)) return false;
  if (toUserId === userId || toUserId === instance.submitterId) return false;
  return !hasOpenTaskInCurrentStep(instance, toUserId);
}

/** An approver may add another approver to the current step, under the same limits as a transfer. */
export function canAddApprover(instance: RuleInstance, userId: number, newApproverId: number): boolean {
  if (!findOpenTaskOf(instance, userId)) return false;
  if (newApproverId === instance.submitterId) return false;
  return !hasOpenTaskInCurrentStep(instance, newApproverId);
}

/** The submitter may withdraw while no final decision has been made. */
export function canWithdraw(instance: RuleInstance, userId: number): boolean {
  return instance.status === 'pending' && instance.submitterId === userId;
}

/** The submitter may resubmit after a rejection or a withdrawal, once the subject has been changed. */
export function canResubmit(instance: RuleInstance, userId: number): boolean {
  return (instance.status === 'rejected' || instance.status === 'withdrawn') && instance.submitterId === userId;
}

/** Comments are open to everyone who may see the instance, in every state: the caller checks visibility. */
export function canComment(isVisible: boolean): boolean {
  return isVisible;
}

/** Checks whether the current step is complete once `tasks` (the step's tasks of this round) are as given. */
export function isStepComplete(mode: StepMode, tasks: readonly Pick<RuleTask, 'status'>[]): boolean {
  const deciding = tasks.filter((task) => task.status === 'pending' || task.status === 'approved');
  if (mode === 'any') return deciding.some((task) => task.status === 'approved');
  return deciding.length > 0 && deciding.every((task) => task.status === 'approved');
}

function hasOpenTaskInCurrentStep(instance: RuleInstance, userId: number): boolean {
  return instance.tasks.some((task) => task.assigneeId === userId && task.stepIndex === instance.currentStepIndex && task.status === 'pending');
}

/** Lists the actions the user may take now, for the buttons of the approval page. Comment depends on visibility only. */
export function listAvailableActions(instance: RuleInstance, userId: number): ApprovalAction[] {
  const actions: ApprovalAction[] = [];
  if (canApprove(instance, userId)) actions.push('approve', 'reject', 'transfer', 'add_approver');
  if (findOpenTaskOf(instance, userId) && listSendBackTargets(instance).length > 0) actions.push('send_back');
  if (canWithdraw(instance, userId)) actions.push('withdraw');
  if (canResubmit(instance, userId)) actions.push('resubmit');
  actions.push('comment');
  return actions;
}
