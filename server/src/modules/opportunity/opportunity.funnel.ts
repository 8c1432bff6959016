import { funnelStages, opportunityStageSchema, openStages, type Funnel, type FunnelQuery, type OpportunityStage, type WinProbability } from '@shared/api/opportunity.js';
import type { Actor } from '../../access/actor.js';
import { resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { aggregateFunnel, listDepartmentSubtreeUserIds, type FunnelRow } from './opportunity.repository.js';
import { stageRank, weightedAmount } from './opportunity.rules.js';
import { getWinProbability } from './opportunity.settings.js';

const timeZone = 'Asia/Shanghai';
const reportedStages: OpportunityStage[] = [...funnelStages, 'lost'];

/**
 * The sales funnel the actor may see: per stage the count, expected amount and probability-weighted
 * amount of opportunities closing (or expected to close) in the period; stage-to-stage conversion; and the
 * forecast for this month and this quarter. A team or rep filter narrows the actor's scope, never widens it.
 */
export async function listFunnel(db: DbExecutor, actor: Actor, query: FunnelQuery, now: Date): Promise<Funnel> {
  const [ownerIds, probability] = await Promise.all([funnelOwners(db, actor, query), getWinProbability(db)]);

  const today = localDate(now, timeZone);
  const month = monthRange(today);
  const quarter = quarterRange(today);
  const [periodRows, monthRows, quarterRows] = await Promise.all([
    aggregateFunnel(db, { ownerIds, from: query.from, to: query.to }),
    aggregateFunnel(db, { ownerIds, from: month.from, to: month.to }),
    aggregateFunnel(db, { ownerIds, from: quarter.from, to: quarter.to }),
  ]);

  return {
    from: query.from ?? null,
    to: query.to ?? null,
    ...summarizeFunnel(periodRows, probability),
    forecasts: [
      { label: '本月', ...month, ...forecast(monthRows, probability) },
      { label: '本季度', ...quarter, ...forecast(quarterRows, probability) },
    ],
  };
}

/** Owner ids the funnel covers: the actor's scope, narrowed by rep or team; undefined = everyone. */
async function funnelOwners(db: DbExecutor, actor: Actor, query: FunnelQuery): Promise<number[] | undefined> {
  const scope = await resolveScope(db, actor, 'business');
  let owners: number[] | undefined = scope.kind === 'all' ? undefined : scope.userIds;
  if (query.departmentId) owners = intersect(owners, await listDepartmentSubtreeUserIds(db, query.departmentId));
  if (query.ownerId) owners = intersect(owners, [query.ownerId]);
  return owners;
}

function intersect(current: number[] | undefined, narrower: number[]): number[] {
  if (!current) return narrower;
  const allowed = new Set(current);
  return narrower.filter((id) => allowed.has(id));
}

/** Pure summary of the grouped rows, exported for tests against hand-computed figures. */
export function summarizeFunnel(rows: readonly FunnelRow[], probability: WinProbability): Omit<Funnel, 'from' | 'to' | 'forecasts'> {
  const byStage = new Map<OpportunityStage, { count: number; amount: number }>();
  const reachedByRank = new Array<number>(6).fill(0);
  for (const row of rows) {
    const stage = opportunityStageSchema.parse(row.stage);
    const figure = byStage.get(stage) ?? { count: 0, amount: 0 };
    figure.count += row.count;
    figure.amount += row.amount;
    byStage.set(stage, figure);
    // An opportunity that reached rank r also reached every rank below it.
    for (let rank = 1; rank <= row.max_stage_rank; rank += 1) reachedByRank[rank]! += row.count;
  }

  const stages = reportedStages.map((stage) => {
    const figure = byStage.get(stage) ?? { count: 0, amount: 0 };
    return { stage, count: figure.count, amountFen: figure.amount, winProbability: probability[stage], weightedAmountFen: weightedAmount(figure.amount, stage, probability) };
  });
  const open = stages.filter((figure) => (openStages as readonly string[]).includes(figure.stage));

  const conversions = funnelStages.slice(0, -1).map((fromStage, index) => {
    const toStage = funnelStages[index + 1]!;
    const reached = reachedByRank[stageRank[fromStage]]!;
    const advanced = reachedByRank[stageRank[toStage]]!;
    return { fromStage, toStage, reached, advanced, rateBasisPoints: reached === 0 ? null : Math.round((advanced * 10_000) / reached) };
  });

  return {
    stages,
    conversions,
    openCount: sum(open.map((figure) => figure.count)),
    openAmountFen: sum(open.map((figure) => figure.amountFen)),
    weightedOpenAmountFen: sum(open.map((figure) => figure.weightedAmountFen)),
  };
}

function forecast(rows: readonly FunnelRow[], probability: WinProbability) {
  const summary = summarizeFunnel(rows, probability);
  const wonAmountFen = summary.stages.find((figure) => figure.stage === 'won')?.amountFen ?? 0;
  return { wonAmountFen, weightedOpenAmountFen: summary.weightedOpenAmountFen, forecastAmountFen: wonAmountFen + summary.weightedOpenAmountFen };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export function monthRange(today: string): { from: string; to: string } {
  const [year, month] = today.split('-').map(Number) as [number, number];
  return { from: `${year}-${pad(month)}-01`, to: lastDayOf(year, month) };
}

export function quarterRange(today: string): { from: string; to: string } {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const firstMonth = Math.floor((month - 1) / 3) * 3 + 1;
  return { from: `${year}-${pad(firstMonth)}-01`, to: lastDayOf(year, firstMonth + 2) };
}

function lastDayOf(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
