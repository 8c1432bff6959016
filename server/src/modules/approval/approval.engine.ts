import { approvalSubjectSchema, templateDefinitionSchema, type ApprovalSubject, type TemplateDefinition } from '@shared/api/approval.js';
import { approvalStatusSchema, stepStatusSchema, taskStatusSchema, type RuleInstance } from '@shared/approval-rules.js';
import type { DbExecutor, DbTransaction } from '../../db/database.js';
import { conflict } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import * as repository from './approval.repository.js';
import { queueDecisionNotice, queueTaskClosedNotices, queueTaskCreatedNotices } from './approval.notices.js';
import { findApprovalSubjectHandler, type ApprovalSubjectHandler } from './approval.subjects.js';
import { resolveApprovers } from './approver-resolver.js';

type InstanceRow = NonNullable<Awaited<ReturnType<typeof repository.findInstanceById>>>;
type StepRow = Awaited<ReturnType<typeof repository.listSteps>>[number];
type TaskRow = Awaited<ReturnType<typeof repository.listTasks>>[number];

/** An instance with its current round, parsed: what every transition reads before it decides. */
export interface InstanceState {
  instance: InstanceRow;
  definition: TemplateDefinition;
  subject: ApprovalSubject;
  steps: StepRow[];
  tasks: TaskRow[];
  submitterName: string;
}

const snapshotCache = new Map<string, TemplateDefinition>();

/**
 * Parses a template snapshot. Most instances share one of a few snapshots, so parsed ones are kept (up to
 * 200, oldest dropped first) and a task list does not re-validate the same JSON once per row.
 */
export function parseTemplateSnapshot(text: string): TemplateDefinition {
  const cached = snapshotCache.get(text);
  if (cached) return cached;

  const definition = templateDefinitionSchema.parse(JSON.parse(text));
  if (snapshotCache.size >= 200) snapshotCache.delete(snapshotCache.keys().next().value!);
  snapshotCache.set(text, definition);
  return definition;
}

export async function loadInstanceState(db: DbExecutor, approvalId: number): Promise<InstanceState | undefined> {
  const instance = await repository.findInstanceById(db, approvalId);
  if (!instance) return undefined;

  const [steps, tasks, submitterName] = await Promise.all([
    repository.listSteps(db, instance.id, instance.round),
    repository.listTasks(db, instance.id, instance.round),
    repository.findUserName(db, instance.submitter_id),
  ]);
  return {
    instance,
    definition: structuredClone(parseTemplateSnapshot(instance.template_snapshot)),
    subject: approvalSubjectSchema.parse(JSON.parse(instance.subject)),
    steps,
    tasks,
    submitterName,
  };
}

/** Converts the instance to the snapshot the pure rules take. */
export function toRuleInstance(state: InstanceState): RuleInstance {
  return {
    status: approvalStatusSchema.parse(state.instance.status),
    submitterId: state.instance.submitter_id,
    currentStepIndex: state.instance.current_step_index,
    steps: state.steps.map((step) => ({ index: step.step_index, status: stepStatusSchema.parse(step.status) })),
    tasks: state.tasks.map((task) => ({ id: task.id, assigneeId: task.assignee_id, stepIndex: task.step_index, status: taskStatusSchema.parse(task.status) })),
  };
}

export function templateNameOf(state: Pick<InstanceState, 'definition'>): string {
  return state.definition.name;
}

/**
 * Takes the instance's optimistic lock: bumps the version if it is still the one this transition read.
 * Every transition calls it before writing anything else, so of two concurrent actions exactly one
 * proceeds and the other gets a 409 (its transaction is rolled back).
 */
export async function claimTransition(trx: DbTransaction, state: InstanceState, now: Date): Promise<void> {
  const claimed = await repository.updateInstanceIfVersion(trx, state.instance.id, state.instance.version, { updated_at: now.toISOString() });
  if (!claimed) {
    throw conflict('approval_changed', '这条审批刚刚被其他人处理过，请刷新页面查看最新状态后再操作');
  }
  state.instance.version += 1;
}

/**
 * Activates the first step at or after `fromIndex` that is not skipped: resolves its approvers, creates a
 * task for each and queues one notice and one to-do per task. Returns the activated index, or null when
 * no step is left (the approval is then complete).
 */
