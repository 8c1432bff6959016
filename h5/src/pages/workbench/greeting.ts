/** The tenant's time zone; greetings follow the office clock, not the phone's. */
const TIME_ZONE = 'Asia/Shanghai';

const hourFormat = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, hour: 'numeric', hourCycle: 'h23' });
const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, month: 'long', day: 'numeric', weekday: 'long' });

/** Return the hour of `now` (0–23) on the tenant's clock. */
export function hourInTimeZone(now: Date): number {
  return Number(hourFormat.format(now));
}

/** 早上好 / 上午好 / 中午好 / 下午好 / 晚上好 by the hour of the tenant's clock. */
export function greetingFor(now: Date): string {
  const hour = hourInTimeZone(now);

  if (hour >= 5 && hour < 9) return '早上好';
  if (hour >= 9 && hour < 11) return '上午好';
  if (hour >= 11 && hour < 13) return '中午好';
  if (hour >= 13 && hour < 18) return '下午好';
  return '晚上好';
}

/** For example "6月3日星期二". */
export function formatToday(now: Date): string {
  return dateFormat.format(now);
}
