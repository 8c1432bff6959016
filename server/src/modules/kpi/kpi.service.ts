import type { Dashboard, KpiQuery, KpiSummary, LeaderboardRow, TrendPoint } from '@shared/api/kpi.js';
import { attainmentBp, deriveKpiFigures, monthsBetween, targetFigureOf, type KpiCounts } from '@shared/kpi-rules.js';
import { targetMetricSchema } from '@shared/api/target.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { listFunnel } from '../opportunity/opportunity.funnel.js';
import { listUserTargets, sumTargets, type TargetTotals } from '../target/target.service.js';
import { collectKpiFacts, sumOwners, type KpiFacts } from './kpi.facts.js';
import { kpiLinks } from './kpi.links.js';
import { resolveKpiPeriod, trailingMonths, type KpiPeriod } from './kpi.period.js';
import * as kpiRepository from './kpi.repository.js';
import { agingOf, contractsByOwnerMonth, receiptsByMonth, returnsByOwnerMonth } from './kpi.sources.js';
import { listSubjectChoices, resolveSubject, type ResolvedSubject } from './kpi.subject.js';

export interface KpiMoment {
  now: Date;
  today: string;
  timeZone: string;
}

/** Months of trend shown on the dashboard. */
const trendMonths = 12;
/** Rows per leaderboard. */
const leaderboardSize = 20;

/** KPI figures, targets and attainment of one subject for one period, computed from the records in the caller's scope. */
export async function getKpiSummary(db: DbExecutor, actor: Actor, query: KpiQuery, moment: KpiMoment): Promise<KpiSummary> {
  const resolved = await resolveSubject(db, actor, { type: query.subjectType, id: query.subjectId });
  const period = resolveKpiPeriod(query, moment.today, moment.timeZone);
  const asOfDate = period.to < moment.today ? period.to : moment.today;
  const facts = await collectKpiFacts(db, { businessOwners: resolved.businessOwners, moneyOwners: resolved.moneyOwners, buckets: period.buckets, asOfDate });
  return summaryOf(db, resolved, period, asOfDate, facts.total);
}

async function summaryOf(db: DbExecutor, resolved: ResolvedSubject, period: KpiPeriod, asOfDate: string, counts: KpiCounts): Promise<KpiSummary> {
  const figures = deriveKpiFigures(counts);
  const targets = await targetsOf(db, resolved, monthsBetween(period.from, period.to));
  return {
    subject: resolved.subject,
    period: { preset: period.preset, from: period.from, to: period.to, label: period.label },
    asOfDate,
    figures,
    targets,
    attainment: attainmentOf(figures, targets),
    links: kpiLinks({ from: period.from, to: period.to, asOfDate, ownerId: resolved.subject.type === 'user' ? resolved.subject.id! : undefined, departmentId: resolved.subject.type === 'department' ? resolved.subject.id! : undefined }),
  };
}

function attainmentOf(figures: ReturnType<typeof deriveKpiFigures>, targets: TargetTotals): KpiSummary['attainment'] {
  const result = { contract_amount: null, receipts: null, new_customers: null, visits: null } as KpiSummary['attainment'];
  for (const metric of targetMetricSchema.options) result[metric] = attainmentBp(figures[targetFigureOf[metric]], targets[metric]);
  return result;
}

/** Targets of the subject: a rep's own; a department's (or its reps' summed); the organisation's root department. */
async function targetsOf(db: DbExecutor, resolved: ResolvedSubject, months: string[]): Promise<TargetTotals> {
  if (resolved.subject.type === 'user') return sumTargets(db, { kind: 'user', userId: resolved.subject.id! }, months);
  if (resolved.subject.type === 'department') return sumTargets(db, { kind: 'department', departmentId: resolved.subject.id!, memberIds: resolved.memberIds ?? [] }, months);
  if (resolved.subject.name === '我的范围') return { contract_amount: null, receipts: null, new_customers: null, visits: null };
  const root = (await kpiRepository.listAllDepartments(db)).find((department) => department.parent_id === null);
  if (!root) return { contract_amount: null, receipts: null, new_customers: null, visits: null };
  return sumTargets(db, { kind: 'department', departmentId: root.id, memberIds: [...(await kpiRepository.listRepIds(db))] }, months);
}

/**
 * Everything the 数据看板 shows in one response: the KPI summary of the period, the funnel, twelve months
 * of receipts and signed contracts, receivables aging, and the rep and team leaderboards of the period.
 */
