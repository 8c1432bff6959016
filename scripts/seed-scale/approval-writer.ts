import type SQLite from 'better-sqlite3';
import { templateDefinitionSchema, type ApprovalSubject, type TemplateDefinition } from '../../shared/src/api/approval.js';
import { isConditionMet } from '../../server/src/modules/approval/approval.rules.js';
import { canonicalJson, sha256Hex } from '../../server/src/lib/hash.js';

/**
 * Writes approval instances the way the approval engine leaves them. That is the template snapshot, one
 * step row per template step (skipped when its condition is false), the approvers' tasks, the history,
 * and the audit-chain row the engine appends for each history entry. The dataset's decided approvals
 * and the open ones the approve benchmark consumes both come from here.
 */

export interface RowSink {
  insert(table: string, row: Record<string, unknown>): void;
  nextId(table: string): number;
}

export interface ApprovalTemplateRow {
  id: number;
  code: string;
  version: number;
  definition: TemplateDefinition;
  snapshot: string;
}

/** Resolves approver rules as the engine would, from the org the generator wrote. */
export interface ApproverDirectory {
  leaderOf(submitterId: number): number;
  usersWithRole(role: string, leadersOnly: boolean): number[];
  leadersOfDepartmentsNamed(names: string[]): number[];
  admins(): number[];
}

export function loadApprovalTemplates(sqlite: SQLite.Database): Map<string, ApprovalTemplateRow> {
  const rows = sqlite.prepare('select id, code, version, definition from approval_template').all() as { id: number; code: string; version: number; definition: string }[];
  return new Map(
    rows.map((row) => {
      const definition = templateDefinitionSchema.parse(JSON.parse(row.definition));
      return [row.code, { id: row.id, code: row.code, version: row.version, definition, snapshot: JSON.stringify(definition) }];
    }),
  );
}

/** The audit chain head, kept in memory while rows are appended in id order. */
export class AuditChain {
  private prevHash: string;

  constructor(
    private readonly sink: RowSink,
    lastHash: string | null,
  ) {
    this.prevHash = lastHash ?? '0'.repeat(64);
  }

  append(entry: { actorUserId: number | null; action: string; entityType: string; entityId: number; data: Record<string, unknown>; occurredAt: string }): void {
    const row = {
      occurred_at: entry.occurredAt,
      actor_user_id: entry.actorUserId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: String(entry.entityId),
      data: canonicalJson(entry.data),
    };
    const hash = sha256Hex(canonicalJson({ prevHash: this.prevHash, ...row }));
    this.sink.insert('audit_log', { id: this.sink.nextId('audit_log'), ...row, prev_hash: this.prevHash, hash });
    this.prevHash = hash;
  }
}

export interface ApprovalInput {
  template: ApprovalTemplateRow;
  subjectType: string;
  subjectId: number;
  submitterId: number;
  subject: ApprovalSubject;
  contentHash: string;
  /** Instants of submission and of each applicable step's decision, in order; fewer decisions than steps leaves the approval open at the next step. */
  submittedAt: string;
  decisionTimes: string[];
}

