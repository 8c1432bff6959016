import {
  approvalTemplateCodeSchema,
  type ApprovalDetail,
  type ApprovalListItem,
} from '@shared/api/approval.js';
import {
  approvalStatusSchema,
  historyActionSchema,
  listAvailableActions,
  listSendBackTargets,
  stepModeSchema,
  stepStatusSchema,
  taskStatusSchema,
} from '@shared/approval-rules.js';
import type { DbExecutor } from '../../db/database.js';
import * as repository from './approval.repository.js';
import { parseTemplateSnapshot, toRuleInstance, type InstanceState } from './approval.engine.js';

type ListRow = Awaited<ReturnType<typeof repository.listSubmittedInstances>>[number] & {
  task_id?: number;
  task_status?: string;
  task_created_at?: string;
  task_acted_at?: string | null;
};

/** One row of the 待我审批 / 我发起的 / 已处理 lists. */
export function toListItem(row: ListRow): ApprovalListItem {
  const definition = parseTemplateSnapshot(row.template_snapshot);
  const currentStep = row.current_step_index === null ? undefined : definition.steps[row.current_step_index];
  let at = row.updated_at;
  if (row.task_id !== undefined && row.task_status === 'pending') at = row.task_created_at ?? at;
  else if (row.task_id !== undefined) at = row.task_acted_at ?? at;
  return {
    approvalId: row.approval_id,
    taskId: row.task_id ?? null,
    templateCode: approvalTemplateCodeSchema.parse(row.template_code),
    templateName: definition.name,
    title: row.title,
    amountFen: row.amount_fen,
    hasSpecialDiscount: row.has_special_discount === 1,
    status: approvalStatusSchema.parse(row.status),
    taskStatus: row.task_status === undefined ? null : taskStatusSchema.parse(row.task_status),
    submitter: { id: row.submitter_id, name: row.submitter_name },
    currentStepName: currentStep?.name ?? null,
    submittedAt: row.submitted_at,
    at,
    cursor: row.task_id ?? row.approval_id,
  };
}

/** Builds the approval page: subject snapshot, steps with their approvers, full history and the viewer's actions. */
export async function toApprovalDetail(db: DbExecutor, state: InstanceState, viewerId: number): Promise<ApprovalDetail> {
  const history = await repository.listHistory(db, state.instance.id);
  const rule = toRuleInstance(state);
  const stepNames = new Map(state.steps.map((step) => [step.step_index, step.name]));

  return {
    id: state.instance.id,
    templateCode: approvalTemplateCodeSchema.parse(state.instance.template_code),
    templateName: state.definition.name,
    templateVersion: state.instance.template_version,
    subjectType: state.instance.subject_type,
    subjectId: state.instance.subject_id,
    subject: state.subject,
    contentHash: state.instance.content_hash,
    status: approvalStatusSchema.parse(state.instance.status),
    round: state.instance.round,
    version: state.instance.version,
    submitter: { id: state.instance.submitter_id, name: state.submitterName },
    submittedAt: state.instance.submitted_at,
    decidedAt: state.instance.decided_at,
    currentStepIndex: state.instance.current_step_index,
    steps: state.steps.map((step) => ({
      index: step.step_index,
      key: step.step_key,
      name: step.name,
      mode: stepModeSchema.parse(step.mode),
      status: stepStatusSchema.parse(step.status),
      note: step.note,
      tasks: state.tasks
        .filter((task) => task.step_index === step.step_index)
        .map((task) => ({
          id: task.id,
          assignee: { id: task.assignee_id, name: task.assignee_name },
          status: taskStatusSchema.parse(task.status),
          comment: task.comment,
          createdAt: task.created_at,
          actedAt: task.acted_at,
        })),
    })),
    history: history.map((entry) => ({
      id: entry.id,
      round: entry.round,
      action: historyActionSchema.parse(entry.action),
      actor: entry.actor_id === null ? null : { id: entry.actor_id, name: entry.actor_name ?? '' },
      comment: entry.comment,
      detail: entry.detail,
      contentHash: entry.content_hash,
      createdAt: entry.created_at,
    })),
    availableActions: listAvailableActions(rule, viewerId),
    sendBackTargets: listSendBackTargets(rule).map((index) => ({ index, name: stepNames.get(index) ?? '' })),
  };
}
