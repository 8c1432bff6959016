import type { ProjectCreate, ProjectDetail, ProjectListQuery, ProjectSummary } from '@shared/api/project.js';
import { currentMilestone, defaultMilestoneNames, isOverdue, projectKindLabels, projectMemberRoleLabels, type ProjectKind, type ProjectMemberRole, type ProjectStatus } from '@shared/project-rules.js';
import type { Actor } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { h5Url, loadProjectAccess, type ServiceMoment } from './project.context.js';
import * as planRepository from './project-plan.repository.js';
import * as projectRepository from './project.repository.js';
import { formatProjectNumber } from './project.rules.js';
import { getCustomerForProject, getOpportunityForProject, type CustomerRef } from './project.sources.js';
import { countProjectContents, insertLink } from './project-document.repository.js';
import { saveSubscription } from './subscription.service.js';

type ProjectRow = projectRepository.ProjectRow;

/** Creates a project with its customers, members and milestones (the kind's defaults unless given). */
export async function createProject(db: Db, actor: Actor, input: ProjectCreate, moment: ServiceMoment): Promise<ProjectDetail> {
  const ownerId = input.ownerId ?? actor.id;
  await assertOwnerAllowed(db, actor, ownerId);

  const opportunity = input.opportunityId ? await getOpportunityForProject(db, actor, input.opportunityId) : null;
  const customerIds = [...new Set([...(opportunity ? [opportunity.customerId] : []), ...input.customerIds, ...(input.subscription ? [input.subscription.schoolCustomerId] : [])])];
  const customers = await loadCustomers(db, actor, customerIds);
  const members = await checkMembers(db, input.members, ownerId);
  const assignable = new Set([ownerId, ...members.map((member) => member.userId)]);
  const milestones = (input.milestones ?? defaultMilestoneNames[input.kind].map((name) => ({ name, dueDate: null, assigneeId: null }))).map((milestone, index) => {
    if (milestone.assigneeId !== null && !assignable.has(milestone.assigneeId)) {
      throw badRequest('assignee_not_member', `里程碑「${milestone.name}」的负责人不是项目成员：请先把他加入项目成员`);
    }
    return { seq: index + 1, ...milestone };
  });

  const projectId = await db.transaction().execute(async (trx) => {
    const now = moment.now.toISOString();
    const number = await nextProjectNumber(trx, moment.today);
    const id = await projectRepository.insertProject(trx, {
      number,
      kind: input.kind,
      name: input.name,
      ownerId,
      opportunityId: opportunity?.id ?? null,
      budgetFen: input.budgetFen,
      startDate: input.startDate,
      endDate: input.endDate,
      description: input.description,
      createdBy: actor.id,
      now,
    });

    await projectRepository.replaceProjectCustomers(trx, id, primaryFirst(customers, input.subscription?.schoolCustomerId ?? opportunity?.customerId));
    for (const member of members) {
      await projectRepository.upsertMember(trx, { projectId: id, userId: member.userId, role: member.role, addedBy: actor.id, now });
      await noticeMemberAdded(trx, { projectId: id, projectName: input.name, kind: input.kind, userId: member.userId, role: member.role, addedBy: actor.name, moment });
    }
    await planRepository.insertMilestones(trx, id, milestones, now);
    if (opportunity) {
      await insertLink(trx, { projectId: id, refType: 'opportunity', refId: opportunity.id, title: opportunity.name, occurredAt: now, linkedBy: actor.id, now });
    }
    if (input.subscription) {
      const school = customers.find((customer) => customer.id === input.subscription!.schoolCustomerId)!;
      await saveSubscription(trx, id, { ...input.subscription, schoolName: school.name });
    }

    await appendAudit(trx, { actorUserId: actor.id, action: 'project.create', entityType: 'project', entityId: id, data: { number, kind: input.kind, ownerId, budgetFen: input.budgetFen }, occurredAt: moment.now });
    return id;
  });

  return getProjectDetail(db, actor, projectId, moment);
}

export async function listVisibleProjects(db: DbExecutor, actor: Actor, query: ProjectListQuery, moment: ServiceMoment): Promise<{ items: ProjectSummary[]; total: number }> {
  const scope = await resolveScope(db, actor, 'business');
  const { rows, total } = await projectRepository.listProjects(db, {
    scope,
    actorId: actor.id,
    mine: query.scope === 'mine',
    q: query.q,
    kind: query.kind,
    status: query.status,
    ownerId: query.ownerId,
    limit: query.limit,
    offset: query.offset,
  });
  return { items: await toProjectSummaries(db, rows, moment.today), total };
}

