import type { Workbench, WorkbenchItem } from '@shared/api/workbench.js';
import { formatYuan } from '@shared/money.js';
import type { Logger } from 'pino';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import { resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { listPendingTasksForUser } from '../approval/approval.service.js';
import { listCollaborationRequests, listUpcomingPoolReturns } from '../customer/customer.service.js';
import { listOpportunities } from '../opportunity/opportunity.service.js';
import { countOverdueTasksOfOthers, listOverdueMilestones } from '../project/project-plan.repository.js';
import { countTasksDue } from '../project/project-plan.service.js';
import { agingTotals } from '../receivable/payment-plan.service.js';
import { listDueFollowUps } from '../visit/visit-query.service.js';
import { listVisitPlans } from '../visit/visit-plan.service.js';

export interface WorkbenchContext {
  db: DbExecutor;
  logger: Logger;
  now: Date;
  timeZone: string;
}

type ItemReader = (context: WorkbenchContext, actor: Actor, today: string) => Promise<Omit<WorkbenchItem, 'key' | 'title' | 'link'>>;

interface ItemSource {
  key: WorkbenchItem['key'];
  title: string;
  link: string;
  read: ItemReader;
  /** Users the item concerns; every user when absent. */
  appliesTo?: (actor: Actor) => boolean;
}

/** Only reps and managers own customers (claims and transfers go to them), so only they get owner items. */
const ownsCustomers = (actor: Actor) => hasRole(actor, 'rep', 'manager');

const plain = (count: number, hint: string | null = null, tone: WorkbenchItem['tone'] = 'normal') => ({ count, amountFen: null, hint, tone });

/**
 * The rep's day on one screen, each figure read through the owning module's service with the actor's
 * own scope. A source that fails is logged and shown without a number, so one broken module does not
 * blank the workbench.
 */
const sources: ItemSource[] = [
  {
    key: 'approvals',
    title: '待我审批',
    link: '/approvals',
    read: async ({ db }, actor) => {
      const pending = await listPendingTasksForUser(db, actor.id, 1);
      const first = pending.items[0];
      return plain(pending.total, first ? first.title : null);
    },
  },
  {
    key: 'plannedVisits',
    title: '今日计划拜访',
    link: '/visits/plans',
    read: async ({ db }, actor, today) => {
      const plans = (await listVisitPlans(db, actor, { from: today, to: today, ownerId: actor.id })).filter((plan) => plan.status === 'planned');
      return plain(plans.length, plans[0] ? plans.map((plan) => plan.customerName).slice(0, 3).join('、') : null);
    },
  },
  {
    key: 'followUps',
    title: '待跟进',
    link: '/visits?tab=follow-ups',
    read: async ({ db, now, timeZone }, actor) => {
      const followUps = await listDueFollowUps(db, actor, now, timeZone);
      const overdue = followUps.filter((followUp) => followUp.overdue).length;
      return plain(followUps.length, overdue > 0 ? `其中 ${overdue} 条已过期` : null, overdue > 0 ? 'alert' : 'normal');
    },
  },
  {
    key: 'overdueReceivables',
    title: '逾期回款',
    link: '/receivables?bucket=overdue',
    read: async ({ db }, actor, today) => {
      const aging = await agingTotals(db, await resolveScope(db, actor, 'money'), today);
      return { count: aging.overdueCount, amountFen: aging.overdueFen, hint: aging.overdueFen > 0 ? `合计 ${formatYuan(aging.overdueFen)}` : null, tone: aging.overdueCount > 0 ? 'alert' : 'normal' };
    },
  },
  {
    key: 'staleOpportunities',
    title: '停滞商机',
    link: '/opportunities',
    read: async ({ db, now }, actor) => {
      const page = await listOpportunities(db, actor, { status: 'open', stale: true, ownerId: actor.id, sort: 'updated_at', limit: 1, offset: 0 }, now);
      return plain(page.total, page.items[0] ? page.items[0].name : null, page.total > 0 ? 'alert' : 'normal');
    },
  },
  {
    key: 'projectTasks',
    title: '项目任务',
    link: '/projects/tasks',
    // The user's own tasks due today or late, plus what is late in the projects they own: milestones,
    // and tasks of other members.
    read: async ({ db }, actor, today) => {
      const [tasks, milestones, othersLate] = await Promise.all([countTasksDue(db, actor.id, today), listOverdueMilestones(db, today, [actor.id]), countOverdueTasksOfOthers(db, actor.id, today)]);
      const late = [milestones.length > 0 ? `${milestones.length} 个里程碑` : '', othersLate > 0 ? `成员 ${othersLate} 个任务` : ''].filter(Boolean).join('、');
      return plain(tasks + milestones.length + othersLate, late ? `${late}已逾期` : null, late ? 'alert' : 'normal');
    },
  },
  {
    key: 'collaborationRequests',
    title: '协作申请',
    link: '/customers/requests',
    appliesTo: ownsCustomers,
    // Requests from colleagues to join customers the user owns, waiting for the user's decision.
    read: async ({ db }, actor) => {
      const pending = await listCollaborationRequests(db, actor, 'incoming', 'pending');
      const first = pending[0];
      return plain(pending.length, first ? `${first.requester.name} 申请协作“${first.customer?.name ?? first.requestedAs}”` : null);
    },
  },
  {
    key: 'poolReturns',
    title: '即将退回公海',
    link: '/customers/returning',
    appliesTo: ownsCustomers,
    read: async ({ db, now, timeZone }, actor) => {
      const upcoming = await listUpcomingPoolReturns(db, actor.id, now, timeZone);
      const first = upcoming.items[0];
      const hint = first ? `${first.customer.name} ${first.daysLeft <= 0 ? '今晚退回' : `${first.daysLeft} 天后退回`}` : null;
      return plain(upcoming.items.length, hint, upcoming.items.length > 0 ? 'alert' : 'normal');
    },
  },
];

export async function getWorkbench(context: WorkbenchContext, actor: Actor): Promise<Workbench> {
  const today = localDate(context.now, context.timeZone);
  const items: WorkbenchItem[] = [];
  for (const source of sources) {
    if (source.appliesTo && !source.appliesTo(actor)) continue;
    try {
      items.push({ key: source.key, title: source.title, link: source.link, ...(await source.read(context, actor, today)) });
    } catch (error) {
      context.logger.error({ err: error, item: source.key, userId: actor.id }, 'workbench item failed');
      items.push({ key: source.key, title: source.title, link: source.link, count: null, amountFen: null, hint: '暂时无法读取，请稍后刷新', tone: 'normal' });
    }
  }
  return { today, items };
}
