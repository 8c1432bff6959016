import { targetMetricSchema, type TargetMetric, type TargetRow, type TargetSheet, type TargetSubjectType, type TargetUpdate, type TargetValues } from '@shared/api/target.js';
import type { Actor } from '../../access/actor.js';
import { hasRole, isManager } from '../../access/actor.js';
import { listManagedDepartmentIds, resolveScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { forbidden } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import * as targetRepository from './target.repository.js';

/** Which subjects' targets an actor may see and set. */
interface TargetReach {
  userIds: number[] | 'all';
  departmentIds: number[] | 'all';
  editableUserIds: Set<number> | 'all';
  editableDepartmentIds: Set<number> | 'all';
}

/**
 * Executives and admins see and set every target. A manager sees their subtree and sets the targets of its
 * departments and of its reps other than themselves (their own comes from the level above). A rep sees
 * their own and their departments' targets, read-only.
 */
async function loadReach(db: DbExecutor, actor: Actor): Promise<TargetReach> {
  if (hasRole(actor, 'executive', 'admin')) return { userIds: 'all', departmentIds: 'all', editableUserIds: 'all', editableDepartmentIds: 'all' };

  const scope = await resolveScope(db, actor, 'business');
  const userIds = scope.kind === 'all' ? 'all' : scope.userIds;
  if (!isManager(actor)) return { userIds, departmentIds: actor.departmentIds, editableUserIds: new Set(), editableDepartmentIds: new Set() };

  const managed = await listManagedDepartmentIds(db, actor);
  return {
    userIds,
    departmentIds: managed,
    editableUserIds: new Set((userIds === 'all' ? [] : userIds).filter((id) => id !== actor.id)),
    editableDepartmentIds: new Set(managed),
  };
}

function isEditable(reach: TargetReach, subjectType: TargetSubjectType, subjectId: number): boolean {
  const editable = subjectType === 'user' ? reach.editableUserIds : reach.editableDepartmentIds;
  return editable === 'all' || editable.has(subjectId);
}

const emptyValues = (): TargetValues => ({ contract_amount: null, receipts: null, new_customers: null, visits: null });

/** The month's targets for every department and rep the actor may see, departments first. */
export async function getTargetSheet(db: DbExecutor, actor: Actor, month: string): Promise<TargetSheet> {
  const reach = await loadReach(db, actor);
  const users = await targetRepository.listSalesUsers(db, reach.userIds === 'all' ? undefined : reach.userIds);
  const allDepartments = await targetRepository.listDepartments(db, reach.departmentIds === 'all' ? undefined : reach.departmentIds);
  // Only departments with reps in their subtree take sales targets; finance or legal do not.
  const salesPaths = new Set(users.flatMap((user) => allDepartments.filter((department) => department.id === user.department_id).map((department) => department.path)));
  const departments = allDepartments.filter((department) => [...salesPaths].some((path) => path.startsWith(department.path)));

  const targets = await targetRepository.listTargets(db, { months: [month] });
  const valuesOf = (subjectType: TargetSubjectType, subjectId: number) => {
    const values = emptyValues();
    for (const target of targets) {
      if (target.subject_type === subjectType && target.subject_id === subjectId) values[targetMetricSchema.parse(target.metric)] = target.value;
    }
    return values;
  };

  const seenUsers = new Set<number>();
  const rows: TargetRow[] = [
    ...departments.map((department) => ({
      subjectType: 'department' as const,
      subjectId: department.id,
      name: department.name,
      groupName: department.parent_name,
      values: valuesOf('department', department.id),
      editable: isEditable(reach, 'department', department.id),
    })),
    ...users.flatMap((user) => {
      if (seenUsers.has(user.id)) return [];
      seenUsers.add(user.id);
      return [{ subjectType: 'user' as const, subjectId: user.id, name: user.name, groupName: user.department_name, values: valuesOf('user', user.id), editable: isEditable(reach, 'user', user.id) }];
    }),
  ];
  return { month, rows, canEdit: rows.some((row) => row.editable) };
}

/** Sets or removes targets; every item must be within the actor's reach, or nothing is saved. */
export async function saveTargets(db: Db, actor: Actor, update: TargetUpdate, now: Date): Promise<TargetSheet> {
  const reach = await loadReach(db, actor);
  const refused = update.items.find((item) => !isEditable(reach, item.subjectType, item.subjectId));
  if (refused) throw forbidden(`设置${refused.subjectType === 'user' ? '该业务员' : '该部门'}（id ${refused.subjectId}）的目标：只能设置您所管理部门及其成员的目标`);

  await db.transaction().execute(async (trx) => {
    for (const item of update.items) {
      const key = { month: update.month, subjectType: item.subjectType, subjectId: item.subjectId, metric: item.metric };
      if (item.value === null) await targetRepository.deleteTarget(trx, key);
      else await targetRepository.upsertTarget(trx, { ...key, value: item.value, setBy: actor.id, now: now.toISOString() });
    }
    await appendAudit(trx, { actorUserId: actor.id, action: 'target.set', entityType: 'sales_target', entityId: update.month, data: { items: update.items }, occurredAt: now });
  });
  return getTargetSheet(db, actor, update.month);
}

/** Copies the targets of one month to another for the subjects the actor may set, keeping targets already set there. */
export async function copyTargets(db: Db, actor: Actor, fromMonth: string, toMonth: string, now: Date): Promise<{ copied: number; skipped: number }> {
  const reach = await loadReach(db, actor);
  const [source, existing] = await Promise.all([targetRepository.listTargets(db, { months: [fromMonth] }), targetRepository.listTargets(db, { months: [toMonth] })]);
  const taken = new Set(existing.map((target) => `${target.subject_type}:${target.subject_id}:${target.metric}`));

  let copied = 0;
  let skipped = 0;
  await db.transaction().execute(async (trx) => {
    for (const target of source) {
      const subjectType = target.subject_type === 'department' ? 'department' : 'user';
      if (!isEditable(reach, subjectType, target.subject_id)) continue;
      if (taken.has(`${target.subject_type}:${target.subject_id}:${target.metric}`)) {
        skipped += 1;
        continue;
      }
      await targetRepository.upsertTarget(trx, { month: toMonth, subjectType, subjectId: target.subject_id, metric: targetMetricSchema.parse(target.metric), value: target.value, setBy: actor.id, now: now.toISOString() });
      copied += 1;
    }
    if (copied > 0) await appendAudit(trx, { actorUserId: actor.id, action: 'target.copy', entityType: 'sales_target', entityId: toMonth, data: { fromMonth, copied }, occurredAt: now });
  });
  return { copied, skipped };
}

export type TargetTotals = Record<TargetMetric, number | null>;

/**
 * Targets of a subject summed over months, for KPIs: a rep's own targets; a department's own target, or,
 * for a month and metric where the department has none, the sum of its reps' targets. Null when nothing
 * is set in any month.
 */
export async function sumTargets(db: DbExecutor, subject: { kind: 'user'; userId: number } | { kind: 'department'; departmentId: number; memberIds: number[] }, months: string[]): Promise<TargetTotals> {
  const totals: TargetTotals = { contract_amount: null, receipts: null, new_customers: null, visits: null };
  const add = (metric: TargetMetric, value: number) => {
    totals[metric] = (totals[metric] ?? 0) + value;
  };

  if (subject.kind === 'user') {
    for (const target of await targetRepository.listTargets(db, { months, subjectType: 'user', subjectIds: [subject.userId] })) add(targetMetricSchema.parse(target.metric), target.value);
    return totals;
  }

  const own = await targetRepository.listTargets(db, { months, subjectType: 'department', subjectIds: [subject.departmentId] });
  const members = await targetRepository.listTargets(db, { months, subjectType: 'user', subjectIds: subject.memberIds });
  const covered = new Set(own.map((target) => `${target.month}:${target.metric}`));
  for (const target of own) add(targetMetricSchema.parse(target.metric), target.value);
  for (const target of members) {
    if (!covered.has(`${target.month}:${target.metric}`)) add(targetMetricSchema.parse(target.metric), target.value);
  }
  return totals;
}

/** Each listed rep's own targets summed over months, for leaderboards. */
export async function listUserTargets(db: DbExecutor, userIds: number[] | 'all', months: string[]): Promise<Map<number, TargetTotals>> {
  const rows = await targetRepository.listTargets(db, { months, subjectType: 'user', subjectIds: userIds === 'all' ? undefined : userIds });
  const byUser = new Map<number, TargetTotals>();
  for (const row of rows) {
    const totals = byUser.get(row.subject_id) ?? { contract_amount: null, receipts: null, new_customers: null, visits: null };
    const metric = targetMetricSchema.parse(row.metric);
    totals[metric] = (totals[metric] ?? 0) + row.value;
    byUser.set(row.subject_id, totals);
  }
  return byUser;
}
