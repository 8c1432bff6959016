import type { KpiTable, KpiTableQuery, KpiTableRow } from '@shared/api/kpi.js';
import { attainmentBp, deriveKpiFigures, monthsBetween, targetFigureOf } from '@shared/kpi-rules.js';
import { targetMetricSchema } from '@shared/api/target.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { loadTargetBook, type TargetTotals } from '../target/target.service.js';
import { collectKpiFacts, sumOwners } from './kpi.facts.js';
import { resolveKpiPeriod } from './kpi.period.js';
import * as kpiRepository from './kpi.repository.js';
import type { KpiMoment } from './kpi.service.js';
import { rangeOf, visitedPairs } from './kpi.sources.js';
import { coveredPairs, planRollupRead } from './kpi.rollups.js';
import { resolveSubject } from './kpi.subject.js';
import { chineseCollator, indexTargetBook } from './kpi.targets.js';

const noTargets = (): TargetTotals => ({ contract_amount: null, receipts: null, new_customers: null, visits: null });

/**
 * The KPI table of the caller's scope: one row per rep (or per team, each rep counted in their main
 * department), plus the total of the whole scope. A rep gets their own row only.
 */
export async function getKpiTable(db: DbExecutor, actor: Actor, query: KpiTableQuery, moment: KpiMoment): Promise<KpiTable> {
  const scope = await resolveSubject(db, actor, { type: 'org' });
  const period = resolveKpiPeriod(query, moment.today, moment.timeZone);
  const asOfDate = period.to < moment.today ? period.to : moment.today;
  const months = monthsBetween(period.from, period.to);
  const range = rangeOf(period.buckets);
  const facts = await collectKpiFacts(db, { businessOwners: scope.businessOwners, moneyOwners: scope.moneyOwners, range, asOfDate, overdue: 'byOwner', coveredByOwner: true });

  const reps = await kpiRepository.listRepIds(db);
  const visibleReps = (scope.businessOwners ?? [...reps]).filter((id) => reps.has(id) || id === actor.id);
  const users = await kpiRepository.listUsersWithMainDepartment(db, visibleReps);

  let rows: KpiTableRow[];
  const teamIds = [...new Set(visibleReps.map((id) => users.get(id)?.departmentId).filter((id): id is number => typeof id === 'number'))];
  const targets = indexTargetBook(await loadTargetBook(db, months, { userIds: visibleReps, departmentIds: query.groupBy === 'team' ? teamIds : [] }));
  if (query.groupBy === 'rep') {
    rows = visibleReps.map((userId) => {
      const user = users.get(userId);
      const figures = deriveKpiFigures(sumOwners(facts, [userId]));
      const rowTargets = targets.userTargets(userId);
      return { subjectType: 'user', subjectId: userId, name: user?.name ?? '', groupName: user?.departmentName ?? null, figures, targets: rowTargets, attainment: attainmentOf(figures, rowTargets) };
    });
  } else {
    const teams = new Map<number, { name: string; members: number[] }>();
    for (const userId of visibleReps) {
      const user = users.get(userId);
      if (!user?.departmentId) continue;
      const team = teams.get(user.departmentId) ?? { name: user.departmentName ?? '', members: [] };
      team.members.push(userId);
      teams.set(user.departmentId, team);
    }
    rows = [];
    // One read of who visited whom, then distinct customers per team in memory, instead of a query per team.
    const plan = planRollupRead(range);
    const pairs = plan ? await coveredPairs(db, scope.businessOwners, plan) : await visitedPairs(db, scope.businessOwners, range);
    for (const [departmentId, team] of teams) {
      const counts = sumOwners(facts, team.members);
      // Distinct customers do not add up across reps: count them for the team as a whole.
      const members = new Set(team.members);
      counts.customersCovered = new Set(pairs.filter((pair) => members.has(pair.ownerId)).map((pair) => pair.customerId)).size;
      const figures = deriveKpiFigures(counts);
      const teamTargets = targets.departmentTargets(departmentId, team.members);
      rows.push({ subjectType: 'department', subjectId: departmentId, name: team.name, groupName: null, figures, targets: teamTargets, attainment: attainmentOf(figures, teamTargets) });
    }
  }

  rows.sort((a, b) => chineseCollator.compare(a.groupName ?? '', b.groupName ?? '') || b.figures.receiptsFen - a.figures.receiptsFen);
  return { period: { preset: period.preset, from: period.from, to: period.to, label: period.label }, groupBy: query.groupBy, rows, total: deriveKpiFigures(facts.total) };
}

function attainmentOf(figures: KpiTableRow['figures'], targets: TargetTotals): TargetTotals {
  const result = noTargets();
  for (const metric of targetMetricSchema.options) result[metric] = attainmentBp(figures[targetFigureOf[metric]], targets[metric]);
  return result;
}
