import type { Logger } from 'pino';
import { approvalReminderSettingsSchema, templateDefinitionSchema, type ApprovalReminderSettings } from '@shared/api/approval.js';
import type { Db, DbTransaction } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { findLeaderAbove } from '../org/org.service.js';
import { listUsersWithRole } from '../org/org.repository.js';
import { getSetting } from '../settings/settings.service.js';
import * as repository from './approval.repository.js';
import { claimTransition, closeTask, createTask, loadInstanceState, recordAction, type InstanceState } from './approval.engine.js';
import { queueTaskReminder } from './approval.notices.js';

export interface ApprovalJobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export const reminderSettingsKey = 'approval.reminders';
export const defaultReminderSettings: ApprovalReminderSettings = { afterHours: 24, everyHours: 24 };

const hourMs = 3_600_000;
const batchSize = 500;

/**
 * Reminds approvers of tasks open longer than `afterHours`, then again every `everyHours`. The reminder
 * period is part of the notice's dedup key, so a task gets at most one reminder per period even when two
 * instances run the job. Returns how many reminders were queued.
 */
export async function remindWaitingApprovers(deps: ApprovalJobDeps): Promise<number> {
  const now = deps.clock.now();
  const settings = await getSetting(deps.db, reminderSettingsKey, approvalReminderSettingsSchema, defaultReminderSettings);
  const afterMs = settings.afterHours * hourMs;
  const everyMs = settings.everyHours * hourMs;

  let queued = 0;
  for (const task of await repository.listOpenTasksCreatedBefore(deps.db, new Date(now.getTime() - afterMs), new Date(now.getTime() - everyMs), batchSize)) {
    const waitedMs = now.getTime() - Date.parse(task.created_at);
    const period = Math.floor((waitedMs - afterMs) / everyMs);
    if (task.reminder_count > period) continue;

    const definition = templateDefinitionSchema.parse(JSON.parse(task.template_snapshot));
    const sent = await deps.db.transaction().execute(async (trx) => {
      const inserted = await queueTaskReminder(trx, {
        taskId: task.id,
        approvalId: task.instance_id,
        assigneeId: task.assignee_id,
        title: task.title,
        templateName: definition.name,
        waitedHours: Math.floor(waitedMs / hourMs),
        period,
        now,
      });
      await repository.recordTaskReminder(trx, task.id, period + 1, now);
      return inserted;
    });
    if (sent) queued += 1;
  }
  if (queued > 0) deps.logger.info({ queued }, 'approval reminders queued');
  return queued;
}

/**
 * Moves open tasks of users who left the organisation to their leader (the leader of their department,
 * then higher up), or to an admin when no leader can take it. Each move is a transition of its own with
 * the version check, written to the history. Returns how many tasks were moved.
 */
export async function reassignTasksOfLeavers(deps: ApprovalJobDeps): Promise<number> {
  let moved = 0;
  for (const task of await repository.listOpenTasksOfInactiveUsers(deps.db, batchSize)) {
    const now = deps.clock.now();
    try {
      const done = await deps.db.transaction().execute((trx) => reassignTask(trx, task, now));
      if (done) moved += 1;
      else deps.logger.warn({ taskId: task.id, approvalId: task.instance_id }, 'no one can take over the task of a user who left');
    } catch (error) {
      // Another transition on the same approval won the race; the next run retries this task.
      deps.logger.warn({ err: error, taskId: task.id, approvalId: task.instance_id }, 'moving the task of a user who left failed; will retry');
    }
  }
  if (moved > 0) deps.logger.info({ moved }, 'approval tasks of leavers reassigned');
  return moved;
}

async function reassignTask(trx: DbTransaction, task: { id: number; instance_id: number; assignee_id: number; assignee_name: string }, now: Date): Promise<boolean> {
  const state = await loadInstanceState(trx, task.instance_id);
  const current = state?.tasks.find((candidate) => candidate.id === task.id);
  if (!state || current?.status !== 'pending') return false;

  const successor = await findSuccessor(trx, state, task.assignee_id);
  if (!successor) return false;

  await claimTransition(trx, state, now);
  await closeTask(trx, state, task.id, 'reassigned', null, now);
  await createTask(trx, state, {
    stepIndex: current.step_index,
    assigneeId: successor.id,
    origin: 'reassign',
    sourceTaskId: task.id,
    reason: `${task.assignee_name}已离职，此审批移交给您`,
    now,
  });
  await recordAction(trx, state, {
    action: 'reassign',
    actorId: null,
    stepIndex: current.step_index,
    taskId: task.id,
    detail: `${task.assignee_name}已离职，任务移交给${successor.name}`,
    now,
  });
  return true;
}

/** The leaver's nearest leader who may take the task, else the first admin who may. */
async function findSuccessor(trx: DbTransaction, state: InstanceState, leaverId: number): Promise<{ id: number; name: string } | undefined> {
  const eligible = (userId: number) =>
    userId !== state.instance.submitter_id &&
    !state.tasks.some((task) => task.assignee_id === userId && task.status === 'pending' && task.step_index === state.instance.current_step_index);

  for (let levelsUp = 1; levelsUp <= 3; levelsUp += 1) {
    const leader = await findLeaderAbove(trx, leaverId, levelsUp);
    if (!leader) break;
    const active = await repository.findActiveUser(trx, leader.id);
    if (active && eligible(active.id)) return active;
  }
  return (await listUsersWithRole(trx, 'admin')).find((admin) => eligible(admin.id));
}
