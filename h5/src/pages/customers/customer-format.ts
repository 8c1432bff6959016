/** Small display helpers of the customer pages (kept pure so they are unit-tested). */

const dayMs = 86_400_000;

/** Whole days since an instant, by calendar day in the phone's time zone; null for never. */
export function daysSince(instant: string | null, now: Date = new Date()): number | null {
  if (!instant) return null;
  const then = new Date(instant);
  const startOf = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
  return Math.max(0, Math.round((startOf(now) - startOf(then)) / dayMs));
}

/** '2025-03-04 14:05' in the phone's time zone. */
export function formatDateTime(instant: string): string {
  const date = new Date(instant);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function formatDate(instant: string | null): string {
  return instant ? formatDateTime(instant).slice(0, 10) : '—';
}

/** 'tel:' link of a phone number with spaces and dashes removed. */
export function telLink(phone: string): string {
  return `tel:${phone.replace(/[\s-]/g, '')}`;
}
