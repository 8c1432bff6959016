import type { KpiTable, KpiTableQuery, KpiTableRow } from '@shared/api/kpi.js';
import { deriveKpiFigures, monthsBetween } from '@shared/kpi-rules.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { loadTargetBook } from '../target/target.service.js';
import { departmentRowsOf } from './kpi.department-rows.js';
import { collectKpiFacts, sumOwners } from './kpi.facts.js';
import { resolveKpiPeriod } from './kpi.period.js';
import * as kpiRepository from './kpi.repository.js';
import type { KpiMoment } from './kpi.service.js';
import { rangeOf, visitedPairs, type PeriodRange } from './kpi.sources.js';
import { coveredPairs, planRollupRead } from './kpi.rollups.js';
import { defaultSubject, resolveSubject, type ResolvedSubject } from './kpi.subject.js';
import { attainmentOf, chineseCollator, indexTargetBook } from './kpi.targets.js';

/**
 * The KPI table of the caller's scope, or of one department's subtree within it: one row per rep, per
 * team (each rep counted in their main department) or per child department (subtree totals), plus the
 * total of the table's scope. A rep gets their own row only.
 */
export async function getKpiTable(db: DbExecutor, actor: Actor, query: KpiTableQuery, moment: KpiMoment): Promise<KpiTable> {
  const scope = await tableScopeOf(db, actor, query);
  const period = resolveKpiPeriod(query, moment.today, moment.timeZone);
  const asOfDate = period.to < moment.today ? period.to : moment.today;
  const months = monthsBetween(period.from, period.to);
  const range = rangeOf(period.buckets);
  // Team and department rows count distinct customers per group from the visited (owner, customer)
  // pairs. The same pairs give each rep's count, which saves the per-owner query.
  const pairs = query.groupBy === 'rep' ? null : await pairsOf(db, scope, range);
  const facts = await collectKpiFacts(db, { businessOwners: scope.businessOwners, moneyOwners: scope.moneyOwners, range, asOfDate, overdue: 'byOwner', coveredByOwner: pairs === null, today: moment.today });
  if (pairs) {
    for (const [ownerId, customers] of countCustomersPerOwner(pairs)) {
      const counts = facts.byOwner.get(ownerId);
      if (counts) counts.customersCovered = customers;
    }
  }

  let rows: KpiTableRow[];
  if (query.groupBy === 'department') {
    rows = await departmentRowsOf(db, { parentId: scope.departmentId, scope, facts, pairs: pairs!, months });
  } else {
    rows = await repOrTeamRows(db, actor, query.groupBy, scope, facts, pairs ?? [], months);
    rows.sort((a, b) => chineseCollator.compare(a.groupName ?? '', b.groupName ?? '') || b.figures.receiptsFen - a.figures.receiptsFen);
  }

  const department = scope.subject.type === 'department' ? { id: scope.subject.id!, name: scope.subject.name } : null;
  return { period: { preset: period.preset, from: period.from, to: period.to, label: period.label }, groupBy: query.groupBy, department, rows, total: deriveKpiFigures(facts.total) };
}

/**
 * Resolves whose records the table covers: the requested department's subtree, or else the caller's
 * whole scope. Department rows without a requested department open at the caller's default department
 * (a manager's team), or at the root department for everyone else.
 */
async function tableScopeOf(db: DbExecutor, actor: Actor, query: KpiTableQuery): Promise<ResolvedSubject> {
  if (query.departmentId) return resolveSubject(db, actor, { type: 'department', id: query.departmentId });
  if (query.groupBy === 'department') {
    const preferred = await defaultSubject(db, actor);
    if (preferred.type === 'department') return resolveSubject(db, actor, preferred);
  }
  return resolveSubject(db, actor, { type: 'org' });
}

type VisitedPair = { ownerId: number; customerId: number };

function countCustomersPerOwner(pairs: VisitedPair[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const pair of pairs) counts.set(pair.ownerId, (counts.get(pair.ownerId) ?? 0) + 1);
  return counts;
}

/** Distinct (owner, customer) pairs visited in the period, to count covered customers of any group of owners in memory. */
async function pairsOf(db: DbExecutor, scope: ResolvedSubject, range: PeriodRange) {
  const plan = planRollupRead(range);
  return plan ? coveredPairs(db, scope.businessOwners, plan) : visitedPairs(db, scope.businessOwners, range);
}

async function repOrTeamRows(
  db: DbExecutor,
  actor: Actor,
  groupBy: 'rep' | 'team',
  scope: ResolvedSubject,
  facts: Awaited<ReturnType<typeof collectKpiFacts>>,
  pairs: VisitedPair[],
  months: string[],
): Promise<KpiTableRow[]> {
  const reps = await kpiRepository.listRepIds(db);
  const visibleReps = (scope.businessOwners ?? [...reps]).filter((id) => reps.has(id) || id === actor.id);
  const users = await kpiRepository.listUsersWithMainDepartment(db, visibleReps);
  const teamIds = [...new Set(visibleReps.map((id) => users.get(id)?.departmentId).filter((id): id is number => typeof id === 'number'))];
  const targets = indexTargetBook(await loadTargetBook(db, months, { userIds: visibleReps, departmentIds: groupBy === 'team' ? teamIds : [] }));

  if (groupBy === 'rep') {
    return visibleReps.map((userId) => {
      const user = users.get(userId);
      const figures = deriveKpiFigures(sumOwners(facts, [userId]));
      const rowTargets = targets.userTargets(userId);
      return { subjectType: 'user', subjectId: userId, name: user?.name ?? '', groupName: user?.departmentName ?? null, figures, targets: rowTargets, attainment: attainmentOf(figures, rowTargets) };
    });
  }

  const teams = new Map<number, { name: string; members: number[] }>();
  for (const userId of visibleReps) {
    const user = users.get(userId);
    if (!user?.departmentId) continue;
    const team = teams.get(user.departmentId) ?? { name: user.departmentName ?? '', members: [] };
    team.members.push(userId);
    teams.set(user.departmentId, team);
  }
  const rows: KpiTableRow[] = [];
  // One read of who visited whom, then distinct customers per team in memory, instead of a query per team.
  for (const [departmentId, team] of teams) {
    const counts = sumOwners(facts, team.members);
    // Distinct customers do not add up across reps: count them for the team as a whole.
    const members = new Set(team.members);
    counts.customersCovered = new Set(pairs.filter((pair) => members.has(pair.ownerId)).map((pair) => pair.customerId)).size;
    const figures = deriveKpiFigures(counts);
    const teamTargets = targets.departmentTargets(departmentId, team.members);
    rows.push({ subjectType: 'department', subjectId: departmentId, name: team.name, groupName: null, figures, targets: teamTargets, attainment: attainmentOf(figures, teamTargets) });
  }
  return rows;
}