export async function getProjectDetail(db: DbExecutor, actor: Actor, projectId: number, moment: ServiceMoment): Promise<ProjectDetail> {
  const access = await loadProjectAccess(db, actor, projectId);
  const [summary] = await toProjectSummaries(db, [access.project], moment.today);
  const [customers, members, milestones, counts] = await Promise.all([
    projectRepository.listProjectCustomers(db, [projectId]),
    projectRepository.listMembers(db, projectId),
    planRepository.listMilestones(db, [projectId]),
    countProjectContents(db, projectId),
  ]);

  return {
    ...summary!,
    description: access.project.description,
    opportunityId: access.project.opportunity_id,
    customers: customers.map((customer) => ({ id: customer.customer_id, name: customer.customer_name, isPrimary: customer.is_primary === 1 })),
    members: members.map((member) => ({ userId: member.user_id, name: member.name, role: member.role as ProjectMemberRole, addedAt: member.added_at })),
    milestones: milestones.map((milestone) => toMilestone(milestone, moment.today)),
    permissions: { canManage: access.canManage, canContribute: access.canContribute },
    counts,
    closure: await closureOf(db, access.project),
    createdAt: access.project.created_at,
  };
}

async function closureOf(db: DbExecutor, project: ProjectRow): Promise<ProjectDetail['closure']> {
  if (project.status === 'active' || project.closed_at === null) return null;
  const by = project.closed_by !== null ? { id: project.closed_by, name: (await projectRepository.findUserName(db, project.closed_by)) ?? '' } : null;
  return { reason: project.closed_reason ?? '', at: project.closed_at, by };
}

// ---- Members ----

export async function listProjectMembers(db: DbExecutor, actor: Actor, projectId: number) {
  await loadProjectAccess(db, actor, projectId);
  const members = await projectRepository.listMembers(db, projectId);
  return members.map((member) => ({ userId: member.user_id, name: member.name, role: member.role as ProjectMemberRole, addedAt: member.added_at }));
}

/** Adds a member or changes their role. A new member gets one work notification. */
export async function addProjectMember(db: Db, actor: Actor, projectId: number, input: { userId: number; role: ProjectMemberRole }, moment: ServiceMoment) {
  const { project } = await loadProjectAccess(db, actor, projectId, 'manage');
  if (input.userId === project.owner_id) throw badRequest('owner_is_member', '项目负责人已可查看和管理项目，无需再添加为成员');
  const [user] = await projectRepository.findActiveUsers(db, [input.userId]);
  if (!user) throw notFound('用户');

  await db.transaction().execute(async (trx) => {
    const previous = (await projectRepository.listMembers(trx, projectId)).find((member) => member.user_id === input.userId);
    if (previous?.role === input.role) return;
    await projectRepository.upsertMember(trx, { projectId, userId: input.userId, role: input.role, addedBy: actor.id, now: moment.now.toISOString() });
    await projectRepository.touchProject(trx, projectId, moment.now.toISOString());
    await appendAudit(trx, { actorUserId: actor.id, action: previous ? 'project.member_role' : 'project.member_add', entityType: 'project', entityId: projectId, data: { userId: input.userId, role: input.role, previousRole: previous?.role ?? null }, occurredAt: moment.now });
    if (!previous) {
      await noticeMemberAdded(trx, { projectId, projectName: project.name, kind: project.kind as ProjectKind, userId: input.userId, role: input.role, addedBy: actor.name, moment });
    }
  });
  return listProjectMembers(db, actor, projectId);
}

/** Removes a member. Their open tasks stay and keep their assignee, so the owner sees what to reassign. */
export async function removeProjectMember(db: Db, actor: Actor, projectId: number, userId: number, moment: ServiceMoment) {
  await loadProjectAccess(db, actor, projectId, 'manage');
  await db.transaction().execute(async (trx) => {
    const removed = await projectRepository.deleteMember(trx, projectId, userId);
    if (removed === 0) throw notFound('项目成员');
    await projectRepository.touchProject(trx, projectId, moment.now.toISOString());
    await appendAudit(trx, { actorUserId: actor.id, action: 'project.member_remove', entityType: 'project', entityId: projectId, data: { userId }, occurredAt: moment.now });
  });
  return listProjectMembers(db, actor, projectId);
}

// ---- Helpers ----

export async function assertOwnerAllowed(db: DbExecutor, actor: Actor, ownerId: number): Promise<void> {
  const [owner] = await projectRepository.findActiveUsers(db, [ownerId]);
  if (!owner) throw badRequest('owner_not_found', `负责人（用户 ${ownerId}）不存在或已离职：请选择在职的业务员`);
  if (ownerId === actor.id) return;

  const scope = await resolveScope(db, actor, 'business');
  if (!isInScope(scope, ownerId)) throw badRequest('owner_out_of_scope', `不能把项目交给 ${owner.name}：只能选择您所管理部门的成员作为负责人`);
}

