import type { DbExecutor } from '../../db/database.js';

/** Milestones and tasks of projects. */

const milestoneColumns = [
  'project_milestone.id',
  'project_milestone.project_id',
  'project_milestone.seq',
  'project_milestone.name',
  'project_milestone.due_date',
  'project_milestone.done_date',
  'project_milestone.assignee_id',
  'app_user.name as assignee_name',
] as const;

export async function listMilestones(db: DbExecutor, projectIds: number[]) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('project_milestone')
    .leftJoin('app_user', 'app_user.id', 'project_milestone.assignee_id')
    .select(milestoneColumns)
    .where('project_milestone.project_id', 'in', projectIds)
    .orderBy('project_milestone.project_id')
    .orderBy('project_milestone.seq')
    .orderBy('project_milestone.id')
    .execute();
}

export type MilestoneRow = Awaited<ReturnType<typeof listMilestones>>[number];

export async function findMilestone(db: DbExecutor, projectId: number, milestoneId: number) {
  return db
    .selectFrom('project_milestone')
    .leftJoin('app_user', 'app_user.id', 'project_milestone.assignee_id')
    .select(milestoneColumns)
    .where('project_milestone.project_id', '=', projectId)
    .where('project_milestone.id', '=', milestoneId)
    .executeTakeFirst();
}

export async function insertMilestones(
  db: DbExecutor,
  projectId: number,
  milestones: { seq: number; name: string; dueDate: string | null; assigneeId: number | null }[],
  now: string,
): Promise<void> {
  if (milestones.length === 0) return;
  await db
    .insertInto('project_milestone')
    .values(milestones.map((milestone) => ({ project_id: projectId, seq: milestone.seq, name: milestone.name, due_date: milestone.dueDate, done_date: null, assignee_id: milestone.assigneeId, created_at: now })))
    .execute();
}

export async function nextMilestoneSeq(db: DbExecutor, projectId: number): Promise<number> {
  const row = await db.selectFrom('project_milestone').select((eb) => eb.fn.max('seq').as('seq')).where('project_id', '=', projectId).executeTakeFirst();
  return Number(row?.seq ?? 0) + 1;
}

export async function updateMilestone(
  db: DbExecutor,
  milestoneId: number,
  changes: Partial<{ name: string; due_date: string | null; done_date: string | null; assignee_id: number | null; seq: number }>,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.updateTable('project_milestone').set(changes).where('id', '=', milestoneId).execute();
}

export async function deleteMilestone(db: DbExecutor, milestoneId: number): Promise<void> {
  await db.updateTable('project_task').set({ milestone_id: null }).where('milestone_id', '=', milestoneId).execute();
  await db.deleteFrom('project_milestone').where('id', '=', milestoneId).execute();
}

/** Open milestones whose due date is before `today`, of active projects. */
export async function listOverdueMilestones(db: DbExecutor, today: string, ownerIds?: number[]) {
  let query = db
    .selectFrom('project_milestone')
    .innerJoin('project', 'project.id', 'project_milestone.project_id')
    .select([
      'project_milestone.id',
      'project_milestone.name',
      'project_milestone.due_date',
      'project_milestone.assignee_id',
      'project.id as project_id',
      'project.name as project_name',
      'project.owner_id',
    ])
    .where('project_milestone.done_date', 'is', null)
    .where('project_milestone.due_date', '<', today)
    .where('project.status', '=', 'active');
  if (ownerIds) query = query.where('project.owner_id', 'in', ownerIds.length > 0 ? ownerIds : [-1]);
  return query.orderBy('project_milestone.due_date').execute();
}

// ---- Tasks ----

const taskColumns = [
  'project_task.id',
  'project_task.project_id',
  'project.name as project_name',
  'project_task.milestone_id',
  'project_task.title',
  'project_task.notes',
  'project_task.assignee_id',
  'app_user.name as assignee_name',
  'project_task.due_date',
  'project_task.status',
  'project_task.done_at',
  'project_task.created_by',
  'project_task.created_at',
] as const;

function selectTasks(db: DbExecutor) {
  return db
    .selectFrom('project_task')
    .innerJoin('project', 'project.id', 'project_task.project_id')
    .innerJoin('app_user', 'app_user.id', 'project_task.assignee_id')
    .select(taskColumns);
}

export type TaskRow = Awaited<ReturnType<typeof listProjectTasks>>[number];

export async function listProjectTasks(db: DbExecutor, projectId: number) {
  return selectTasks(db)
    .where('project_task.project_id', '=', projectId)
    .orderBy('project_task.status')
    .orderBy((eb) => eb.fn.coalesce('project_task.due_date', eb.val('9999-12-31')))
    .orderBy('project_task.id')
    .execute();
}

