import type { Dashboard, KpiQuery, KpiSummary, LeaderboardRow, TrendPoint } from '@shared/api/kpi.js';
import { attainmentBp, deriveKpiFigures, monthsBetween, targetFigureOf, type KpiCounts } from '@shared/kpi-rules.js';
import { targetMetricSchema } from '@shared/api/target.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { listFunnel } from '../opportunity/opportunity.funnel.js';
import { departmentTargetsByMonth, loadTargetBook, userTargetsFrom, type TargetTotals } from '../target/target.service.js';
import { collectKpiFacts, sumOwners, type KpiFacts } from './kpi.facts.js';
import { kpiLinks } from './kpi.links.js';
import { resolveKpiPeriod, trailingMonths, type KpiPeriod, type MonthBucket } from './kpi.period.js';
import { planRollupRead, rollupMonthTotals } from './kpi.rollups.js';
import * as kpiRepository from './kpi.repository.js';
import { agingOf, contractAmountByMonth, rangeOf, receiptsByMonth, returnsByMonth } from './kpi.sources.js';
import { chineseCollator, indexTargetBook } from './kpi.targets.js';
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
  const facts = await collectKpiFacts(db, { businessOwners: resolved.businessOwners, moneyOwners: resolved.moneyOwners, range: rangeOf(period.buckets), asOfDate, overdue: 'total', today: moment.today });
  return summaryOf(db, resolved, period, asOfDate, facts.total);
}

/** Builds the summary; `monthly` are the subject's targets by month when the caller has read them already. */
async function summaryOf(db: DbExecutor, resolved: ResolvedSubject, period: KpiPeriod, asOfDate: string, counts: KpiCounts, monthly?: Map<string, TargetTotals>): Promise<KpiSummary> {
  const figures = deriveKpiFigures(counts);
  const months = monthsBetween(period.from, period.to);
  const targets = sumTargetMonths(monthly ?? (await monthlyTargets(db, await targetSubjectOf(db, resolved), months)), months);
  return {
    subject: resolved.subject,
    period: { preset: period.preset, from: period.from, to: period.to, label: period.label },
    asOfDate,
    figures,
    targets,
    attainment: attainmentOf(figures, targets),
    links: kpiLinks({ from: period.from, to: period.to, ownerId: resolved.subject.type === 'user' ? resolved.subject.id! : undefined }),
  };
}

function attainmentOf(figures: ReturnType<typeof deriveKpiFigures>, targets: TargetTotals): KpiSummary['attainment'] {
  const result = { contract_amount: null, receipts: null, new_customers: null, visits: null } as KpiSummary['attainment'];
  for (const metric of targetMetricSchema.options) result[metric] = attainmentBp(figures[targetFigureOf[metric]], targets[metric]);
  return result;
}

const noTargets = (): TargetTotals => ({ contract_amount: null, receipts: null, new_customers: null, visits: null });

/**
 * Finds whose targets a subject's figures are measured against. A rep has their own, a department its
 * own or its reps' summed, and the whole organisation the root department's or every rep's summed. A
 * manager's multi-department scope has no single target.
 */
async function targetSubjectOf(db: DbExecutor, resolved: ResolvedSubject): Promise<{ kind: 'user'; userId: number } | { kind: 'department'; departmentId: number; memberIds: number[] } | null> {
  if (resolved.subject.type === 'user') return { kind: 'user', userId: resolved.subject.id! };
  if (resolved.subject.type === 'department') return { kind: 'department', departmentId: resolved.subject.id!, memberIds: resolved.memberIds ?? [] };
  if (resolved.subject.name === '我的范围') return null;
  const root = (await kpiRepository.listAllDepartments(db)).find((department) => department.parent_id === null);
  return root ? { kind: 'department', departmentId: root.id, memberIds: [...(await kpiRepository.listRepIds(db))] } : null;
}

type TargetSubject = Awaited<ReturnType<typeof targetSubjectOf>>;

/** Reads the subject's targets month by month. A department's are summed in SQL, since the root has every rep as a member. */
async function monthlyTargets(db: DbExecutor, target: TargetSubject, months: string[]): Promise<Map<string, TargetTotals>> {
  if (!target) return new Map(months.map((month) => [month, noTargets()]));
  if (target.kind === 'department') return departmentTargetsByMonth(db, target.departmentId, target.memberIds, months);
  const book = await loadTargetBook(db, months, { userIds: [target.userId], departmentIds: [] });
  return new Map(months.map((month) => [month, userTargetsFrom(book, target.userId, [month])]));
}

