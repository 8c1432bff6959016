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

const noTargets = (): TargetTotals => ({ contract_amount: null, receipts: null, new_customers: null, visits: null });

/** Targets of some months for some subjects, read once and combined in memory for many rows. */
export interface TargetBook {
  records: targetRepository.TargetRecord[];
}

/** Reads the targets of the months for the given reps and departments ('all' reads every one). */
export async function loadTargetBook(db: DbExecutor, months: string[], subjects: { userIds: number[] | 'all'; departmentIds: number[] | 'all' }): Promise<TargetBook> {
  const [users, departments] = await Promise.all([
    targetRepository.listTargets(db, { months, subjectType: 'user', subjectIds: subjects.userIds === 'all' ? undefined : subjects.userIds }),
    targetRepository.listTargets(db, { months, subjectType: 'department', subjectIds: subjects.departmentIds === 'all' ? undefined : subjects.departmentIds }),
  ]);
  return { records: [...users, ...departments] };
}

/** A rep's own targets over the months of the book (or the months given). */
export function userTargetsFrom(book: TargetBook, userId: number, months?: readonly string[]): TargetTotals {
  const totals = noTargets();
  for (const record of book.records) {
    if (record.subject_type !== 'user' || record.subject_id !== userId || (months && !months.includes(record.month))) continue;
    const metric = targetMetricSchema.parse(record.metric);
    totals[metric] = (totals[metric] ?? 0) + record.value;
  }
  return totals;
}

/**
 * A department's targets: for each month and metric its own target when set, else the sum of its reps'
 * targets. Null when nothing is set in any month.
 */
export function departmentTargetsFrom(book: TargetBook, departmentId: number, memberIds: readonly number[], months?: readonly string[]): TargetTotals {
  const totals = noTargets();
  const members = new Set(memberIds);
  const inMonths = (month: string) => !months || months.includes(month);
  const own = book.records.filter((record) => record.subject_type === 'department' && record.subject_id === departmentId && inMonths(record.month));
  const covered = new Set(own.map((record) => `${record.month}:${record.metric}`));
  const add = (record: targetRepository.TargetRecord) => {
    const metric = targetMetricSchema.parse(record.metric);
    totals[metric] = (totals[metric] ?? 0) + record.value;
  };
  for (const record of own) add(record);
  for (const record of book.records) {
    if (record.subject_type === 'user' && members.has(record.subject_id) && inMonths(record.month) && !covered.has(`${record.month}:${record.metric}`)) add(record);
  }
  return totals;
}

/** Targets of one rep, or of one department (own target, else its reps' summed), over the months. */
export async function sumTargets(db: DbExecutor, subject: { kind: 'user'; userId: number } | { kind: 'department'; departmentId: number; memberIds: number[] }, months: string[]): Promise<TargetTotals> {
  if (subject.kind === 'user') return userTargetsFrom(await loadTargetBook(db, months, { userIds: [subject.userId], departmentIds: [] }), subject.userId);
  const book = await loadTargetBook(db, months, { userIds: subject.memberIds, departmentIds: [subject.departmentId] });
  return departmentTargetsFrom(book, subject.departmentId, subject.memberIds);
}

/** Each listed rep's own targets summed over months, for leaderboards. */
export async function listUserTargets(db: DbExecutor, userIds: number[] | 'all', months: string[]): Promise<Map<number, TargetTotals>> {
  const book = await loadTargetBook(db, months, { userIds, departmentIds: [] });
  const byUser = new Map<number, TargetTotals>();
  for (const userId of new Set(book.records.map((record) => record.subject_id))) byUser.set(userId, userTargetsFrom(book, userId));
  return byUser;
}

/**
 * A department's targets per month: its own target for a month and metric when set, else the sum of its
 * reps' targets. Reads two small grouped results, for trends of a whole organisation.
 */
export async function departmentTargetsByMonth(db: DbExecutor, departmentId: number, memberIds: number[], months: string[]): Promise<Map<string, TargetTotals>> {
  const [own, members] = await Promise.all([
    targetRepository.listTargets(db, { months, subjectType: 'department', subjectIds: [departmentId] }),
    targetRepository.sumUserTargetsByMonth(db, memberIds, months),
  ]);
  const byMonth = new Map(months.map((month) => [month, noTargets()]));
  for (const row of members) byMonth.get(row.month)![targetMetricSchema.parse(row.metric)] = Number(row.value);
  for (const row of own) byMonth.get(row.month)![targetMetricSchema.parse(row.metric)] = row.value;
  return byMonth;
}
