import type { ProjectDetail, ProjectUpdate, SubscriptionInput } from '@shared/api/project.js';
import { defaultMilestoneNames, projectKindLabels, projectStatusLabels, type ProjectKind, type ProjectStatus } from '@shared/project-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import * as libraryRepository from './library-supply.repository.js';
import { h5Url, loadProjectAccess, type ServiceMoment } from './project.context.js';
import * as planRepository from './project-plan.repository.js';
import * as projectRepository from './project.repository.js';
import { kindChangeBlocker, milestonesAreUntouchedDefaults } from './project.rules.js';
import { assertOwnerAllowed, getProjectDetail, loadCustomers, primaryFirst } from './project.service.js';
import type { CustomerRef } from './project.sources.js';
import * as subscriptionRepository from './subscription.repository.js';
import { saveSubscription } from './subscription.service.js';

type ProjectRow = projectRepository.ProjectRow;

/**
 * Changes a project's name, kind, status, budget, dates, customers or owner, as the owner or the owner's
 * managers. A new owner must be inside the actor's scope. The previous owner stays on as a member, so they
 * keep seeing the project and their tasks. Completing or cancelling records the reason, and reopening
 * clears it. Each change of owner, budget, kind or status is audited in the same transaction.
 */
export async function updateProjectDetails(db: Db, actor: Actor, projectId: number, changes: ProjectUpdate, moment: ServiceMoment): Promise<ProjectDetail> {
  const { project } = await loadProjectAccess(db, actor, projectId, 'manage');
  const startDate = changes.startDate !== undefined ? changes.startDate : project.start_date;
  const endDate = changes.endDate !== undefined ? changes.endDate : project.end_date;
  if (startDate && endDate && startDate > endDate) throw badRequest('invalid_date_range', `结束日期 ${endDate} 早于开始日期 ${startDate}：请调整其中一个日期`);

  const ownerChanged = changes.ownerId !== undefined && changes.ownerId !== project.owner_id;
  if (ownerChanged) await assertOwnerAllowed(db, actor, changes.ownerId!);
  const kindChange = changes.kind !== undefined && changes.kind !== project.kind ? await checkKindChange(db, project, changes) : null;
  const statusChanged = changes.status !== undefined && changes.status !== project.status;

  const customerIds = changes.customerIds ?? (kindChange?.schoolCustomerId !== undefined ? (await projectRepository.listProjectCustomers(db, [projectId])).map((row) => row.customer_id) : undefined);
  const schoolId = kindChange?.schoolCustomerId;
  let customers = customerIds ? await loadCustomers(db, actor, schoolId !== undefined ? [schoolId, ...customerIds] : customerIds, projectId) : undefined;
  if (customers && schoolId !== undefined) customers = primaryFirst(customers, schoolId);

  await db.transaction().execute(async (trx) => {
    const now = moment.now.toISOString();
    await projectRepository.updateProject(
      trx,
      projectId,
      {
        name: changes.name,
        kind: changes.kind,
        status: changes.status,
        owner_id: changes.ownerId,
        budget_fen: changes.budgetFen,
        start_date: changes.startDate,
        end_date: changes.endDate,
        description: changes.description,
      },
      now,
    );
    if (customers) await projectRepository.replaceProjectCustomers(trx, projectId, customers);
    if (kindChange) await applyKindChange(trx, project, kindChange, customers ?? [], actor, moment);
    if (ownerChanged) await transferOwner(trx, project, changes.ownerId!, changes.name ?? project.name, actor, moment);
    if (statusChanged) await changeStatus(trx, project, changes.status!, changes.reason ?? '', actor, moment);

    if (changes.budgetFen !== undefined && changes.budgetFen !== project.budget_fen) {
      await appendAudit(trx, { actorUserId: actor.id, action: 'project.budget', entityType: 'project', entityId: projectId, data: { from: project.budget_fen, to: changes.budgetFen }, occurredAt: moment.now });
    }
  });

  return getProjectDetail(db, actor, projectId, moment);
}

interface KindChange {
  to: ProjectKind;
  /** School, term and deadlines of a project becoming a 教材征订; the school joins the customers as the primary one. */
  subscription?: SubscriptionInput;
  schoolCustomerId?: number;
  replaceMilestones: boolean;
}

async function checkKindChange(db: DbExecutor, project: ProjectRow, changes: ProjectUpdate): Promise<KindChange> {
  const to = changes.kind!;
  const [summary, holdings, deliveryBatches, subscriptionOrders, milestones] = await Promise.all([
    libraryRepository.summarizeBookList(db, project.id),
    libraryRepository.countHoldings(db, project.id),
    libraryRepository.countDeliveryBatches(db, project.id),
    subscriptionRepository.countOrders(db, project.id),
    planRepository.listMilestones(db, [project.id]),
  ]);
  const blocker = kindChangeBlocker(project.kind, { bookListLines: summary.lines, holdings, deliveryBatches, subscriptionOrders });
  if (blocker) throw conflict('kind_has_data', blocker);
  if (to === 'textbook_subscription' && !changes.subscription) {
    throw badRequest('subscription_required', `改为教材征订项目需要填写学校、学期和征订截止日期`);
  }

  const previousDefaults = defaultMilestoneNames[project.kind as ProjectKind] ?? [];
  const untouched = milestonesAreUntouchedDefaults(
    milestones.map((milestone) => ({ name: milestone.name, doneDate: milestone.done_date, dueDate: milestone.due_date })),
    previousDefaults,
  );
  const subscription = to === 'textbook_subscription' ? changes.subscription : undefined;
  return { to, subscription, schoolCustomerId: subscription?.schoolCustomerId, replaceMilestones: untouched };
}

