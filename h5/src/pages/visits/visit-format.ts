import { checkInLocationStatusLabels, formatDistance, type CheckInLocationStatus } from '@shared/visit-rules';

/** Display helpers of the visit pages. Times are shown in the publisher's zone whatever the phone's zone is. */

const TIME_ZONE = 'Asia/Shanghai';

function parts(instant: string | Date): Record<string, string> {
  const formatted = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(
    typeof instant === 'string' ? new Date(instant) : instant,
  );
  return Object.fromEntries(formatted.map((part) => [part.type, part.value]));
}

/** 'YYYY-MM-DD' of an instant in the publisher's zone. */
export function localDateOf(instant: string | Date): string {
  const p = parts(instant);
  return `${p.year}-${p.month}-${p.day}`;
}

/** '今天 14:32', '昨天 09:05', '03-08 16:20', or with the year when it is not this year's. */
export function formatVisitTime(instant: string, now: Date = new Date()): string {
  const p = parts(instant);
  const date = `${p.year}-${p.month}-${p.day}`;
  const time = `${p.hour}:${p.minute}`;
  const today = localDateOf(now);
  if (date === today) return `今天 ${time}`;
  if (date === addDaysTo(today, -1)) return `昨天 ${time}`;
  return date.slice(0, 4) === today.slice(0, 4) ? `${date.slice(5)} ${time}` : `${date} ${time}`;
}

export function addDaysTo(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** '3月8日 周六' for a plan or team-view day. */
export function formatDayLabel(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  return `${day.getUTCMonth() + 1}月${day.getUTCDate()}日 ${weekdays[day.getUTCDay()]}`;
}

export type DateRangeKey = 'this_week' | 'last_7_days' | 'this_month' | 'last_month';

export const dateRangeLabels: Record<DateRangeKey, string> = { this_week: '本周', last_7_days: '近 7 天', this_month: '本月', last_month: '上月' };

/** A named range as inclusive 'YYYY-MM-DD' dates; weeks start on Monday, as in China. */
export function dateRange(key: DateRangeKey, now: Date = new Date()): { from: string; to: string } {
  const today = localDateOf(now);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const monthStart = `${today.slice(0, 7)}-01`;
  if (key === 'this_week') return { from: addDaysTo(today, -((weekday + 6) % 7)), to: today };
  if (key === 'last_7_days') return { from: addDaysTo(today, -6), to: today };
  if (key === 'this_month') return { from: monthStart, to: today };
  const lastMonthEnd = addDaysTo(monthStart, -1);
  return { from: `${lastMonthEnd.slice(0, 7)}-01`, to: lastMonthEnd };
}

/** '距门店 120 米', '未获取到定位'… for a check-in line. */
export function describeCheckInPlace(status: CheckInLocationStatus, distanceM: number | null): string {
  if (distanceM !== null) return `距门店 ${formatDistance(distanceM)}`;
  return checkInLocationStatusLabels[status];
}

/** Share of plans visited, as '75%', or '—' without plans. */
export function formatPlanCompletion(planned: number, visited: number): string {
  return planned === 0 ? '—' : `${Math.round((visited / planned) * 100)}%`;
}