export async function activateNextStep(trx: DbTransaction, state: InstanceState, fromIndex: number, now: Date): Promise<number | null> {
  for (const step of state.steps) {
    if (step.step_index < fromIndex || step.status === 'skipped') continue;

    const definitionStep = state.definition.steps[step.step_index];
    if (!definitionStep) throw new Error(`approval ${state.instance.id}: step ${step.step_index} missing from the template snapshot`);

    const resolved = await resolveApprovers(trx, definitionStep.approver, state.instance.submitter_id, definitionStep.name);
    const origin = resolved.fallbackNote ? 'fallback' : 'rule';
    if (resolved.fallbackNote) {
      await repository.insertHistory(trx, historyRow(state, { action: 'fallback_to_admin', stepIndex: step.step_index, detail: `「${definitionStep.name}」${resolved.fallbackNote}`, now }));
    }
    const activation = step.activation + 1;
    await repository.updateStep(trx, stepKey(state, step.step_index), { status: 'active', note: resolved.fallbackNote ?? step.note, activation, activated_at: now.toISOString(), completed_at: null });
    step.status = 'active';
    step.activation = activation;

    for (const approver of resolved.approvers) {
      await createTask(trx, state, { stepIndex: step.step_index, assigneeId: approver.id, origin, sourceTaskId: null, now });
    }
    return step.step_index;
  }
  return null;
}

/** Creates one open task and queues its notice and to-do. */
export async function createTask(
  trx: DbTransaction,
  state: InstanceState,
  input: { stepIndex: number; assigneeId: number; origin: 'rule' | 'fallback' | 'transfer' | 'add_approver' | 'reassign'; sourceTaskId: number | null; reason?: string; now: Date },
): Promise<number> {
  const taskId = await repository.insertTask(trx, {
    instance_id: state.instance.id,
    round: state.instance.round,
    step_index: input.stepIndex,
    activation: currentActivation(state, input.stepIndex),
    assignee_id: input.assigneeId,
    status: 'pending',
    origin: input.origin,
    source_task_id: input.sourceTaskId,
    comment: null,
    created_at: input.now.toISOString(),
    acted_at: null,
    last_reminded_at: null,
    reminder_count: 0,
  });
  const name = await repository.findUserName(trx, input.assigneeId);
  state.tasks.push({
    id: taskId,
    instance_id: state.instance.id,
    round: state.instance.round,
    step_index: input.stepIndex,
    activation: currentActivation(state, input.stepIndex),
    assignee_id: input.assigneeId,
    assignee_name: name,
    status: 'pending',
    origin: input.origin,
    source_task_id: input.sourceTaskId,
    comment: null,
    created_at: input.now.toISOString(),
    acted_at: null,
    last_reminded_at: null,
    reminder_count: 0,
  });

  await queueTaskCreatedNotices(trx, {
    taskId,
    approvalId: state.instance.id,
    assigneeId: input.assigneeId,
    templateName: templateNameOf(state),
    stepName: state.definition.steps[input.stepIndex]?.name ?? '',
    submitterName: state.submitterName,
    subject: state.subject,
    reason: input.reason,
    now: input.now,
  });
  return taskId;
}

/** Closes the actor's own task; a task closed meanwhile by someone else is a conflict. */
export async function closeTask(trx: DbTransaction, state: InstanceState, taskId: number, status: string, comment: string | null, now: Date): Promise<void> {
  const task = state.tasks.find((candidate) => candidate.id === taskId);
  if (!task || !(await repository.closeOpenTask(trx, taskId, { status, comment, actedAt: now }))) {
    throw conflict('approval_task_closed', '这项审批任务已被处理，请刷新页面查看最新状态');
  }
  task.status = status;
  task.comment = comment;
  task.acted_at = now.toISOString();
  await queueTaskClosedNotices(trx, { taskId, assigneeId: task.assignee_id, now });
}

/** Cancels every other open task of the round (or of one step), e.g. after an `any` step is decided. */
export async function cancelOpenTasks(trx: DbTransaction, state: InstanceState, now: Date, onlyStepIndex?: number): Promise<void> {
  for (const task of state.tasks) {
    if (task.status !== 'pending') continue;
    if (onlyStepIndex !== undefined && task.step_index !== onlyStepIndex) continue;
    await repository.closeOpenTask(trx, task.id, { status: 'cancelled', comment: null, actedAt: now });
    task.status = 'cancelled';
    await queueTaskClosedNotices(trx, { taskId: task.id, assigneeId: task.assignee_id, now });
  }
}