async function applyKindChange(trx: DbExecutor, project: ProjectRow, change: KindChange, customers: CustomerRef[], actor: Actor, moment: ServiceMoment): Promise<void> {
  const now = moment.now.toISOString();
  if (project.kind === 'textbook_subscription') await subscriptionRepository.deleteSubscription(trx, project.id);
  if (change.replaceMilestones) {
    await planRepository.deleteMilestonesOfProject(trx, project.id);
    const names = defaultMilestoneNames[change.to];
    await planRepository.insertMilestones(trx, project.id, names.map((name, index) => ({ seq: index + 1, name, dueDate: null, assigneeId: null })), now);
  }
  await appendAudit(trx, { actorUserId: actor.id, action: 'project.kind', entityType: 'project', entityId: project.id, data: { from: project.kind, to: change.to, milestonesReplaced: change.replaceMilestones }, occurredAt: moment.now });
  if (!change.subscription) return;

  // The school was loaded with the customers, so it is always among them here.
  const school = customers.find((customer) => customer.id === change.subscription!.schoolCustomerId)!;
  await saveSubscription(trx, project.id, { ...change.subscription, schoolName: school.name });
}

async function transferOwner(trx: DbExecutor, project: ProjectRow, newOwnerId: number, projectName: string, actor: Actor, moment: ServiceMoment): Promise<void> {
  const now = moment.now.toISOString();
  // The owner is never listed as a member; the previous owner becomes one so their view and tasks stay.
  await projectRepository.deleteMember(trx, project.id, newOwnerId);
  if (!(await projectRepository.isProjectMember(trx, project.id, project.owner_id))) {
    await projectRepository.upsertMember(trx, { projectId: project.id, userId: project.owner_id, role: 'sales', addedBy: actor.id, now });
  }
  await appendAudit(trx, { actorUserId: actor.id, action: 'project.transfer', entityType: 'project', entityId: project.id, data: { from: project.owner_id, to: newOwnerId }, occurredAt: moment.now });
  await queueNotice(trx, {
    dedupKey: `project:${project.id}:owner:${newOwnerId}:${now}`,
    recipientUserId: newOwnerId,
    content: {
      title: '您成为项目负责人',
      fields: [
        { label: '项目', value: `${project.number} ${projectName}` },
        { label: '移交人', value: actor.name },
      ],
      text: `${actor.name} 将项目「${projectName}」交给您负责。`,
      url: h5Url(moment, `/projects/${project.id}`),
      buttonText: '查看项目',
    },
    now: moment.now,
  });
}

/** Completes, cancels or reopens the project, records why, and notifies the owner and members other than the actor. */
/** Verb of the notice members receive when the project's status changes to each status. */
const statusVerbs: Record<ProjectStatus, string> = { active: '重新开启', completed: '标记为已完成', cancelled: '取消' };

async function changeStatus(trx: DbExecutor, project: ProjectRow, status: ProjectStatus, reason: string, actor: Actor, moment: ServiceMoment): Promise<void> {
  const now = moment.now.toISOString();
  await projectRepository.setProjectClosure(trx, project.id, status === 'active' ? null : { reason, at: now, by: actor.id });
  await appendAudit(trx, { actorUserId: actor.id, action: 'project.status', entityType: 'project', entityId: project.id, data: { from: project.status, to: status, reason }, occurredAt: moment.now });

  const members = await projectRepository.listMembers(trx, project.id);
  const recipients = [project.owner_id, ...members.map((member) => member.user_id)].filter((userId) => userId !== actor.id);
  const verb = statusVerbs[status];
  for (const userId of new Set(recipients)) {
    await queueNotice(trx, {
      dedupKey: `project:${project.id}:status:${status}:${userId}:${now}`,
      recipientUserId: userId,
      content: {
        title: `项目${projectStatusLabels[status]}`,
        fields: [
          { label: '项目', value: `${project.number} ${project.name}` },
          { label: '类型', value: projectKindLabels[project.kind as ProjectKind] ?? project.kind },
          ...(reason ? [{ label: '原因', value: reason }] : []),
        ],
        text: `${actor.name} 将项目「${project.name}」${verb}。`,
        url: h5Url(moment, `/projects/${project.id}`),
        buttonText: '查看项目',
      },
      now: moment.now,
    });
  }
}
