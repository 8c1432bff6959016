import type { ProjectTask } from '@shared/api/project.js';
import type { z } from 'zod';
import type { milestoneCreateSchema, milestoneUpdateSchema, taskCreateSchema, taskUpdateSchema } from '@shared/api/project.js';
import { isOverdue } from '@shared/project-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, forbidden, notFound } from '../../http/app-error.js';
import { queueNotice } from '../notification/notification.service.js';
import { h5Url, loadProjectAccess, type ServiceMoment } from './project.context.js';
import * as planRepository from './project-plan.repository.js';
import { isProjectMember, touchProject } from './project.repository.js';
import { canEditTask } from './project.rules.js';
import { toMilestone } from './project.service.js';

type MilestoneCreate = z.infer<typeof milestoneCreateSchema>;
type MilestoneUpdate = z.infer<typeof milestoneUpdateSchema>;
type TaskCreate = z.infer<typeof taskCreateSchema>;
type TaskUpdate = z.infer<typeof taskUpdateSchema>;

// ---- Milestones ----

export async function listProjectMilestones(db: DbExecutor, actor: Actor, projectId: number, moment: ServiceMoment) {
  await loadProjectAccess(db, actor, projectId);
  const rows = await planRepository.listMilestones(db, [projectId]);
  return rows.map((row) => toMilestone(row, moment.today));
}

export async function addMilestone(db: Db, actor: Actor, projectId: number, input: MilestoneCreate, moment: ServiceMoment) {
  const { project } = await loadProjectAccess(db, actor, projectId, 'manage');
  if (input.assigneeId !== null) await assertAssignable(db, projectId, project.owner_id, input.assigneeId);

  await db.transaction().execute(async (trx) => {
    const seq = await planRepository.nextMilestoneSeq(trx, projectId);
    await planRepository.insertMilestones(trx, projectId, [{ seq, name: input.name, dueDate: input.dueDate, assigneeId: input.assigneeId }], moment.now.toISOString());
    await touchProject(trx, projectId, moment.now.toISOString());
  });
  return listProjectMilestones(db, actor, projectId, moment);
}

/**
 * Renames, reschedules, reorders or reassigns a milestone (managers), or marks it done or not done
 * (managers, its assignee and members). A done date cannot lie in the future.
 */
export async function changeMilestone(db: Db, actor: Actor, projectId: number, milestoneId: number, changes: MilestoneUpdate, moment: ServiceMoment) {
  const access = await loadProjectAccess(db, actor, projectId);
  const milestone = await planRepository.findMilestone(db, projectId, milestoneId);
  if (!milestone) throw notFound('里程碑');

  const onlyDone = Object.keys(changes).every((key) => key === 'doneDate');
  const mayMarkDone = access.canContribute || milestone.assignee_id === actor.id;
  if (!access.canManage && !(onlyDone && mayMarkDone)) throw forbidden('修改里程碑（成员只能标记完成）');
  if (changes.doneDate && changes.doneDate > moment.today) throw badRequest('done_date_in_future', `完成日期 ${changes.doneDate} 晚于今天：请填写实际完成的日期`);
  if (changes.assigneeId) await assertAssignable(db, projectId, access.project.owner_id, changes.assigneeId);

  await db.transaction().execute(async (trx) => {
    await planRepository.updateMilestone(trx, milestoneId, {
      name: changes.name,
      due_date: changes.dueDate,
      done_date: changes.doneDate,
      assignee_id: changes.assigneeId,
      seq: changes.seq,
    });
    await touchProject(trx, projectId, moment.now.toISOString());
  });
  return listProjectMilestones(db, actor, projectId, moment);
}

export async function removeMilestone(db: Db, actor: Actor, projectId: number, milestoneId: number, moment: ServiceMoment) {
  await loadProjectAccess(db, actor, projectId, 'manage');
  const milestone = await planRepository.findMilestone(db, projectId, milestoneId);
  if (!milestone) throw notFound('里程碑');
  await db.transaction().execute(async (trx) => {
    await planRepository.deleteMilestone(trx, milestoneId);
    await touchProject(trx, projectId, moment.now.toISOString());
  });
  return listProjectMilestones(db, actor, projectId, moment);
}

// ---- Tasks ----

export async function listTasksOfProject(db: DbExecutor, actor: Actor, projectId: number, moment: ServiceMoment): Promise<ProjectTask[]> {
  await loadProjectAccess(db, actor, projectId);
  const rows = await planRepository.listProjectTasks(db, projectId);
  return rows.map((row) => toTask(row, moment.today));
}

/** Lists the caller's own tasks across active projects. */
export async function listMyTasks(db: DbExecutor, actor: Actor, filter: 'due' | 'open' | 'done', moment: ServiceMoment): Promise<ProjectTask[]> {
  const rows = await planRepository.listTasksOfAssignee(db, actor.id, {
    status: filter === 'done' ? 'done' : 'open',
    dueBy: filter === 'due' ? moment.today : undefined,
  });
  return rows.map((row) => toTask(row, moment.today));
}

/** Open tasks assigned to the user that are due today or overdue: the workbench figure. */
export async function countTasksDue(db: DbExecutor, userId: number, today: string): Promise<number> {
  return planRepository.countTasksOfAssigneeDueBy(db, userId, today);
}