/**
 * Customers the actor may see, with their names. Customers already on the project stay allowed even if
 * the actor cannot see them (a member keeps the list the owner made).
 */
export async function loadCustomers(db: DbExecutor, actor: Actor, customerIds: number[], projectId?: number): Promise<CustomerRef[]> {
  const existing = projectId ? await projectRepository.listProjectCustomers(db, [projectId]) : [];
  const known = new Map(existing.map((row) => [row.customer_id, row.customer_name]));
  const customers: CustomerRef[] = [];
  for (const customerId of [...new Set(customerIds)]) {
    const name = known.get(customerId);
    customers.push(name !== undefined ? { id: customerId, name, type: 'unknown' } : await getCustomerForProject(db, actor, customerId));
  }
  return customers;
}

async function checkMembers(db: DbExecutor, members: { userId: number; role: ProjectMemberRole }[], ownerId: number) {
  const unique = [...new Map(members.filter((member) => member.userId !== ownerId).map((member) => [member.userId, member])).values()];
  const active = new Set((await projectRepository.findActiveUsers(db, unique.map((member) => member.userId))).map((user) => user.id));
  const missing = unique.find((member) => !active.has(member.userId));
  if (missing) throw badRequest('member_not_found', `成员（用户 ${missing.userId}）不存在或已离职：请从组织架构中重新选择`);
  return unique;
}

export function primaryFirst(customers: CustomerRef[], primaryId: number | undefined): CustomerRef[] {
  if (primaryId === undefined) return customers;
  return [...customers.filter((customer) => customer.id === primaryId), ...customers.filter((customer) => customer.id !== primaryId)];
}

async function nextProjectNumber(db: DbExecutor, today: string): Promise<string> {
  const year = Number(today.slice(0, 4));
  const count = await projectRepository.countProjectsNumberedInYear(db, year);
  return formatProjectNumber(year, count + 1);
}

export async function noticeMemberAdded(
  db: DbExecutor,
  input: { projectId: number; projectName: string; kind: ProjectKind; userId: number; role: ProjectMemberRole; addedBy: string; moment: ServiceMoment },
): Promise<void> {
  await queueNotice(db, {
    dedupKey: `project:${input.projectId}:member:${input.userId}:${input.moment.now.toISOString()}`,
    recipientUserId: input.userId,
    content: {
      title: '您已加入项目',
      fields: [
        { label: '项目', value: input.projectName },
        { label: '类型', value: projectKindLabels[input.kind] },
        { label: '角色', value: projectMemberRoleLabels[input.role] },
      ],
      text: `${input.addedBy} 把您加入了项目「${input.projectName}」。`,
      url: h5Url(input.moment, `/projects/${input.projectId}`),
      buttonText: '查看项目',
    },
    now: input.moment.now,
  });
}

export function toMilestone(row: planRepository.MilestoneRow, today: string) {
  return {
    id: row.id,
    seq: row.seq,
    name: row.name,
    dueDate: row.due_date,
    doneDate: row.done_date,
    assignee: row.assignee_id !== null ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    overdue: isOverdue(row.due_date, row.done_date !== null, today),
  };
}

async function toProjectSummaries(db: DbExecutor, rows: ProjectRow[], today: string): Promise<ProjectSummary[]> {
  const ids = rows.map((row) => row.id);
  const [customers, milestones, taskCounts] = await Promise.all([
    projectRepository.listProjectCustomers(db, ids),
    planRepository.listMilestones(db, ids),
    planRepository.countTasksByProject(db, ids, today),
  ]);

  return rows.map((row) => {
    const primary = customers.find((customer) => customer.project_id === row.id);
    const own = milestones.filter((milestone) => milestone.project_id === row.id);
    const current = currentMilestone(own.map((milestone) => ({ ...milestone, dueDate: milestone.due_date, doneDate: milestone.done_date })));
    const tasks = taskCounts.find((count) => count.project_id === row.id);
    return {
      id: row.id,
      number: row.number,
      kind: row.kind as ProjectKind,
      name: row.name,
      status: row.status as ProjectStatus,
      owner: { id: row.owner_id, name: row.owner_name },
      primaryCustomer: primary ? { id: primary.customer_id, name: primary.customer_name } : null,
      budgetFen: row.budget_fen,
      startDate: row.start_date,
      endDate: row.end_date,
      currentMilestone: current ? { id: current.id, name: current.name, dueDate: current.due_date, overdue: isOverdue(current.due_date, false, today) } : null,
      milestoneCount: own.length,
      openTasks: Number(tasks?.open_tasks ?? 0),
      overdueTasks: Number(tasks?.overdue_tasks ?? 0),
      updatedAt: row.updated_at,
    };
  });
}
