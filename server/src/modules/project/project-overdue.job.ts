import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { queueNotice } from '../notification/notification.service.js';
import { h5Url, type ServiceMoment } from './project.context.js';
import { listOverdueMilestones, listOverdueTasks } from './project-plan.repository.js';

/**
 * Tells each assignee once that their project task or milestone is overdue. The dedup key includes the
 * due date, so moving the date and missing it again sends one new notice, and a second run (or a second
 * instance) sends nothing more. Milestones without an assignee go to the project owner.
 */
export async function notifyOverdueProjectItems(deps: { db: Db; config: Config; logger: Logger }, now: Date): Promise<{ tasks: number; milestones: number }> {
  const moment: ServiceMoment = { now, today: localDate(now, deps.config.TIME_ZONE), publicUrl: deps.config.PUBLIC_URL };
  const [tasks, milestones] = await Promise.all([listOverdueTasks(deps.db, moment.today), listOverdueMilestones(deps.db, moment.today)]);

  let queuedTasks = 0;
  let queuedMilestones = 0;
  await deps.db.transaction().execute(async (trx) => {
    for (const task of tasks) {
      const queued = await queueNotice(trx, {
        dedupKey: `project-task:${task.id}:overdue:${task.due_date}`,
        recipientUserId: task.assignee_id,
        content: {
          title: '项目任务已逾期',
          fields: [
            { label: '项目', value: task.project_name },
            { label: '任务', value: task.title },
            { label: '截止日期', value: task.due_date ?? '' },
          ],
          text: `任务「${task.title}」已过截止日期，请尽快处理或与项目负责人调整日期。`,
          url: h5Url(moment, `/projects/${task.project_id}?tab=tasks`),
          buttonText: '查看任务',
        },
        now,
      });
      if (queued) queuedTasks += 1;
    }
    for (const milestone of milestones) {
      const queued = await queueNotice(trx, {
        dedupKey: `project-milestone:${milestone.id}:overdue:${milestone.due_date}`,
        recipientUserId: milestone.assignee_id ?? milestone.owner_id,
        content: {
          title: '项目里程碑已逾期',
          fields: [
            { label: '项目', value: milestone.project_name },
            { label: '里程碑', value: milestone.name },
            { label: '计划日期', value: milestone.due_date ?? '' },
          ],
          text: `里程碑「${milestone.name}」已过计划日期仍未完成。`,
          url: h5Url(moment, `/projects/${milestone.project_id}`),
          buttonText: '查看项目',
        },
        now,
      });
      if (queued) queuedMilestones += 1;
    }
  });

  if (queuedTasks + queuedMilestones > 0) deps.logger.info({ tasks: queuedTasks, milestones: queuedMilestones, today: moment.today }, 'project overdue notices queued');
  return { tasks: queuedTasks, milestones: queuedMilestones };
}

/** Local hour from which overdue notices go out, so they do not arrive at night. */
const noticeStartHour = 9;

/** Runs every 10 minutes and sends only from 09:00 local time. The dedup keys make repeated runs send nothing new. */
export async function runProjectOverdueJob(deps: { db: Db; config: Config; logger: Logger }, now: Date): Promise<void> {
  const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: deps.config.TIME_ZONE, hour: 'numeric', hourCycle: 'h23' }).format(now));
  if (hour < noticeStartHour) return;
  await notifyOverdueProjectItems(deps, now);
}