/** Returns the activation number of a step in the current round. */
export function currentActivation(state: InstanceState, stepIndex: number): number {
  return state.steps.find((step) => step.step_index === stepIndex)?.activation ?? 0;
}

/** Tasks that decide a step now: those of its latest activation (earlier ones predate a send-back). */
export function currentStepTasks(state: InstanceState, stepIndex: number) {
  const activation = currentActivation(state, stepIndex);
  return state.tasks.filter((task) => task.step_index === stepIndex && task.activation === activation);
}

export function stepKey(state: InstanceState, stepIndex: number) {
  return { instanceId: state.instance.id, round: state.instance.round, stepIndex };
}

export function historyRow(
  state: InstanceState,
  input: { action: string; actorId?: number | null; stepIndex?: number | null; taskId?: number | null; comment?: string | null; detail?: string | null; contentHash?: string | null; now: Date },
) {
  return {
    instance_id: state.instance.id,
    round: state.instance.round,
    step_index: input.stepIndex ?? null,
    task_id: input.taskId ?? null,
    actor_id: input.actorId ?? null,
    action: input.action,
    comment: input.comment ?? null,
    detail: input.detail ?? null,
    content_hash: input.contentHash ?? null,
    created_at: input.now.toISOString(),
  };
}

/**
 * Appends the history entry and the matching audit-chain row. The audit row carries the hash of the
 * content under approval, so an approved contract can be checked against what was approved.
 */
export async function recordAction(
  trx: DbTransaction,
  state: InstanceState,
  input: { action: string; actorId: number | null; stepIndex?: number | null; taskId?: number | null; comment?: string | null; detail?: string | null; now: Date },
): Promise<number> {
  const historyId = await repository.insertHistory(trx, historyRow(state, { ...input, contentHash: state.instance.content_hash }));
  await appendAudit(trx, {
    actorUserId: input.actorId,
    action: `approval.${input.action}`,
    entityType: 'approval',
    entityId: state.instance.id,
    data: {
      templateCode: state.instance.template_code,
      subjectType: state.instance.subject_type,
      subjectId: state.instance.subject_id,
      round: state.instance.round,
      stepIndex: input.stepIndex ?? null,
      taskId: input.taskId ?? null,
      comment: input.comment ?? null,
      detail: input.detail ?? null,
      contentHash: state.instance.content_hash,
      status: state.instance.status,
    },
    occurredAt: input.now,
  });
  return historyId;
}

/**
 * Ends the approval as approved: records it, lets the subject module apply the decision in this same
 * transaction, and queues the notice to the submitter.
 */
export async function completeApproval(trx: DbTransaction, state: InstanceState, actor: { id: number; name: string } | null, comment: string | null, now: Date): Promise<void> {
  await repository.updateInstance(trx, state.instance.id, { status: 'approved', decided_at: now.toISOString(), current_step_index: null, updated_at: now.toISOString() });
  state.instance.status = 'approved';
  state.instance.current_step_index = null;
  await recordAction(trx, state, { action: 'complete', actorId: actor?.id ?? null, detail: '全部审批步骤已完成', now });

  await subjectHandlerOf(state).onApproved(trx, { subjectId: state.instance.subject_id, approvalId: state.instance.id, actorUserId: actor?.id ?? null, now });
  await queueDecisionNotice(trx, {
    approvalId: state.instance.id,
    round: state.instance.round,
    submitterId: state.instance.submitter_id,
    templateName: templateNameOf(state),
    subject: state.subject,
    outcome: 'approved',
    actorName: actor?.name ?? '系统（无需审批的步骤已全部跳过）',
    comment,
    now,
  });
}

export function subjectHandlerOf(state: InstanceState): ApprovalSubjectHandler {
  const handler = findApprovalSubjectHandler(state.instance.subject_type);
  // A subject type without a handler is a wiring mistake: deciding without it would leave the subject stale.
  if (!handler) throw new Error(`no approval subject handler registered for '${state.instance.subject_type}'`);
  return handler;
}