export async function getDashboard(db: DbExecutor, actor: Actor, query: KpiQuery, moment: KpiMoment): Promise<Dashboard> {
  const resolved = await resolveSubject(db, actor, { type: query.subjectType, id: query.subjectId });
  const period = resolveKpiPeriod(query, moment.today, moment.timeZone);
  const asOfDate = period.to < moment.today ? period.to : moment.today;

  const facts = await collectKpiFacts(db, { businessOwners: resolved.businessOwners, moneyOwners: resolved.moneyOwners, buckets: period.buckets, asOfDate });
  const summary = await summaryOf(db, resolved, period, asOfDate, facts.total);
  const funnel = await listFunnel(
    db,
    actor,
    { from: period.from, to: period.to, ownerId: resolved.subject.type === 'user' ? resolved.subject.id! : undefined, departmentId: resolved.subject.type === 'department' ? resolved.subject.id! : undefined },
    moment.now,
  );
  const trend = await trendOf(db, resolved, moment);
  const aging = await agingOf(db, resolved.moneyOwners, moment.today);
  const leaderboard = await leaderboardOf(db, resolved, facts, monthsBetween(period.from, period.to));
  const subjects = await listSubjectChoices(db, actor);

  return { summary, funnel, trend, aging, leaderboard, subjects };
}

/** Receipts, returns and signed contract amount per month for the trailing twelve months, with the receipts target. */
async function trendOf(db: DbExecutor, resolved: ResolvedSubject, moment: KpiMoment): Promise<TrendPoint[]> {
  const buckets = trailingMonths(moment.today, trendMonths, moment.timeZone);
  const receipts = await receiptsByMonth(db, resolved.moneyOwners, buckets);
  const returns = sumByMonth(await returnsByOwnerMonth(db, resolved.moneyOwners, buckets), 'returnedNetFen');
  const contracts = sumByMonth(await contractsByOwnerMonth(db, resolved.businessOwners, buckets), 'contractAmountFen');

  const points: TrendPoint[] = [];
  for (const bucket of buckets) {
    const target = await targetsOf(db, resolved, [bucket.month]);
    points.push({
      month: bucket.month,
      contractAmountFen: contracts.get(bucket.month) ?? 0,
      receiptsFen: receipts.get(bucket.month) ?? 0,
      returnedNetFen: returns.get(bucket.month) ?? 0,
      receiptsTargetFen: target.receipts,
    });
  }
  return points;
}

function sumByMonth(rows: { month: string; values: Record<string, number> }[], key: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.month, (totals.get(row.month) ?? 0) + (row.values[key] ?? 0));
  return totals;
}

/**
 * Reps of the subject ranked by receipts (then signed amount), and their teams: each rep counts in their
 * main department. Only reps inside the caller's scope appear.
 */
async function leaderboardOf(db: DbExecutor, resolved: ResolvedSubject, facts: KpiFacts, months: string[]): Promise<Dashboard['leaderboard']> {
  const reps = await kpiRepository.listRepIds(db);
  const owners = resolved.businessOwners ?? [...reps];
  const repIds = owners.filter((id) => reps.has(id));
  const users = await kpiRepository.listUsersWithMainDepartment(db, repIds);
  const targets = await listUserTargets(db, repIds, months);

  const repRows = repIds.map((userId) => {
    const counts = facts.byOwner.get(userId);
    const user = users.get(userId);
    const receiptsTarget = targets.get(userId)?.receipts ?? null;
    return {
      subjectType: 'user' as const,
      subjectId: userId,
      name: user?.name ?? '',
      groupName: user?.departmentName ?? null,
      contractAmountFen: counts?.contractAmountFen ?? 0,
      receiptsFen: counts?.receiptsFen ?? 0,
      visits: counts?.visits ?? 0,
      newCustomers: counts?.newCustomers ?? 0,
      receiptsTargetFen: receiptsTarget,
      receiptsAttainmentBp: attainmentBp(counts?.receiptsFen ?? 0, receiptsTarget),
    };
  });

  const teams = new Map<number, { name: string; members: number[] }>();
  for (const userId of repIds) {
    const user = users.get(userId);
    if (!user?.departmentId) continue;
    const team = teams.get(user.departmentId) ?? { name: user.departmentName ?? '', members: [] };
    team.members.push(userId);
    teams.set(user.departmentId, team);
  }
  const teamRows = [];
  for (const [departmentId, team] of teams) {
    const counts = sumOwners(facts, team.members);
    const target = await sumTargets(db, { kind: 'department', departmentId, memberIds: team.members }, months);
    teamRows.push({
      subjectType: 'department' as const,
      subjectId: departmentId,
      name: team.name,
      groupName: null,
      contractAmountFen: counts.contractAmountFen,
      receiptsFen: counts.receiptsFen,
      visits: counts.visits,
      newCustomers: counts.newCustomers,
      receiptsTargetFen: target.receipts,
      receiptsAttainmentBp: attainmentBp(counts.receiptsFen, target.receipts),
    });
  }

  return { reps: rank(repRows).slice(0, leaderboardSize), teams: rank(teamRows) };
}

function rank<T extends Omit<LeaderboardRow, 'rank'>>(rows: T[]): LeaderboardRow[] {
  return [...rows]
    .sort((a, b) => b.receiptsFen - a.receiptsFen || b.contractAmountFen - a.contractAmountFen || a.name.localeCompare(b.name, 'zh-CN'))
    .map((row, index) => ({ ...row, rank: index + 1 }));
}
