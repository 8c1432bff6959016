import {
  approvalSubjectSchema,
  templateDefinitionSchema,
  type ApprovalListItem,
  type ApprovalSubject,
  type ApprovalTemplateCode,
  type TemplateDefinition,
} from '@shared/api/approval.js';
import { Transaction } from 'kysely';
import type { DbExecutor, DbTransaction } from '../../db/database.js';
import { AppError, conflict } from '../../http/app-error.js';
import * as repository from './approval.repository.js';
import { describeCondition, isConditionMet } from './approval.rules.js';
import { activateNextStep, completeApproval, loadInstanceState, recordAction, claimTransition, type InstanceState } from './approval.engine.js';
import { toListItem } from './approval.views.js';

export { registerApprovalSubject, type ApprovalSubjectHandler, type ApprovalDecision } from './approval.subjects.js';

export interface SubmitApprovalInput {
  templateCode: ApprovalTemplateCode;
  /** The subject module's name for its records, e.g. 'contract', 'quote', 'invoice_request', 'return_order'. */
  subjectType: string;
  subjectId: number;
  submitterId: number;
  subject: ApprovalSubject;
  /** Hash of the subject's content being approved (sha256Hex of canonicalJson); recorded in the audit chain. */
  contentHash: string;
  now: Date;
}

/**
 * Starts an approval of a subject and returns the approval id. Call it inside the transaction that moves
 * the subject to its in-review state, after that move: when every step is skipped the approval completes
 * at once and the subject's onApproved handler runs before this returns.
 * If the subject's latest approval of this template was rejected or withdrawn, that approval is
 * resubmitted as a new round (its history continues) instead of a new approval being created.
 */
export async function submitApproval(db: DbExecutor, input: SubmitApprovalInput): Promise<number> {
  return inTransaction(db, async (trx) => {
    const template = await repository.findTemplateByCode(trx, input.templateCode);
    if (!template || template.active !== 1) {
      throw new AppError(409, 'approval_template_missing', `审批模板「${input.templateCode}」不存在或已停用，请联系系统管理员启用后再提交`);
    }
    const definition = templateDefinitionSchema.parse(JSON.parse(template.definition));
    const subject = approvalSubjectSchema.parse(input.subject);

    const latest = await repository.findLatestInstanceForSubject(trx, input.subjectType, input.subjectId, input.templateCode);
    if (latest?.status === 'pending') {
      throw conflict('approval_already_pending', '该单据已在审批中，请等待审批结果，或先撤回再重新提交');
    }

    const snapshot = { templateId: template.id, templateVersion: template.version, definition };
    if (latest && (latest.status === 'rejected' || latest.status === 'withdrawn')) {
      await restartRound(trx, latest.id, { ...snapshot, subject, contentHash: input.contentHash, actorId: input.submitterId, comment: null, now: input.now });
      return latest.id;
    }

    const approvalId = await repository.insertInstance(trx, {
      template_id: template.id,
      template_code: input.templateCode,
      template_version: template.version,
      template_snapshot: JSON.stringify(definition),
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      submitter_id: input.submitterId,
      title: subject.title,
      amount_fen: subject.amountFen,
      has_special_discount: subject.hasSpecialDiscount ? 1 : 0,
      subject: JSON.stringify(subject),
      content_hash: input.contentHash,
      status: 'pending',
      round: 1,
      current_step_index: null,
      version: 1,
      submitted_at: input.now.toISOString(),
      decided_at: null,
      updated_at: input.now.toISOString(),
    });
    const state = await loadStateOrThrow(trx, approvalId);
    await startRound(trx, state, 'submit', null, input.now);
    return approvalId;
  });
}

/**
 * Opens a new round on a rejected or withdrawn approval with the changed subject and a fresh snapshot of
 * the template (a resubmission is reviewed under today's rules).
 */
