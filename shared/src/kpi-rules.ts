import { z } from 'zod';
import { ratioBp } from './project-rules.js';

/**
 * KPI definitions shared by the server, the dashboard and the Excel export: which figures exist, their
 * unit, and the pure formulas (conversion, return rate, commission base, attainment).
 */

export const kpiFigureKeys = [
  'newCustomers',
  'visits',
  'customersCovered',
  'opportunitiesCreated',
  'opportunitiesWon',
  'opportunitiesLost',
  'conversionRateBp',
  'contractsSigned',
  'contractAmountFen',
  'shippedNetFen',
  'shippedListFen',
  'returnedNetFen',
  'returnedListFen',
  'returnRateBp',
  'receiptsFen',
  'commissionBaseFen',
  'overdueFen',
] as const;
export type KpiFigureKey = (typeof kpiFigureKeys)[number];

export type KpiUnit = 'count' | 'fen' | 'bp';

export const kpiFigureDefinitions: Record<KpiFigureKey, { label: string; unit: KpiUnit; description: string }> = {
  newCustomers: { label: '新增客户', unit: 'count', description: '期间内新建、负责人在范围内的客户数' },
  visits: { label: '拜访次数', unit: 'count', description: '期间内签到的拜访数' },
  customersCovered: { label: '覆盖客户', unit: 'count', description: '期间内至少拜访过一次的客户数（去重）' },
  opportunitiesCreated: { label: '新建商机', unit: 'count', description: '期间内新建的商机数' },
  opportunitiesWon: { label: '赢单商机', unit: 'count', description: '期间内签约（赢单）的商机数' },
  opportunitiesLost: { label: '输单商机', unit: 'count', description: '期间内输单的商机数' },
  conversionRateBp: { label: '赢单率', unit: 'bp', description: '赢单 ÷（赢单 + 输单），按期间内关闭的商机计算' },
  contractsSigned: { label: '签约合同', unit: 'count', description: '期间内审批通过的合同数（作废的除外）' },
  contractAmountFen: { label: '签约金额', unit: 'fen', description: '期间内审批通过的合同实洋合计（作废的除外）' },
  shippedNetFen: { label: '发货实洋', unit: 'fen', description: '期间内发货单的实洋合计' },
  shippedListFen: { label: '发货码洋', unit: 'fen', description: '期间内发货单的码洋合计' },
  returnedNetFen: { label: '退货实洋', unit: 'fen', description: '期间内已确认退货单的实洋合计' },
  returnedListFen: { label: '退货码洋', unit: 'fen', description: '期间内已确认退货单的码洋合计' },
  returnRateBp: { label: '退货率', unit: 'bp', description: '退货码洋 ÷ 发货码洋' },
  receiptsFen: { label: '回款', unit: 'fen', description: '期间内登记的回款（已冲销的除外）' },
  commissionBaseFen: { label: '提成基数', unit: 'fen', description: '回款减去期间内退货实洋' },
  overdueFen: { label: '逾期金额', unit: 'fen', description: '截至期末（或今天）已逾期未收回的回款计划金额' },
};

export const kpiFiguresSchema = z.object(Object.fromEntries(kpiFigureKeys.map((key) => [key, z.number().int()])) as Record<KpiFigureKey, z.ZodNumber>);
export type KpiFigures = z.infer<typeof kpiFiguresSchema>;

/** The additive figures an aggregation collects; rates and the commission base are derived from them. */
export type KpiCounts = Omit<KpiFigures, 'conversionRateBp' | 'returnRateBp' | 'commissionBaseFen'>;

export function emptyKpiCounts(): KpiCounts {
  return {
    newCustomers: 0,
    visits: 0,
    customersCovered: 0,
    opportunitiesCreated: 0,
    opportunitiesWon: 0,
    opportunitiesLost: 0,
    contractsSigned: 0,
    contractAmountFen: 0,
    shippedNetFen: 0,
    shippedListFen: 0,
    returnedNetFen: 0,
    returnedListFen: 0,
    receiptsFen: 0,
    overdueFen: 0,
  };
}

/** Adds the derived figures: win rate of closed opportunities, return rate by 码洋, receipts net of returns. */
export function deriveKpiFigures(counts: KpiCounts): KpiFigures {
  return {
    ...counts,
    conversionRateBp: ratioBp(counts.opportunitiesWon, counts.opportunitiesWon + counts.opportunitiesLost),
    returnRateBp: ratioBp(counts.returnedListFen, counts.shippedListFen),
    commissionBaseFen: counts.receiptsFen - counts.returnedNetFen,
  };
}

/** Target metrics and the figure each is measured against. */
export const targetFigureOf = {
  contract_amount: 'contractAmountFen',
  receipts: 'receiptsFen',
  new_customers: 'newCustomers',
  visits: 'visits',
} as const satisfies Record<string, KpiFigureKey>;

/** Attainment in basis points (10000 = 100 %); null without a target, and 0 against a zero target. */
export function attainmentBp(actual: number, target: number | null): number | null {
  if (target === null) return null;
  if (target <= 0) return 0;
  return ratioBp(actual, target);
}

/** 'YYYY-MM' of a 'YYYY-MM-DD'. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** Lists every month touched by [fromDate, toDate], in order. */
export function monthsBetween(fromDate: string, toDate: string): string[] {
  const months: string[] = [];
  let [year, month] = fromDate.split('-').map(Number) as [number, number];
  const last = monthOf(toDate);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > last) break;
    months.push(current);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** Returns the month `offset` months after (negative: before) `month`. */
export function shiftMonth(month: string, offset: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const periodPresetSchema = z.enum(['this_month', 'last_month', 'this_quarter', 'this_year', 'custom']);
export type PeriodPreset = z.infer<typeof periodPresetSchema>;

export const periodPresetLabels: Record<PeriodPreset, string> = {
  this_month: '本月',
  last_month: '上月',
  this_quarter: '本季度',
  this_year: '本年',
  custom: '自定义',
};

/** Returns the calendar dates of a preset period around `today`. */
export function resolvePeriod(preset: Exclude<PeriodPreset, 'custom'>, today: string): { from: string; to: string } {
  const month = monthOf(today);
  if (preset === 'this_month') return { from: firstDayOfMonth(month), to: lastDayOfMonth(month) };
  if (preset === 'last_month') {
    const previous = shiftMonth(month, -1);
    return { from: firstDayOfMonth(previous), to: lastDayOfMonth(previous) };
  }
  if (preset === 'this_quarter') {
    const monthNumber = Number(month.slice(5));
    const first = `${month.slice(0, 4)}-${String(monthNumber - ((monthNumber - 1) % 3)).padStart(2, '0')}`;
    return { from: firstDayOfMonth(first), to: lastDayOfMonth(shiftMonth(first, 2)) };
  }
  return { from: `${month.slice(0, 4)}-01-01`, to: `${month.slice(0, 4)}-12-31` };
}
