import type { TeamDayFigures, TeamRepRow, TeamView, TeamViewQuery } from '@shared/api/visit.js';
import type { Actor } from '../../access/actor.js';
import { hasRole, isManager } from '../../access/actor.js';
import { resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { forbidden } from '../../http/app-error.js';
import * as teamRepository from './team-view.repository.js';

type Figures = Omit<TeamDayFigures, 'date'>;

const emptyFigures = (): Figures => ({ planned: 0, plannedVisited: 0, visits: 0, customers: 0, flagged: 0 });

/**
 * Plans against actual visits for each rep of the caller's team, per day and in total. The team is the
 * caller's scope: a department leader's subtree, or everyone for executives and admins. Reps without
 * activity in the range still get a row (a rep who visited no one is exactly what a manager looks for).
 */
export async function getTeamView(db: DbExecutor, actor: Actor, query: TeamViewQuery): Promise<TeamView> {
  if (!isManager(actor) && !hasRole(actor, 'executive', 'admin')) throw forbidden('查看团队拜访');

  const scope = await resolveScope(db, actor, 'business');
  const members = await teamRepository.listTeamMembers(db, scope.kind === 'all' ? 'all' : scope.userIds);
  const memberIds = members.map((member) => member.id);

  const [visitDays, flaggedDays, planDays, customersByRep, teamCustomers] = await Promise.all([
    teamRepository.sumVisitsByRepAndDay(db, memberIds, query.from, query.to),
    teamRepository.countFlaggedByRepAndDay(db, memberIds, query.from, query.to),
    teamRepository.sumPlansByRepAndDay(db, memberIds, query.from, query.to),
    teamRepository.countCustomersByRep(db, memberIds, query.from, query.to),
    teamRepository.countTeamCustomers(db, memberIds, query.from, query.to),
  ]);

  const days = new Map<number, Map<string, TeamDayFigures>>();
  const dayOf = (ownerId: number, date: string) => {
    let byDate = days.get(ownerId);
    if (!byDate) days.set(ownerId, (byDate = new Map()));
    let figures = byDate.get(date);
    if (!figures) byDate.set(date, (figures = { date, ...emptyFigures() }));
    return figures;
  };
  for (const row of visitDays) {
    const figures = dayOf(row.owner_id, row.check_in_date);
    figures.visits = Number(row.visits);
    figures.customers = Number(row.customers);
  }
  for (const row of flaggedDays) dayOf(row.owner_id, row.check_in_date).flagged = Number(row.flagged);
  for (const row of planDays) {
    const figures = dayOf(row.owner_id, row.plan_date);
    figures.planned = Number(row.planned);
    figures.plannedVisited = Number(row.visited ?? 0);
  }
  const customers = new Map(customersByRep.map((row) => [row.owner_id, Number(row.customers)]));

  const reps: TeamRepRow[] = members
    .filter((member) => Boolean(member.is_rep) || days.has(member.id))
    .map((member) => {
      const repDays = [...(days.get(member.id)?.values() ?? [])].sort((a, b) => a.date.localeCompare(b.date));
      return { userId: member.id, name: member.name, totals: { ...sumFigures(repDays), customers: customers.get(member.id) ?? 0 }, days: repDays };
    });

  return { from: query.from, to: query.to, reps, totals: { ...sumFigures(reps.map((rep) => rep.totals)), customers: teamCustomers } };
}

function sumFigures(rows: Figures[]): Figures {
  const total = emptyFigures();
  for (const row of rows) {
    total.planned += row.planned;
    total.plannedVisited += row.plannedVisited;
    total.visits += row.visits;
    total.customers += row.customers;
    total.flagged += row.flagged;
  }
  return total;
}