export async function addTask(db: Db, actor: Actor, projectId: number, input: TaskCreate, moment: ServiceMoment): Promise<ProjectTask> {
  const { project } = await loadProjectAccess(db, actor, projectId, 'contribute');
  await assertAssignable(db, projectId, project.owner_id, input.assigneeId);
  if (input.milestoneId !== null && !(await planRepository.findMilestone(db, projectId, input.milestoneId))) throw notFound('里程碑');

  const taskId = await db.transaction().execute(async (trx) => {
    const id = await planRepository.insertTask(trx, { projectId, ...input, createdBy: actor.id, now: moment.now.toISOString() });
    await touchProject(trx, projectId, moment.now.toISOString());
    if (input.assigneeId !== actor.id) await noticeTaskAssigned(trx, { taskId: id, projectId, projectName: project.name, title: input.title, dueDate: input.dueDate, assigneeId: input.assigneeId, by: actor.name, moment });
    return id;
  });
  return getTask(db, projectId, taskId, moment.today);
}

export async function changeTask(db: Db, actor: Actor, projectId: number, taskId: number, changes: TaskUpdate, moment: ServiceMoment): Promise<ProjectTask> {
  const access = await loadProjectAccess(db, actor, projectId);
  const task = await planRepository.findTask(db, projectId, taskId);
  if (!task) throw notFound('任务');
  if (!canEditTask(access.facts, { assigneeId: task.assignee_id, createdBy: task.created_by }, actor.id)) throw forbidden('修改此任务（仅负责人、创建人或项目主管可以）');

  const reassigned = changes.assigneeId !== undefined && changes.assigneeId !== task.assignee_id;
  if (reassigned) await assertAssignable(db, projectId, access.project.owner_id, changes.assigneeId!);
  if (changes.milestoneId && !(await planRepository.findMilestone(db, projectId, changes.milestoneId))) throw notFound('里程碑');

  const statusChange =
    changes.status === undefined || changes.status === task.status
      ? {}
      : changes.status === 'done'
        ? { status: 'done', done_at: moment.now.toISOString(), done_by: actor.id }
        : { status: 'open', done_at: null, done_by: null };

  await db.transaction().execute(async (trx) => {
    await planRepository.updateTask(
      trx,
      taskId,
      { title: changes.title, notes: changes.notes, assignee_id: changes.assigneeId, due_date: changes.dueDate, milestone_id: changes.milestoneId, ...statusChange },
      moment.now.toISOString(),
    );
    await touchProject(trx, projectId, moment.now.toISOString());
    if (reassigned && changes.assigneeId !== actor.id) {
      await noticeTaskAssigned(trx, {
        taskId,
        projectId,
        projectName: task.project_name,
        title: changes.title ?? task.title,
        dueDate: changes.dueDate !== undefined ? changes.dueDate : task.due_date,
        assigneeId: changes.assigneeId!,
        by: actor.name,
        moment,
      });
    }
  });
  return getTask(db, projectId, taskId, moment.today);
}

export async function removeTask(db: Db, actor: Actor, projectId: number, taskId: number, moment: ServiceMoment): Promise<void> {
  const access = await loadProjectAccess(db, actor, projectId);
  const task = await planRepository.findTask(db, projectId, taskId);
  if (!task) throw notFound('任务');
  if (!access.canManage && task.created_by !== actor.id) throw forbidden('删除此任务（仅创建人或项目主管可以）');
  await db.transaction().execute(async (trx) => {
    await planRepository.deleteTask(trx, taskId);
    await touchProject(trx, projectId, moment.now.toISOString());
  });
}

async function getTask(db: DbExecutor, projectId: number, taskId: number, today: string): Promise<ProjectTask> {
  const row = await planRepository.findTask(db, projectId, taskId);
  if (!row) throw notFound('任务');
  return toTask(row, today);
}

export function toTask(row: planRepository.TaskRow, today: string): ProjectTask {
  return {
    id: row.id,
    projectId: row.project_id,
    projectName: row.project_name,
    milestoneId: row.milestone_id,
    title: row.title,
    notes: row.notes,
    assignee: { id: row.assignee_id, name: row.assignee_name },
    dueDate: row.due_date,
    status: row.status === 'done' ? 'done' : 'open',
    doneAt: row.done_at,
    overdue: isOverdue(row.due_date, row.status === 'done', today),
    createdAt: row.created_at,
  };
}

/** Tasks and milestones go to the owner or a member, so the assignee can open the project. */
async function assertAssignable(db: DbExecutor, projectId: number, ownerId: number, userId: number): Promise<void> {
  if (userId === ownerId || (await isProjectMember(db, projectId, userId))) return;
  throw badRequest('assignee_not_member', '只能指派给项目负责人或项目成员：请先把此人加入项目成员');
}

async function noticeTaskAssigned(
  db: DbExecutor,
  input: { taskId: number; projectId: number; projectName: string; title: string; dueDate: string | null; assigneeId: number; by: string; moment: ServiceMoment },
): Promise<void> {
  await queueNotice(db, {
    dedupKey: `project-task:${input.taskId}:assigned:${input.assigneeId}:${input.moment.now.toISOString()}`,
    recipientUserId: input.assigneeId,
    content: {
      title: '新的项目任务',
      fields: [
        { label: '项目', value: input.projectName },
        { label: '任务', value: input.title },
        { label: '截止日期', value: input.dueDate ?? '未设定' },
      ],
      text: `${input.by} 给您安排了任务「${input.title}」。`,
      url: h5Url(input.moment, `/projects/${input.projectId}?tab=tasks`),
      buttonText: '查看任务',
    },
    now: input.moment.now,
  });
}