function sumTargetMonths(monthly: Map<string, TargetTotals>, months: string[]): TargetTotals {
  const totals = noTargets();
  for (const month of months.map((key) => monthly.get(key)).filter((value) => value !== undefined)) {
    for (const metric of targetMetricSchema.options) {
      if (month[metric] !== null) totals[metric] = (totals[metric] ?? 0) + month[metric]!;
    }
  }
  return totals;
}

/**
 * Everything the 数据看板 shows in one response: the KPI summary of the period, the funnel, twelve months
 * of receipts and signed contracts, receivables aging, and the rep and team leaderboards of the period.
 */
export async function getDashboard(db: DbExecutor, actor: Actor, query: KpiQuery, moment: KpiMoment): Promise<Dashboard> {
  const resolved = await resolveSubject(db, actor, { type: query.subjectType, id: query.subjectId });
  const period = resolveKpiPeriod(query, moment.today, moment.timeZone);
  const asOfDate = period.to < moment.today ? period.to : moment.today;

  const aging = await agingOf(db, resolved.moneyOwners, moment.today);
  const overdue = asOfDate === moment.today ? { totalFen: aging.overdueFen } : ('total' as const);
  const facts = await collectKpiFacts(db, { businessOwners: resolved.businessOwners, moneyOwners: resolved.moneyOwners, range: rangeOf(period.buckets), asOfDate, overdue, today: moment.today });
  // One read of the subject's monthly targets serves both the period summary and the trend.
  const trendBuckets = trailingMonths(moment.today, trendMonths, moment.timeZone);
  const targetMonths = [...new Set([...monthsBetween(period.from, period.to), ...trendBuckets.map((bucket) => bucket.month)])].sort();
  const monthly = await monthlyTargets(db, await targetSubjectOf(db, resolved), targetMonths);
  const summary = await summaryOf(db, resolved, period, asOfDate, facts.total, monthly);
  const funnel = await listFunnel(
    db,
    actor,
    { from: period.from, to: period.to, ownerId: resolved.subject.type === 'user' ? resolved.subject.id! : undefined, departmentId: resolved.subject.type === 'department' ? resolved.subject.id! : undefined },
    moment.now,
  );
  const trend = await trendOf(db, resolved, trendBuckets, monthly);
  const leaderboard = await leaderboardOf(db, resolved, facts, monthsBetween(period.from, period.to));
  const subjects = await listSubjectChoices(db, actor);

  return { summary, funnel, trend, aging, leaderboard, subjects };
}

/** Receipts, returns and signed contract amount per month for the trailing twelve months, with the receipts target. */
async function trendOf(db: DbExecutor, resolved: ResolvedSubject, buckets: MonthBucket[], monthly: Map<string, TargetTotals>): Promise<TrendPoint[]> {
  const { receipts, returns, contracts } = await monthTotalsOf(db, resolved, buckets);
  const points: TrendPoint[] = [];
  for (const bucket of buckets) {
    points.push({
      month: bucket.month,
      contractAmountFen: contracts.get(bucket.month) ?? 0,
      receiptsFen: receipts.get(bucket.month) ?? 0,
      returnedNetFen: returns.get(bucket.month) ?? 0,
      receiptsTargetFen: monthly.get(bucket.month)?.receipts ?? null,
    });
  }
  return points;
}

/**
 * Reads the trend's month totals from the monthly rollups, or month by month from the source tables when
 * the rollups cannot cut the months (a tenant time zone other than +08:00).
 */
async function monthTotalsOf(db: DbExecutor, resolved: ResolvedSubject, buckets: MonthBucket[]) {
  const plan = planRollupRead(rangeOf(buckets));
  if (plan?.months && plan.edges.length === 0) return rollupMonthTotals(db, resolved.businessOwners, resolved.moneyOwners, plan.months);
  return {
    receipts: await receiptsByMonth(db, resolved.moneyOwners, buckets),
    returns: await returnsByMonth(db, resolved.moneyOwners, buckets),
    contracts: await contractAmountByMonth(db, resolved.businessOwners, buckets),
  };
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
  const teamIds = [...new Set(repIds.map((id) => users.get(id)?.departmentId).filter((id): id is number => typeof id === 'number'))];
  const targets = indexTargetBook(await kpiRepository.loadReceiptsTargetBook(db, months, { userIds: repIds, departmentIds: teamIds }));

  const repRows = repIds.map((userId) => {
    const counts = facts.byOwner.get(userId);
    const user = users.get(userId);
    const receiptsTarget = targets.userTargets(userId).receipts;
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
    const target = targets.departmentTargets(departmentId, team.members);
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
    .sort((a, b) => b.receiptsFen - a.receiptsFen || b.contractAmountFen - a.contractAmountFen || chineseCollator.compare(a.name, b.name))
    .map((row, index) => ({ ...row, rank: index + 1 }));
}
