import type { Dashboard, LeaderboardRow, TrendPoint } from '@shared/api/kpi';
import { opportunityStageLabels, type OpportunityStage } from '@shared/api/opportunity';
import { agingBucketLabels } from '@shared/receivable-rules';
import { kpiFigureDefinitions, type KpiFigureKey } from '@shared/kpi-rules';
import { formatYuan } from '@shared/money';
import { formatRateBp } from '@shared/project-rules';

/**
 * Pure helpers of the dashboard: figure formatting and the ECharts options of each chart. No ECharts
 * import here, so the page and tests use them without loading the chart library.
 */

/** Fen in 万元 with one decimal, rounded half up in integers: 123_456_789 → '123.5万'. */
export function formatWan(fen: number): string {
  const negative = fen < 0;
  const tenths = Math.floor((Math.abs(fen) + 50_000) / 100_000);
  return `${negative ? '-' : ''}${Math.trunc(tenths / 10)}.${tenths % 10}万`;
}

/** Fen as a 万元 number for chart axes (display only; sums are never made from it). */
export function wanValue(fen: number): number {
  return Math.round(fen / 100_000) / 10;
}

/** Formats a KPI figure for a card: money in yuan (万 above 10万), rates as percentages, counts plain. */
export function formatFigure(key: KpiFigureKey, value: number): string {
  const unit = kpiFigureDefinitions[key].unit;
  if (unit === 'bp') return formatRateBp(value);
  if (unit === 'fen') return Math.abs(value) >= 10_000_000 ? `¥${formatWan(value)}` : formatYuan(value);
  return String(value);
}

/** Attainment as a percentage, or '未设目标'. */
export function formatAttainment(bp: number | null): string {
  return bp === null ? '未设目标' : formatRateBp(bp);
}

const palette = ['#1989fa', '#07c160', '#ff976a', '#7232dd', '#ee0a24'];

export function funnelOption(funnel: Dashboard['funnel']) {
  const stages = funnel.stages.filter((stage) => stage.stage !== 'lost');
  return {
    color: palette,
    tooltip: { trigger: 'item', confine: true },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '8%',
        width: '84%',
        top: 8,
        bottom: 8,
        minSize: '18%',
        gap: 2,
        label: { show: true, position: 'inside', formatter: '{b}\n{c} 个' },
        data: stages.map((stage) => ({ name: opportunityStageLabels[stage.stage], value: stage.count, stage: stage.stage })),
      },
    ],
  };
}

/** Returns the stage of the funnel slice at `dataIndex`. */
export function funnelStageAt(funnel: Dashboard['funnel'], dataIndex: number): OpportunityStage | undefined {
  return funnel.stages.filter((stage) => stage.stage !== 'lost')[dataIndex]?.stage;
}

export function trendOption(points: TrendPoint[]) {
  return {
    color: ['#1989fa', '#07c160', '#ff976a'],
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (value: number) => `${value} 万` },
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
    grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: points.map((point) => `${Number(point.month.slice(5))}月`), axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', name: '万元', nameTextStyle: { fontSize: 10 }, axisLabel: { fontSize: 10 } },
    series: [
      { name: '回款', type: 'bar', barMaxWidth: 18, data: points.map((point) => wanValue(point.receiptsFen)) },
      { name: '签约', type: 'line', smooth: true, data: points.map((point) => wanValue(point.contractAmountFen)) },
      { name: '回款目标', type: 'line', lineStyle: { type: 'dashed' }, symbol: 'none', data: points.map((point) => (point.receiptsTargetFen === null ? null : wanValue(point.receiptsTargetFen))) },
    ],
  };
}

export function agingOption(aging: Dashboard['aging']) {
  return {
    color: ['#07c160', '#ffd21e', '#ff976a', '#ee6a24', '#ee0a24'],
    tooltip: { trigger: 'item', confine: true, valueFormatter: (value: number) => `${value} 万` },
    legend: { bottom: 0, itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 11 } },
    series: [
      {
        type: 'pie',
        radius: ['38%', '62%'],
        center: ['50%', '44%'],
        label: { formatter: '{d}%', fontSize: 11 },
        data: aging.buckets.map((bucket) => ({ name: agingBucketLabels[bucket.bucket], value: wanValue(bucket.amountFen), bucket: bucket.bucket })),
      },
    ],
  };
}

export function attainmentOption(summary: Dashboard['summary']) {
  const metrics = [
    { key: 'contract_amount', label: '签约' },
    { key: 'receipts', label: '回款' },
    { key: 'new_customers', label: '新客户' },
    { key: 'visits', label: '拜访' },
  ] as const;
  const shown = metrics.filter((metric) => summary.attainment[metric.key] !== null);
  return {
    color: ['#1989fa'],
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (value: number) => `${value}%` },
    grid: { left: 8, right: 36, top: 8, bottom: 4, containLabel: true },
    xAxis: { type: 'value', max: (extent: { max: number }) => Math.max(100, Math.ceil(extent.max / 10) * 10), axisLabel: { formatter: '{value}%', fontSize: 10 } },
    yAxis: { type: 'category', data: shown.map((metric) => metric.label), axisLabel: { fontSize: 11 } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        label: { show: true, position: 'right', formatter: '{c}%', fontSize: 11 },
        markLine: { symbol: 'none', data: [{ xAxis: 100 }], lineStyle: { color: '#ee0a24', type: 'dashed' }, label: { show: false } },
        data: shown.map((metric) => Math.round((summary.attainment[metric.key] ?? 0) / 10) / 10),
      },
    ],
  };
}

export function leaderboardOption(rows: LeaderboardRow[]) {
  const top = rows.slice(0, 10).reverse();
  return {
    color: ['#07c160', '#1989fa'],
    tooltip: { trigger: 'axis', confine: true, valueFormatter: (value: number) => `${value} 万` },
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
    grid: { left: 8, right: 16, top: 24, bottom: 4, containLabel: true },
    xAxis: { type: 'value', axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: top.map((row) => row.name), axisLabel: { fontSize: 11 } },
    series: [
      { name: '回款', type: 'bar', barMaxWidth: 12, data: top.map((row) => wanValue(row.receiptsFen)) },
      { name: '签约', type: 'bar', barMaxWidth: 12, data: top.map((row) => wanValue(row.contractAmountFen)) },
    ],
  };
}

/** Returns the leaderboard row behind bar `dataIndex` of leaderboardOption (bars are drawn bottom-up). */
export function leaderboardRowAt(rows: LeaderboardRow[], dataIndex: number): LeaderboardRow | undefined {
  return rows.slice(0, 10).reverse()[dataIndex];
}