/** Writes one approval; returns its id, version and the open task (when the approval is still pending). */
export function writeApproval(sink: RowSink, audit: AuditChain, directory: ApproverDirectory, input: ApprovalInput): { approvalId: number; version: number; openTaskId: number | null; openAssigneeId: number | null; decidedAt: string | null } {
  const approvalId = sink.nextId('approval_instance');
  const steps = input.template.definition.steps;
  const applies = steps.map((step) => isConditionMet(step.condition, input.subject));
  const applicableCount = applies.filter(Boolean).length;
  const decided = input.decisionTimes.length >= applicableCount;
  const decidedAt = decided ? (input.decisionTimes[applicableCount - 1] ?? input.submittedAt) : null;
  let history = 0;
  const historyEntry = (action: string, stepIndex: number | null, taskId: number | null, actorId: number | null, at: string, detail: string | null) => {
    sink.insert('approval_history', {
      id: sink.nextId('approval_history'),
      instance_id: approvalId,
      round: 1,
      step_index: stepIndex,
      task_id: taskId,
      actor_id: actorId,
      action,
      comment: null,
      detail,
      content_hash: input.contentHash,
      created_at: at,
    });
    audit.append({
      actorUserId: actorId,
      action: `approval.${action}`,
      entityType: 'approval',
      entityId: approvalId,
      data: {
        templateCode: input.template.code,
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        round: 1,
        stepIndex,
        taskId,
        comment: null,
        detail,
        contentHash: input.contentHash,
        status: action === 'complete' ? 'approved' : 'pending',
      },
      occurredAt: at,
    });
    history += 1;
  };

  // Approvals of one instance advance its version once per transition: submit (1), each decision (+1).
  const transitions = Math.min(input.decisionTimes.length, applicableCount);
  const version = 1 + transitions;
  let currentStepIndex: number | null = null;
  let decisionIndex = 0;
  const stepRows: Record<string, unknown>[] = [];
  const taskRows: { row: Record<string, unknown>; history: [string, number, number, number, string] | null }[] = [];

  for (const [index, step] of steps.entries()) {
    if (!applies[index]) {
      stepRows.push(stepRow(approvalId, index, step.key, step.name, step.mode, 'skipped', '不满足条件，已跳过', 0, null, null));
      continue;
    }
    const activatedAt = decisionIndex === 0 ? input.submittedAt : input.decisionTimes[decisionIndex - 1]!;
    const decisionAt = input.decisionTimes[decisionIndex];
    const approvers = resolve(directory, step.approver, input.submitterId);
    if (decisionAt === undefined) {
      if (currentStepIndex === null && decisionIndex === transitions) {
        currentStepIndex = index;
        stepRows.push(stepRow(approvalId, index, step.key, step.name, step.mode, 'active', null, 1, activatedAt, null));
        for (const approver of approvers) taskRows.push({ row: taskRow(sink, approvalId, index, approver, 'pending', activatedAt, null), history: null });
      } else {
        stepRows.push(stepRow(approvalId, index, step.key, step.name, step.mode, 'waiting', null, 0, null, null));
      }
      decisionIndex += 1;
      continue;
    }
    stepRows.push(stepRow(approvalId, index, step.key, step.name, step.mode, 'approved', null, 1, activatedAt, decisionAt));
    for (const [seat, approver] of approvers.entries()) {
      // In an 或签 step the first approver decides and the other tasks are cancelled.
      const status = seat === 0 || step.mode === 'all' ? 'approved' : 'cancelled';
      const row = taskRow(sink, approvalId, index, approver, status, activatedAt, decisionAt);
      taskRows.push({ row, history: status === 'approved' ? ['approve', index, row.id as number, approver, decisionAt] : null });
    }
    decisionIndex += 1;
  }

  sink.insert('approval_instance', {
    id: approvalId,
    template_id: input.template.id,
    template_code: input.template.code,
    template_version: input.template.version,
    template_snapshot: input.template.snapshot,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    submitter_id: input.submitterId,
    title: input.subject.title,
    amount_fen: input.subject.amountFen,
    has_special_discount: input.subject.hasSpecialDiscount ? 1 : 0,
    subject: JSON.stringify(input.subject),
    content_hash: input.contentHash,
    status: decided ? 'approved' : 'pending',
    round: 1,
    current_step_index: decided ? null : currentStepIndex,
    version,
    submitted_at: input.submittedAt,
    decided_at: decidedAt,
    updated_at: decidedAt ?? input.decisionTimes[transitions - 1] ?? input.submittedAt,
  });
  for (const row of stepRows) sink.insert('approval_step', { id: sink.nextId('approval_step'), ...row });

  historyEntry('submit', null, null, input.submitterId, input.submittedAt, null);
  for (const [index, step] of steps.entries()) {
    if (!applies[index]) historyEntry('step_skipped', index, null, null, input.submittedAt, `「${step.name}」不满足条件，已跳过`);
  }
  let openTaskId: number | null = null;
  let openAssigneeId: number | null = null;
  for (const task of taskRows) {
    sink.insert('approval_task', task.row);
    if (task.row.status === 'pending' && openTaskId === null) {
      openTaskId = task.row.id as number;
      openAssigneeId = task.row.assignee_id as number;
    }
    if (task.history) historyEntry(task.history[0], task.history[1], task.history[2], task.history[3], task.history[4], null);
  }
  if (decided) historyEntry('complete', null, null, null, decidedAt!, '全部审批步骤已完成');
  return { approvalId, version, openTaskId, openAssigneeId, decidedAt };
}

function stepRow(instanceId: number, index: number, key: string, name: string, mode: string, status: string, note: string | null, activation: number, activatedAt: string | null, completedAt: string | null) {
  return { instance_id: instanceId, round: 1, step_index: index, step_key: key, name, mode, status, note, activation, activated_at: activatedAt, completed_at: completedAt };
}

function taskRow(sink: RowSink, instanceId: number, index: number, assigneeId: number, status: string, createdAt: string, actedAt: string | null): Record<string, unknown> {
  return {
    id: sink.nextId('approval_task'),
    instance_id: instanceId,
    round: 1,
    step_index: index,
    activation: 1,
    assignee_id: assigneeId,
    status,
    origin: 'rule',
    source_task_id: null,
    comment: null,
    created_at: createdAt,
    acted_at: actedAt,
    last_reminded_at: null,
    reminder_count: 0,
  };
}

function resolve(directory: ApproverDirectory, rule: TemplateDefinition['steps'][number]['approver'], submitterId: number): number[] {
  let found: number[];
  switch (rule.kind) {
    case 'submitter_leader':
      found = [directory.leaderOf(submitterId)];
      break;
    case 'role':
      found = directory.usersWithRole(rule.role, rule.leadersOnly);
      break;
    case 'department_leaders':
      found = directory.leadersOfDepartmentsNamed(rule.departmentNames);
      break;
    case 'users':
      found = rule.userIds;
      break;
  }
  found = found.filter((id) => id !== submitterId);
  return found.length > 0 ? found : directory.admins();
}
