import type { ApprovalSubject } from '@shared/api/approval.js';
import { formatYuan } from '@shared/money.js';
import type { DbExecutor } from '../../db/database.js';
import { queueNotice, queueTodo, queueTodoCompletion } from '../notification/notification.service.js';

let publicUrl = '';

/** Sets the address users open (config.PUBLIC_URL); links in notices are built from it. */
export function configureApprovalLinks(url: string): void {
  publicUrl = url.replace(/\/+$/, '');
}

/** An absolute link to an H5 page. The H5 routes by hash, so the in-app path follows '#'. */
export function inAppUrl(path: string): string {
  return `${publicUrl}/#${path}`;
}

export function approvalPageUrl(approvalId: number): string {
  return inAppUrl(`/approvals/${approvalId}`);
}

export function taskTodoSourceId(taskId: number): string {
  return `approval-task-${taskId}`;
}

export interface TaskNoticeInput {
  taskId: number;
  approvalId: number;
  assigneeId: number;
  templateName: string;
  stepName: string;
  submitterName: string;
  subject: ApprovalSubject;
  /** Why this approver got the task when it is not the normal flow, e.g. '王磊转交'. */
  reason?: string;
  now: Date;
}

/**
 * Queues the work notification (DingTalk action card / WeCom card) and the DingTalk to-do of a new task.
 * The dedup key makes this at most one notice per task, even if a transition is retried.
 */
export async function queueTaskCreatedNotices(db: DbExecutor, input: TaskNoticeInput): Promise<void> {
  const fields = [
    ...input.subject.summaryFields.slice(0, 6),
    { label: '提交人', value: input.submitterName },
    { label: '审批步骤', value: input.stepName },
  ];
  if (!input.subject.summaryFields.some((field) => field.label.includes('金额'))) {
    fields.splice(0, 0, { label: '金额', value: formatYuan(input.subject.amountFen) });
  }
  const url = approvalPageUrl(input.approvalId);

  await queueNotice(db, {
    dedupKey: `approval-task:${input.taskId}:created`,
    recipientUserId: input.assigneeId,
    content: {
      title: `待您审批：${input.templateName}`,
      fields,
      text: [input.subject.title, input.subject.hasSpecialDiscount ? '含特价品种' : '', input.reason ?? ''].filter(Boolean).join('\n\n'),
      url,
      buttonText: '去审批',
    },
    now: input.now,
  });
  await queueTodo(db, {
    sourceId: taskTodoSourceId(input.taskId),
    recipientUserId: input.assigneeId,
    todo: {
      subject: `审批：${input.subject.title}`,
      description: `${input.templateName} · ${input.stepName} · 提交人 ${input.submitterName}`,
      url,
      dueAt: null,
    },
    now: input.now,
  });
}

/** Completes the DingTalk to-do of a task that is no longer open, whoever closed it. */
export async function queueTaskClosedNotices(db: DbExecutor, input: { taskId: number; assigneeId: number; now: Date }): Promise<void> {
  await queueTodoCompletion(db, { sourceId: taskTodoSourceId(input.taskId), recipientUserId: input.assigneeId, now: input.now });
}

/** Tells the submitter the final decision (approved or rejected). */
export async function queueDecisionNotice(
  db: DbExecutor,
  input: { approvalId: number; round: number; submitterId: number; templateName: string; subject: ApprovalSubject; outcome: 'approved' | 'rejected'; actorName: string; comment: string | null; now: Date },
): Promise<void> {
  const approved = input.outcome === 'approved';
  const fields = [...input.subject.summaryFields.slice(0, 6), { label: approved ? '最终审批人' : '驳回人', value: input.actorName }];
  if (input.comment) fields.push({ label: approved ? '审批意见' : '驳回原因', value: input.comment });

  await queueNotice(db, {
    dedupKey: `approval:${input.approvalId}:round:${input.round}:${input.outcome}`,
    recipientUserId: input.submitterId,
    content: {
      title: approved ? `审批已通过：${input.subject.title}` : `审批被驳回：${input.subject.title}`,
      fields,
      text: approved ? `您提交的${input.templateName}已通过。` : `您提交的${input.templateName}被驳回，请修改后重新提交。`,
      url: approvalPageUrl(input.approvalId),
      buttonText: '查看详情',
    },
    now: input.now,
  });
}

/** Reminds an approver of a task that has waited too long; `period` makes it once per reminder period. */
export async function queueTaskReminder(
  db: DbExecutor,
  input: { taskId: number; approvalId: number; assigneeId: number; title: string; templateName: string; waitedHours: number; period: number; now: Date },
): Promise<boolean> {
  return queueNotice(db, {
    dedupKey: `approval-task:${input.taskId}:reminder:${input.period}`,
    recipientUserId: input.assigneeId,
    content: {
      title: `审批催办：${input.title}`,
      fields: [
        { label: '审批类型', value: input.templateName },
        { label: '已等待', value: `${input.waitedHours} 小时` },
      ],
      text: '这项审批仍在等待您处理。',
      url: approvalPageUrl(input.approvalId),
      buttonText: '去审批',
    },
    now: input.now,
  });
}

/** Tells the submitter about a comment left by someone else. */
export async function queueCommentNotice(
  db: DbExecutor,
  input: { historyId: number; approvalId: number; recipientUserId: number; title: string; authorName: string; comment: string; now: Date },
): Promise<void> {
  await queueNotice(db, {
    dedupKey: `approval-comment:${input.historyId}:to:${input.recipientUserId}`,
    recipientUserId: input.recipientUserId,
    content: {
      title: `审批有新评论：${input.title}`,
      fields: [{ label: '评论人', value: input.authorName }],
      text: input.comment,
      url: approvalPageUrl(input.approvalId),
      buttonText: '查看详情',
    },
    now: input.now,
  });
}
