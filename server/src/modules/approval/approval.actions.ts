import type { z } from 'zod';
import type {
  addApproverRequestSchema,
  approveRequestSchema,
  rejectRequestSchema,
  sendBackRequestSchema,
  transferRequestSchema,
  withdrawRequestSchema,
} from '@shared/api/approval.js';
import { canAddApprover, canSendBack, canTransfer, canWithdraw, isStepComplete, taskStatusSchema } from '@shared/approval-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbTransaction } from '../../db/database.js';
import { AppError, badRequest, conflict, notFound } from '../../http/app-error.js';
import * as repository from './approval.repository.js';
import {
  activateNextStep,
  cancelOpenTasks,
  claimTransition,
  closeTask,
  completeApproval,
  createTask,
  currentStepTasks,
  loadInstanceState,
  recordAction,
  stepKey,
  subjectHandlerOf,
  templateNameOf,
  toRuleInstance,
  type InstanceState,
} from './approval.engine.js';
import { assertApprovalVisible, assertExpectedVersion, openTaskOrThrow } from './approval.access.js';
import { queueDecisionNotice } from './approval.notices.js';

/** Loads the instance inside the transition's transaction and checks visibility and the expected version. */
async function beginTransition(trx: DbTransaction, actor: Actor, approvalId: number, expectedVersion: number | undefined): Promise<InstanceState> {
  const state = await loadInstanceState(trx, approvalId);
  if (!state) throw notFound('审批');
  await assertApprovalVisible(trx, actor, state);
  assertExpectedVersion(state, expectedVersion);
  return state;
}

function currentStepIndexOf(state: InstanceState): number {
  const index = state.instance.current_step_index;
  if (index === null) throw new Error(`approval ${state.instance.id} is pending without a current step`);
  return index;
}

/**
 * 同意: closes the actor's task. When that completes the step (会签: all approved, 或签: this one), the
 * other open tasks of the step are cancelled and the next applicable step is activated. After the last
 * step the approval completes and the subject module applies it.
 */
export async function approveApproval(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof approveRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await beginTransition(trx, actor, approvalId, input.version);
    const task = openTaskOrThrow(state, actor, '同意');
    const stepIndex = currentStepIndexOf(state);
    const comment = input.comment || null;

    await claimTransition(trx, state, now);
    await closeTask(trx, state, task.id, 'approved', comment, now);
    await recordAction(trx, state, { action: 'approve', actorId: actor.id, stepIndex, taskId: task.id, comment, now });

    const mode = state.definition.steps[stepIndex]?.mode ?? 'any';
    const stepTasks = currentStepTasks(state, stepIndex).map((candidate) => ({ status: taskStatusSchema.parse(candidate.status) }));
    if (!isStepComplete(mode, stepTasks)) return;

    await cancelOpenTasks(trx, state, now, stepIndex);
    await repository.updateStep(trx, stepKey(state, stepIndex), { status: 'approved', completed_at: now.toISOString() });
    markStep(state, stepIndex, 'approved');

    const next = await activateNextStep(trx, state, stepIndex + 1, now);
    if (next === null) {
      await completeApproval(trx, state, { id: actor.id, name: actor.name }, comment, now);
      return;
    }
    await repository.updateInstance(trx, state.instance.id, { current_step_index: next });
  });
}

/** 驳回: ends the approval as rejected, back to the submitter, who may change the subject and resubmit. */
export async function rejectApproval(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof rejectRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await beginTransition(trx, actor, approvalId, input.version);
    const task = openTaskOrThrow(state, actor, '驳回');
    const stepIndex = currentStepIndexOf(state);

    await claimTransition(trx, state, now);
    await closeTask(trx, state, task.id, 'rejected', input.comment, now);
    await cancelOpenTasks(trx, state, now);
    await repository.updateStep(trx, stepKey(state, stepIndex), { status: 'cancelled', completed_at: now.toISOString() });
    await repository.updateInstance(trx, state.instance.id, { status: 'rejected', decided_at: now.toISOString(), current_step_index: null });
    state.instance.status = 'rejected';
    await recordAction(trx, state, { action: 'reject', actorId: actor.id, stepIndex, taskId: task.id, comment: input.comment, now });

    await subjectHandlerOf(state).onRejected(trx, { subjectId: state.instance.subject_id, approvalId, actorUserId: actor.id, now });
    await queueDecisionNotice(trx, {
      approvalId,
      round: state.instance.round,
      submitterId: state.instance.submitter_id,
      templateName: templateNameOf(state),
      subject: state.subject,
      outcome: 'rejected',
      actorName: actor.name,
      comment: input.comment,
      now,
    });
  });
}

