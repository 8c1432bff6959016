import type { KpiSubject, KpiSubjectType } from '@shared/api/kpi.js';
import type { Actor } from '../../access/actor.js';
import { hasRole, isManager } from '../../access/actor.js';
import { listManagedDepartmentIds, resolveScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { notFound } from '../../http/app-error.js';
import { organisationLabel } from './kpi.labels.js';
import * as kpiRepository from './kpi.repository.js';
import type { OwnerFilter } from './kpi.sources.js';

/**
 * A resolved KPI subject with the owners its figures cover. Business and money figures are filtered
 * separately because the two scopes differ (finance sees every customer's money but only its own
 * business records). Each filter is the subject's members intersected with the caller's scope.
 */
export interface ResolvedSubject {
  subject: KpiSubject;
  /** Users the subject stands for: undefined for the whole organisation. */
  memberIds: number[] | undefined;
  businessOwners: OwnerFilter;
  moneyOwners: OwnerFilter;
  departmentId: number | null;
}

function intersect(scope: DataScope, members: number[] | undefined): OwnerFilter {
  if (scope.kind === 'all') return members;
  if (!members) return scope.userIds;
  const allowed = new Set(scope.userIds);
  return members.filter((id) => allowed.has(id));
}

function canSeeAll(actor: Actor): boolean {
  return hasRole(actor, 'executive', 'admin');
}

/** Picks the subject shown without a choice: everything for executives and finance, the team for managers, the caller otherwise. */
export async function defaultSubject(db: DbExecutor, actor: Actor): Promise<{ type: KpiSubjectType; id?: number }> {
  if (canSeeAll(actor)) return { type: 'org' };
  // Finance may read every customer's money records, so its natural view is the whole scope rather than its own department.
  if (hasRole(actor, 'finance')) return { type: 'org' };
  if (isManager(actor)) {
    const roots = actor.leaderOfDepartmentIds.length > 0 ? actor.leaderOfDepartmentIds : actor.departmentIds;
    if (roots.length === 1) return { type: 'department', id: roots[0]! };
    if (roots.length > 1) return { type: 'org' };
  }
  return { type: 'user', id: actor.id };
}

/**
 * Resolves the requested subject and throws a 404 for one outside the caller's reach. A rep may see only
 * themselves, a manager their managed departments and the reps in them, and executives anything. 'org'
 * means everything the caller may see.
 */
export async function resolveSubject(db: DbExecutor, actor: Actor, requested: { type?: KpiSubjectType; id?: number }): Promise<ResolvedSubject> {
  const wanted = requested.type ? requested : await defaultSubject(db, actor);
  const [business, money] = await Promise.all([resolveScope(db, actor, 'business'), resolveScope(db, actor, 'money')]);

  if (wanted.type === 'org') {
    return { subject: { type: 'org', id: null, name: canSeeAll(actor) ? organisationLabel : '我的范围' }, memberIds: undefined, businessOwners: intersect(business, undefined), moneyOwners: intersect(money, undefined), departmentId: null };
  }

  if (wanted.type === 'user') {
    const userId = wanted.id!;
    if (business.kind === 'users' && !business.userIds.includes(userId)) throw notFound('业务员');
    const user = (await kpiRepository.listUsersWithMainDepartment(db, [userId])).get(userId);
    if (!user) throw notFound('业务员');
    return { subject: { type: 'user', id: userId, name: user.name }, memberIds: [userId], businessOwners: intersect(business, [userId]), moneyOwners: intersect(money, [userId]), departmentId: user.departmentId };
  }

  const departmentId = wanted.id!;
  if (!canSeeAll(actor)) {
    const managed = isManager(actor) ? await listManagedDepartmentIds(db, actor) : [];
    if (!managed.includes(departmentId)) throw notFound('部门');
  }
  const department = await kpiRepository.findDepartment(db, departmentId);
  if (!department) throw notFound('部门');
  const members = await kpiRepository.listSubtreeMemberIds(db, department.path);
  return {
    subject: { type: 'department', id: department.id, name: department.name },
    memberIds: members,
    businessOwners: intersect(business, members),
    moneyOwners: intersect(money, members),
    departmentId: department.id,
  };
}

/** Subjects the caller may switch the dashboard to: organisation, managed departments, reps in scope. */
export async function listSubjectChoices(db: DbExecutor, actor: Actor): Promise<KpiSubject[]> {
  const choices: KpiSubject[] = [];
  const reps = await kpiRepository.listRepIds(db);

  if (canSeeAll(actor)) {
    choices.push({ type: 'org', id: null, name: organisationLabel });
    // One read of all memberships instead of a subtree query per department: a large house has hundreds.
    const repPaths = (await kpiRepository.listMembershipPaths(db)).filter((row) => reps.has(row.user_id)).map((row) => row.path);
    for (const department of await kpiRepository.listAllDepartments(db)) {
      if (department.parent_id === null) continue;
      if (repPaths.some((path) => path.startsWith(department.path))) choices.push({ type: 'department', id: department.id, name: department.name });
    }
  } else if (isManager(actor)) {
    for (const department of await kpiRepository.listDepartmentsByIds(db, await listManagedDepartmentIds(db, actor))) {
      choices.push({ type: 'department', id: department.id, name: department.name });
    }
  }

  const scope = await resolveScope(db, actor, 'business');
  const users = await kpiRepository.listUsersWithMainDepartment(db, scope.kind === 'all' ? undefined : scope.userIds);
  for (const user of users.values()) {
    if (user.active && (reps.has(user.id) || user.id === actor.id)) choices.push({ type: 'user', id: user.id, name: user.id === actor.id ? `${user.name}（我）` : user.name });
  }
  return choices;
}
