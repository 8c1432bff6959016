import { firstDayOfMonth, lastDayOfMonth, monthOf, monthsBetween, periodPresetLabels, resolvePeriod, shiftMonth, type PeriodPreset } from '@shared/kpi-rules.js';
import { badRequest } from '../../http/app-error.js';
import { addDays, daysBetween } from '../../lib/clock.js';

/** One month of a period, clipped to the period, with its bounds as calendar dates and as UTC instants. */
export interface MonthBucket {
  month: string;
  fromDate: string;
  toDate: string;
  /** First instant of fromDate in the tenant zone, as an ISO string (inclusive). */
  fromInstant: string;
  /** First instant of the day after toDate (exclusive). */
  toInstant: string;
}

export interface KpiPeriod {
  preset: PeriodPreset;
  from: string;
  to: string;
  label: string;
  buckets: MonthBucket[];
}

/** Maximum length of a custom period, so one request cannot ask for decades of aggregates. */
const maxPeriodDays = 3 * 366;

/** Resolves the requested period. Without a preset, from and to make a custom period, and no dates mean this month. */
export function resolveKpiPeriod(query: { preset?: PeriodPreset; from?: string; to?: string }, today: string, timeZone: string): KpiPeriod {
  const preset = query.preset ?? (query.from && query.to ? 'custom' : 'this_month');
  const { from, to } = preset === 'custom' ? { from: query.from!, to: query.to! } : resolvePeriod(preset, today);
  if (daysBetween(from, to) > maxPeriodDays) throw badRequest('period_too_long', `期间 ${from} 至 ${to} 超过 3 年：请缩短查询期间`);
  const label = preset === 'custom' ? `${from} 至 ${to}` : periodPresetLabels[preset];
  return { preset, from, to, label, buckets: monthBuckets(from, to, timeZone) };
}

/** Lists the last `count` whole months up to and including the month of `today`, for trends. */
export function trailingMonths(today: string, count: number, timeZone: string): MonthBucket[] {
  const last = monthOf(today);
  return monthBuckets(firstDayOfMonth(shiftMonth(last, -(count - 1))), lastDayOfMonth(last), timeZone);
}

export function monthBuckets(from: string, to: string, timeZone: string): MonthBucket[] {
  return monthsBetween(from, to).map((month) => {
    const fromDate = firstDayOfMonth(month) < from ? from : firstDayOfMonth(month);
    const toDate = lastDayOfMonth(month) > to ? to : lastDayOfMonth(month);
    return { month, fromDate, toDate, fromInstant: startOfLocalDay(fromDate, timeZone), toInstant: startOfLocalDay(addDays(toDate, 1), timeZone) };
  });
}

/** Returns the UTC instant at which a calendar date begins in a time zone (00:00 local). */
export function startOfLocalDay(date: string, timeZone: string): string {
  const guess = Date.parse(`${date}T00:00:00Z`);
  const offset = zoneOffsetMs(guess, timeZone);
  // Re-check at the corrected instant, for zones whose offset changes around midnight.
  const corrected = guess - offset;
  return new Date(guess - zoneOffsetMs(corrected, timeZone)).toISOString();
}

function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour'), value('minute'), value('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}