/** 退回: sends the approval back to an earlier step of this round, whose approvers decide again. */
export async function sendBackApproval(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof sendBackRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await beginTransition(trx, actor, approvalId, input.version);
    const task = openTaskOrThrow(state, actor, '退回');
    const stepIndex = currentStepIndexOf(state);
    if (!canSendBack(toRuleInstance(state), actor.id, input.toStepIndex)) {
      throw badRequest('invalid_send_back_target', '只能退回到本轮已经审批通过的前面步骤，请重新选择退回的步骤');
    }
    const target = state.steps.find((step) => step.step_index === input.toStepIndex)!;

    await claimTransition(trx, state, now);
    await closeTask(trx, state, task.id, 'sent_back', input.comment, now);
    await cancelOpenTasks(trx, state, now, stepIndex);
    for (const step of state.steps) {
      if (step.step_index < input.toStepIndex || step.step_index > stepIndex || step.status === 'skipped') continue;
      await repository.updateStep(trx, stepKey(state, step.step_index), { status: 'waiting', completed_at: null });
      step.status = 'waiting';
    }
    await recordAction(trx, state, { action: 'send_back', actorId: actor.id, stepIndex, taskId: task.id, comment: input.comment, detail: `退回到「${target.name}」`, now });

    const activated = await activateNextStep(trx, state, input.toStepIndex, now);
    await repository.updateInstance(trx, state.instance.id, { current_step_index: activated });
  });
}

/** 转交: hands the actor's open task to another active user, who gets their own notice. */
export async function transferTask(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof transferRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await beginTransition(trx, actor, approvalId, input.version);
    const task = openTaskOrThrow(state, actor, '转交');
    const target = await activeUserOrThrow(trx, input.toUserId, '转交对象');
    if (!canTransfer(toRuleInstance(state), actor.id, target.id)) {
      throw badRequest('invalid_transfer_target', `不能转交给${target.name}：不能转交给自己、提交人或这一步已有待办的审批人，请选择其他人`);
    }
    const comment = input.comment || null;

    await claimTransition(trx, state, now);
    await closeTask(trx, state, task.id, 'transferred', comment, now);
    await createTask(trx, state, { stepIndex: task.stepIndex, assigneeId: target.id, origin: 'transfer', sourceTaskId: task.id, reason: `${actor.name}将此审批转交给您`, now });
    await recordAction(trx, state, { action: 'transfer', actorId: actor.id, stepIndex: task.stepIndex, taskId: task.id, comment, detail: `转交给${target.name}`, now });
  });
}

/** 加签: adds another approver to the current step; in a 会签 step they must approve too. */
export async function addApprover(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof addApproverRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await beginTransition(trx, actor, approvalId, input.version);
    const task = openTaskOrThrow(state, actor, '加签');
    const newApprover = await activeUserOrThrow(trx, input.userId, '加签人');
    if (!canAddApprover(toRuleInstance(state), actor.id, newApprover.id)) {
      throw badRequest('invalid_add_approver', `不能加签${newApprover.name}：提交人和这一步已有待办的审批人不能再加签，请选择其他人`);
    }
    const comment = input.comment || null;

    await claimTransition(trx, state, now);
    await createTask(trx, state, { stepIndex: task.stepIndex, assigneeId: newApprover.id, origin: 'add_approver', sourceTaskId: task.id, reason: `${actor.name}邀请您加签`, now });
    await recordAction(trx, state, { action: 'add_approver', actorId: actor.id, stepIndex: task.stepIndex, taskId: task.id, comment, detail: `加签${newApprover.name}`, now });
  });
}

/** 撤回: the submitter takes the request back before the final decision; open tasks are cancelled. */
export async function withdrawApproval(db: Db, actor: Actor, approvalId: number, input: z.infer<typeof withdrawRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const state = await beginTransition(trx, actor, approvalId, input.version);
    if (!canWithdraw(toRuleInstance(state), actor.id)) {
      if (state.instance.submitter_id !== actor.id) throw new AppError(403, 'not_submitter', '只有提交人可以撤回审批');
      throw conflict('approval_closed', '该审批已经结束，无法撤回');
    }
    const stepIndex = state.instance.current_step_index;

    await claimTransition(trx, state, now);
    await cancelOpenTasks(trx, state, now);
    if (stepIndex !== null) await repository.updateStep(trx, stepKey(state, stepIndex), { status: 'cancelled', completed_at: now.toISOString() });
    await repository.updateInstance(trx, state.instance.id, { status: 'withdrawn', current_step_index: null });
    state.instance.status = 'withdrawn';
    await recordAction(trx, state, { action: 'withdraw', actorId: actor.id, stepIndex, comment: input.comment || null, now });

    await subjectHandlerOf(state).onWithdrawn(trx, { subjectId: state.instance.subject_id, approvalId, actorUserId: actor.id, now });
  });
}

async function activeUserOrThrow(trx: DbTransaction, userId: number, label: string) {
  const user = await repository.findActiveUser(trx, userId);
  if (!user) throw badRequest('user_not_active', `${label}不存在或已离职，请重新选择`);
  return user;
}

function markStep(state: InstanceState, stepIndex: number, status: string): void {
  const step = state.steps.find((candidate) => candidate.step_index === stepIndex);
  if (step) step.status = status;
}
