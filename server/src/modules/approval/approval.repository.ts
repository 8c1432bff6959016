import type { Insertable, Updateable } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { ApprovalHistoryTable, ApprovalInstanceTable, ApprovalStepTable, ApprovalTaskTable } from './approval.tables.js';

/** Tasks a user has decided themselves; cancelled and reassigned tasks were closed by someone else. */
export const handledTaskStatuses = ['approved', 'rejected', 'sent_back', 'transferred'] as const;

export async function findTemplateByCode(db: DbExecutor, code: string) {
  return db.selectFrom('approval_template').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listTemplates(db: DbExecutor) {
  return db
    .selectFrom('approval_template')
    .leftJoin('app_user', 'app_user.id', 'approval_template.updated_by')
    .selectAll('approval_template')
    .select('app_user.name as updated_by_name')
    .orderBy('approval_template.id')
    .execute();
}

/** Saves a new definition when the stored version is still `expectedVersion`; false when someone saved first. */
export async function updateTemplateDefinition(
  db: DbExecutor,
  input: { id: number; expectedVersion: number; definition: string; updatedBy: number; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('approval_template')
    .set((eb) => ({ definition: input.definition, version: eb('version', '+', 1), updated_by: input.updatedBy, updated_at: input.now.toISOString() }))
    .where('id', '=', input.id)
    .where('version', '=', input.expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertInstance(db: DbExecutor, row: Insertable<ApprovalInstanceTable>): Promise<number> {
  const inserted = await db.insertInto('approval_instance').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findInstanceById(db: DbExecutor, id: number) {
  return db.selectFrom('approval_instance').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findLatestInstanceForSubject(db: DbExecutor, subjectType: string, subjectId: number, templateCode?: string) {
  let query = db.selectFrom('approval_instance').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId);
  if (templateCode) query = query.where('template_code', '=', templateCode);
  return query.orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * The optimistic lock of every transition: applies `patch` and increments the version only when the row
 * still has `expectedVersion`. False means another transition committed first.
 */
export async function updateInstanceIfVersion(
  db: DbExecutor,
  id: number,
  expectedVersion: number,
  patch: Omit<Updateable<ApprovalInstanceTable>, 'id' | 'version'>,
): Promise<boolean> {
  const result = await db
    .updateTable('approval_instance')
    .set({ ...patch, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertSteps(db: DbExecutor, rows: Insertable<ApprovalStepTable>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('approval_step').values(rows).execute();
}

export async function listSteps(db: DbExecutor, instanceId: number, round: number) {
  return db.selectFrom('approval_step').selectAll().where('instance_id', '=', instanceId).where('round', '=', round).orderBy('step_index').execute();
}

export async function updateStep(
  db: DbExecutor,
  key: { instanceId: number; round: number; stepIndex: number },
  patch: Pick<Updateable<ApprovalStepTable>, 'status' | 'note' | 'activation' | 'activated_at' | 'completed_at'>,
): Promise<void> {
  await db
    .updateTable('approval_step')
    .set(patch)
    .where('instance_id', '=', key.instanceId)
    .where('round', '=', key.round)
    .where('step_index', '=', key.stepIndex)
    .execute();
}

export async function insertTask(db: DbExecutor, row: Insertable<ApprovalTaskTable>): Promise<number> {
  const inserted = await db.insertInto('approval_task').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function listTasks(db: DbExecutor, instanceId: number, round?: number) {
  let query = db
    .selectFrom('approval_task')
    .innerJoin('app_user', 'app_user.id', 'approval_task.assignee_id')
    .selectAll('approval_task')
    .select('app_user.name as assignee_name')
    .where('approval_task.instance_id', '=', instanceId);
  if (round !== undefined) query = query.where('approval_task.round', '=', round);
  return query.orderBy('approval_task.id').execute();
}

export async function findTaskById(db: DbExecutor, id: number) {
  return db.selectFrom('approval_task').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Closes an open task; false when it was no longer open, which the caller treats as a conflict. */
export async function closeOpenTask(db: DbExecutor, id: number, patch: { status: string; comment?: string | null; actedAt: Date }): Promise<boolean> {
  const result = await db
    .updateTable('approval_task')
    .set({ status: patch.status, comment: patch.comment ?? null, acted_at: patch.actedAt.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertHistory(db: DbExecutor, row: Insertable<ApprovalHistoryTable>): Promise<number> {
  const inserted = await db.insertInto('approval_history').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function listHistory(db: DbExecutor, instanceId: number) {
  return db
    .selectFrom('approval_history')
    .leftJoin('app_user', 'app_user.id', 'approval_history.actor_id')
    .selectAll('approval_history')
    .select('app_user.name as actor_name')
    .where('approval_history.instance_id', '=', instanceId)
    .orderBy('approval_history.id')
    .execute();
}

/** Whether the user ever held a task of the instance, in any round and state. */
export async function hasEverBeenAssigned(db: DbExecutor, instanceId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('approval_task').select('id').where('instance_id', '=', instanceId).where('assignee_id', '=', userId).limit(1).executeTakeFirst();
  return row !== undefined;
}

const listColumns = [
  'approval_instance.id as approval_id',
  'approval_instance.template_code',
  'approval_instance.template_snapshot',
  'approval_instance.title',
  'approval_instance.amount_fen',
  'approval_instance.has_special_discount',
  'approval_instance.status',
  'approval_instance.submitter_id',
  'approval_instance.submitted_at',
  'approval_instance.updated_at',
  'approval_instance.round',
  'approval_instance.current_step_index',
  'submitter.name as submitter_name',
] as const;

/** The approver's open tasks, newest first, served by the partial index on open tasks. */
export async function listOpenTasksForUser(db: DbExecutor, userId: number, page: { before?: number; limit: number }) {
  let query = db
    .selectFrom('approval_task')
    .innerJoin('approval_instance', 'approval_instance.id', 'approval_task.instance_id')
    .innerJoin('app_user as submitter', 'submitter.id', 'approval_instance.submitter_id')
    .select(listColumns)
    .select(['approval_task.id as task_id', 'approval_task.status as task_status', 'approval_task.created_at as task_created_at', 'approval_task.acted_at as task_acted_at'])
    .where('approval_task.assignee_id', '=', userId)
    .where('approval_task.status', '=', 'pending');
  if (page.before !== undefined) query = query.where('approval_task.id', '<', page.before);
  return query.orderBy('approval_task.id', 'desc').limit(page.limit).execute();
}

export async function countOpenTasksForUser(db: DbExecutor, userId: number): Promise<number> {
  const row = await db
    .selectFrom('approval_task')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('assignee_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listHandledTasksForUser(db: DbExecutor, userId: number, page: { before?: number; limit: number }) {
  let query = db
    .selectFrom('approval_task')
    .innerJoin('approval_instance', 'approval_instance.id', 'approval_task.instance_id')
    .innerJoin('app_user as submitter', 'submitter.id', 'approval_instance.submitter_id')
    .select(listColumns)
    .select(['approval_task.id as task_id', 'approval_task.status as task_status', 'approval_task.created_at as task_created_at', 'approval_task.acted_at as task_acted_at'])
    .where('approval_task.assignee_id', '=', userId)
    .where('approval_task.status', 'in', [...handledTaskStatuses]);
  if (page.before !== undefined) query = query.where('approval_task.id', '<', page.before);
  return query.orderBy('approval_task.id', 'desc').limit(page.limit).execute();
}

export async function listSubmittedInstances(db: DbExecutor, userId: number, page: { before?: number; limit: number }) {
  let query = db
    .selectFrom('approval_instance')
    .innerJoin('app_user as submitter', 'submitter.id', 'approval_instance.submitter_id')
    .select(listColumns)
    .where('approval_instance.submitter_id', '=', userId);
  if (page.before !== undefined) query = query.where('approval_instance.id', '<', page.before);
  return query.orderBy('approval_instance.id', 'desc').limit(page.limit).execute();
}

/** Open tasks created before `createdBefore` and not reminded since `remindedBefore`, oldest first. */
export async function listOpenTasksCreatedBefore(db: DbExecutor, createdBefore: Date, remindedBefore: Date, limit: number) {
  return db
    .selectFrom('approval_task')
    .innerJoin('approval_instance', 'approval_instance.id', 'approval_task.instance_id')
    .select([
      'approval_task.id',
      'approval_task.instance_id',
      'approval_task.assignee_id',
      'approval_task.created_at',
      'approval_task.reminder_count',
      'approval_instance.title',
      'approval_instance.template_snapshot',
      'approval_instance.subject',
      'approval_instance.submitter_id',
    ])
    .where('approval_task.status', '=', 'pending')
    .where('approval_task.created_at', '<=', createdBefore.toISOString())
    .where((eb) => eb.or([eb('approval_task.last_reminded_at', 'is', null), eb('approval_task.last_reminded_at', '<=', remindedBefore.toISOString())]))
    .orderBy('approval_task.created_at')
    .limit(limit)
    .execute();
}

export async function recordTaskReminder(db: DbExecutor, taskId: number, count: number, now: Date): Promise<void> {
  await db.updateTable('approval_task').set({ reminder_count: count, last_reminded_at: now.toISOString() }).where('id', '=', taskId).execute();
}

/** Open tasks whose approver is no longer active in the organisation. */
export async function listOpenTasksOfInactiveUsers(db: DbExecutor, limit: number) {
  return db
    .selectFrom('approval_task')
    .innerJoin('app_user', 'app_user.id', 'approval_task.assignee_id')
    .select(['approval_task.id', 'approval_task.instance_id', 'approval_task.assignee_id', 'app_user.name as assignee_name'])
    .where('approval_task.status', '=', 'pending')
    .where('app_user.active', '=', 0)
    .orderBy('approval_task.id')
    .limit(limit)
    .execute();
}

export async function findActiveUser(db: DbExecutor, userId: number) {
  return db.selectFrom('app_user').select(['id', 'name']).where('id', '=', userId).where('active', '=', 1).executeTakeFirst();
}

export async function findUserName(db: DbExecutor, userId: number): Promise<string> {
  const row = await db.selectFrom('app_user').select('name').where('id', '=', userId).executeTakeFirst();
  return row?.name ?? `用户 ${userId}`;
}

/** Active leaders of active departments with one of the given names. */
export async function listLeadersOfDepartmentsNamed(db: DbExecutor, departmentNames: string[]) {
  return db
    .selectFrom('department')
    .innerJoin('user_department', 'user_department.department_id', 'department.id')
    .innerJoin('app_user', 'app_user.id', 'user_department.user_id')
    .select(['app_user.id', 'app_user.name'])
    .distinct()
    .where('department.name', 'in', departmentNames)
    .where('department.active', '=', 1)
    .where('user_department.is_leader', '=', 1)
    .where('app_user.active', '=', 1)
    .orderBy('app_user.id')
    .execute();
}

/** Active holders of a role who lead at least one department. */
export async function listDepartmentLeadersWithRole(db: DbExecutor, role: string) {
  return db
    .selectFrom('user_role')
    .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
    .select(['app_user.id', 'app_user.name'])
    .where('user_role.role', '=', role)
    .where('app_user.active', '=', 1)
    .where((eb) =>
      eb.exists(eb.selectFrom('user_department').select('user_department.user_id').whereRef('user_department.user_id', '=', 'app_user.id').where('user_department.is_leader', '=', 1)),
    )
    .orderBy('app_user.id')
    .execute();
}

export async function listActiveUsersByIds(db: DbExecutor, userIds: number[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).where('active', '=', 1).orderBy('id').execute();
}

/** Plain update for a transition that already holds the lock taken by updateInstanceIfVersion. */
export async function updateInstance(db: DbExecutor, id: number, patch: Omit<Updateable<ApprovalInstanceTable>, 'id' | 'version'>): Promise<void> {
  await db.updateTable('approval_instance').set(patch).where('id', '=', id).execute();
}

/** Whether the user held a task in any approval of the subject (any template, round or state). */
export async function isParticipantOfSubject(db: DbExecutor, subjectType: string, subjectId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('approval_task')
    .innerJoin('approval_instance', 'approval_instance.id', 'approval_task.instance_id')
    .select('approval_task.id')
    .where('approval_instance.subject_type', '=', subjectType)
    .where('approval_instance.subject_id', '=', subjectId)
    .where('approval_task.assignee_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