export async function findTask(db: DbExecutor, projectId: number, taskId: number) {
  return selectTasks(db).where('project_task.project_id', '=', projectId).where('project_task.id', '=', taskId).executeTakeFirst();
}

/** Tasks assigned to a user across active projects; `dueBy` keeps open tasks due on or before that date. */
export async function listTasksOfAssignee(db: DbExecutor, assigneeId: number, filter: { status: 'open' | 'done'; dueBy?: string }) {
  let query = selectTasks(db).where('project_task.assignee_id', '=', assigneeId).where('project_task.status', '=', filter.status).where('project.status', '=', 'active');
  if (filter.dueBy) query = query.where('project_task.due_date', '<=', filter.dueBy);
  return query
    .orderBy((eb) => eb.fn.coalesce('project_task.due_date', eb.val('9999-12-31')))
    .orderBy('project_task.id')
    .limit(200)
    .execute();
}

export async function countTasksOfAssigneeDueBy(db: DbExecutor, assigneeId: number, dueBy: string): Promise<number> {
  const row = await db
    .selectFrom('project_task')
    .innerJoin('project', 'project.id', 'project_task.project_id')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('project_task.assignee_id', '=', assigneeId)
    .where('project_task.status', '=', 'open')
    .where('project_task.due_date', '<=', dueBy)
    .where('project.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Open and overdue task counts per project, for list rows. */
export async function countTasksByProject(db: DbExecutor, projectIds: number[], today: string) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('project_task')
    .select((eb) => [
      'project_id',
      eb.fn.countAll<number>().as('open_tasks'),
      eb.fn.sum<number>(eb.case().when('due_date', '<', today).then(1).else(0).end()).as('overdue_tasks'),
    ])
    .where('project_id', 'in', projectIds)
    .where('status', '=', 'open')
    .groupBy('project_id')
    .execute();
}

export async function insertTask(
  db: DbExecutor,
  values: { projectId: number; milestoneId: number | null; title: string; notes: string; assigneeId: number; dueDate: string | null; createdBy: number; now: string },
): Promise<number> {
  const row = await db
    .insertInto('project_task')
    .values({
      project_id: values.projectId,
      milestone_id: values.milestoneId,
      title: values.title,
      notes: values.notes,
      assignee_id: values.assigneeId,
      due_date: values.dueDate,
      status: 'open',
      done_at: null,
      done_by: null,
      created_by: values.createdBy,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTask(
  db: DbExecutor,
  taskId: number,
  changes: Partial<{ title: string; notes: string; assignee_id: number; due_date: string | null; milestone_id: number | null; status: string; done_at: string | null; done_by: number | null }>,
  now: string,
): Promise<void> {
  await db
    .updateTable('project_task')
    .set({ ...changes, updated_at: now })
    .where('id', '=', taskId)
    .execute();
}

export async function deleteTask(db: DbExecutor, taskId: number): Promise<void> {
  await db.deleteFrom('project_task').where('id', '=', taskId).execute();
}

/** Overdue open tasks in the owner's active projects that are assigned to someone else. */
export async function countOverdueTasksOfOthers(db: DbExecutor, ownerId: number, today: string): Promise<number> {
  const row = await db
    .selectFrom('project_task')
    .innerJoin('project', 'project.id', 'project_task.project_id')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('project.owner_id', '=', ownerId)
    .where('project.status', '=', 'active')
    .where('project_task.status', '=', 'open')
    .where('project_task.due_date', '<', today)
    .where('project_task.assignee_id', '<>', ownerId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** Open tasks past their due date, of active projects. */
export async function listOverdueTasks(db: DbExecutor, today: string) {
  return db
    .selectFrom('project_task')
    .innerJoin('project', 'project.id', 'project_task.project_id')
    .select(['project_task.id', 'project_task.title', 'project_task.due_date', 'project_task.assignee_id', 'project.id as project_id', 'project.name as project_name', 'project.owner_id'])
    .where('project_task.status', '=', 'open')
    .where('project_task.due_date', '<', today)
    .where('project.status', '=', 'active')
    .orderBy('project_task.due_date')
    .execute();
}

export async function deleteMilestonesOfProject(db: DbExecutor, projectId: number): Promise<void> {
  await db.updateTable('project_task').set({ milestone_id: null }).where('project_id', '=', projectId).execute();
  await db.deleteFrom('project_milestone').where('project_id', '=', projectId).execute();
}