export async function restartRound(
  trx: DbTransaction,
  approvalId: number,
  input: { templateId: number; templateVersion: number; definition: TemplateDefinition; subject: ApprovalSubject; contentHash: string; actorId: number; comment: string | null; now: Date },
): Promise<void> {
  const state = await loadStateOrThrow(trx, approvalId);
  await claimTransition(trx, state, input.now);

  const round = state.instance.round + 1;
  await repository.updateInstance(trx, approvalId, {
    template_id: input.templateId,
    template_version: input.templateVersion,
    template_snapshot: JSON.stringify(input.definition),
    title: input.subject.title,
    amount_fen: input.subject.amountFen,
    has_special_discount: input.subject.hasSpecialDiscount ? 1 : 0,
    subject: JSON.stringify(input.subject),
    content_hash: input.contentHash,
    status: 'pending',
    round,
    current_step_index: null,
    submitted_at: input.now.toISOString(),
    decided_at: null,
    updated_at: input.now.toISOString(),
  });
  const fresh = await loadStateOrThrow(trx, approvalId);
  await startRound(trx, fresh, 'resubmit', input.comment, input.now);
}

/** Writes the round's steps (skipping those whose condition is false) and activates the first one. */
async function startRound(trx: DbTransaction, state: InstanceState, action: 'submit' | 'resubmit', comment: string | null, now: Date): Promise<void> {
  const rows = state.definition.steps.map((step, index) => {
    const applies = isConditionMet(step.condition, state.subject);
    return {
      instance_id: state.instance.id,
      round: state.instance.round,
      step_index: index,
      step_key: step.key,
      name: step.name,
      mode: step.mode,
      status: applies ? 'waiting' : 'skipped',
      note: applies || !step.condition ? null : `不满足条件（${describeCondition(step.condition)}），已跳过`,
      activation: 0,
      activated_at: null,
      completed_at: null,
    };
  });
  await repository.insertSteps(trx, rows);
  state.steps = await repository.listSteps(trx, state.instance.id, state.instance.round);

  await recordAction(trx, state, { action, actorId: state.instance.submitter_id, comment, now });
  for (const step of state.steps) {
    if (step.status === 'skipped') {
      await repository.insertHistory(trx, {
        instance_id: state.instance.id,
        round: state.instance.round,
        step_index: step.step_index,
        task_id: null,
        actor_id: null,
        action: 'step_skipped',
        comment: null,
        detail: `「${step.name}」${step.note ?? '已跳过'}`,
        content_hash: null,
        created_at: now.toISOString(),
      });
    }
  }

  const activeIndex = await activateNextStep(trx, state, 0, now);
  if (activeIndex === null) {
    await completeApproval(trx, state, null, null, now);
    return;
  }
  await repository.updateInstance(trx, state.instance.id, { current_step_index: activeIndex });
  state.instance.current_step_index = activeIndex;
}

export async function loadStateOrThrow(db: DbExecutor, approvalId: number): Promise<InstanceState> {
  const state = await loadInstanceState(db, approvalId);
  if (!state) throw new Error(`approval ${approvalId} not found`);
  return state;
}

/** Open tasks of a user for the workbench: how many, and the newest few. */
export async function listPendingTasksForUser(db: DbExecutor, userId: number, limit = 5): Promise<{ total: number; items: ApprovalListItem[] }> {
  const [total, rows] = await Promise.all([repository.countOpenTasksForUser(db, userId), repository.listOpenTasksForUser(db, userId, { limit })]);
  return { total, items: rows.map((row) => toListItem(row)) };
}

/** The latest approval of a subject (any template), for subject pages that show their approval state. */
export async function findLatestApprovalForSubject(db: DbExecutor, subjectType: string, subjectId: number, templateCode?: ApprovalTemplateCode) {
  const row = await repository.findLatestInstanceForSubject(db, subjectType, subjectId, templateCode);
  if (!row) return undefined;
  return { id: row.id, status: row.status, templateCode: row.template_code, round: row.round, contentHash: row.content_hash, decidedAt: row.decided_at };
}

/** Runs `work` in the caller's transaction, or in a new one when given a plain database handle. */
export async function inTransaction<T>(db: DbExecutor, work: (trx: DbTransaction) => Promise<T>): Promise<T> {
  if (db instanceof Transaction) return work(db);
  return db.transaction().execute(work);
}

/**
 * Whether the user is or was an approver of any approval of the subject. Subject modules use it to let
 * approvers open the subject itself (a contract's files) even when it is outside their data scope.
 */
export async function isApproverOfSubject(db: DbExecutor, subjectType: string, subjectId: number, userId: number): Promise<boolean> {
  return repository.isParticipantOfSubject(db, subjectType, subjectId, userId);
}
