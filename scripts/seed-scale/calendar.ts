/**
 * Calendar arithmetic on day numbers (days since 1970-01-01) of Asia/Shanghai local dates. Shanghai has
 * kept UTC+8 without daylight saving since 1991, so local time is UTC plus a fixed eight hours.
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export function dayOf(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

const dateCache = new Map<number, string>();

export function dateOf(day: number): string {
  let text = dateCache.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, text);
  }
  return text;
}

/** Converts an instant (ms) to the day number of its Shanghai local date. */
export function localDay(instantMs: number): number {
  return Math.floor((instantMs + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Returns the UTC ISO instant of a Shanghai local date and minute of the day. */
export function instantAt(day: number, localMinute: number, second = 0): string {
  return new Date(day * DAY_MS + localMinute * 60_000 + second * 1000 - SHANGHAI_OFFSET_MS).toISOString();
}

export function instantMsAt(day: number, localMinute: number): number {
  return day * DAY_MS + localMinute * 60_000 - SHANGHAI_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (day + 4) % 7;
}

export function monthOf(day: number): string {
  return dateOf(day).slice(0, 7);
}

/**
 * Weekday public holidays (approximate: the fixed-date holidays plus the Spring Festival weeks). Reps do
 * not visit customers on these days. The make-up working weekends are ignored.
 */
const springFestivalWeeks: readonly [string, string][] = [
  ['2021-02-11', '2021-02-17'],
  ['2022-01-31', '2022-02-06'],
  ['2023-01-21', '2023-01-27'],
  ['2024-02-10', '2024-02-17'],
  ['2025-01-28', '2025-02-04'],
  ['2026-02-15', '2026-02-23'],
  ['2027-02-05', '2027-02-11'],
];

export function isHoliday(day: number): boolean {
  const monthDay = dateOf(day).slice(5);
  if (monthDay === '01-01') return true;
  if (monthDay >= '05-01' && monthDay <= '05-05') return true;
  if (monthDay >= '10-01' && monthDay <= '10-07') return true;
  const date = dateOf(day);
  return springFestivalWeeks.some(([from, to]) => date >= from && date <= to);
}

/**
 * Days reps visit customers: weekdays that are not holidays, plus every second Saturday (bookstores sell
 * most at weekends, so field reps do Saturday rounds in turns).
 */
export function isFieldDay(day: number): boolean {
  const dayOfWeek = weekday(day);
  if (isHoliday(day)) return false;
  if (dayOfWeek === 0) return false;
  if (dayOfWeek === 6) return Math.floor(day / 7) % 2 === 0;
  return true;
}
