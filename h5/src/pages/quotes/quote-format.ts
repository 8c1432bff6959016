import type { QuoteStatus } from '@shared/api/quote';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

export function quoteStatusTagType(status: QuoteStatus): TagType {
  if (status === 'pending_approval') return 'warning';
  if (status === 'approved' || status === 'sent') return 'success';
  if (status === 'converted') return 'primary';
  return 'default';
}

/** '2026-12-31' → '12月31日' for the compact list; the detail page shows the full date. */
export function shortDate(date: string): string {
  const [, month, day] = date.split('-');
  return `${Number(month)}月${Number(day)}日`;
}

/** The date `days` after today in the phone's own calendar, 'YYYY-MM-DD', for the default validity. */
export function dateAfter(days: number, from = new Date()): string {
  const date = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}
