import { formatYuan, parseYuanToFen } from '@shared/money';
import type { PaymentPlan } from '@shared/api/receivable';
import type { AgingBucket, PlanStatus } from '@shared/receivable-rules';

/** Display helpers of the receivables area, kept pure so they are unit-tested. */

export const bucketColors: Record<AgingBucket, string> = {
  not_due: '#07c160',
  d1_30: '#ff976a',
  d31_60: '#ff7a45',
  d61_90: '#ee0a24',
  over_90: '#a8071a',
};

export const bucketShortLabels: Record<AgingBucket, string> = {
  not_due: '未到期',
  d1_30: '1–30天',
  d31_60: '31–60天',
  d61_90: '61–90天',
  over_90: '90天以上',
};

export function overdueText(daysOverdue: number, status: PlanStatus): string {
  if (status === 'received') return '已回款';
  if (status === 'cancelled') return '已取消';
  return daysOverdue > 0 ? `逾期 ${daysOverdue} 天` : '未到期';
}

/** Returns grey for a plan that expects no more money (received, or cancelled with its voided contract), else the bucket colour. */
export function planBadgeColor(plan: Pick<PaymentPlan, 'status' | 'agingBucket'>): string {
  return plan.status === 'received' || plan.status === 'cancelled' ? '#c8c9cc' : bucketColors[plan.agingBucket];
}

/** '2026-03' → '2026年3月'. */
export function monthLabel(month: string): string {
  const [year, monthNumber] = month.split('-');
  return `${year}年${Number(monthNumber)}月`;
}

export function shiftMonth(month: string, delta: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (monthNumber - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The calendar month of a date in Asia/Shanghai, which is how the server books months too. */
export function currentMonth(now: Date = new Date()): string {
  return todayInShanghai(now).slice(0, 7);
}

export function todayInShanghai(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return parts;
}

/** Basis points as a percentage with one decimal: 1234 → '12.3%'. */
export function percentText(basisPoints: number | null): string {
  if (basisPoints === null) return '—';
  return `${Math.floor(basisPoints / 100)}.${Math.floor((basisPoints % 100) / 10)}%`;
}

/** Signed amount for statement lines: increases plain, decreases with a minus sign. */
export function signedYuan(fen: number): string {
  return fen < 0 ? `−${formatYuan(-fen)}` : formatYuan(fen);
}

/** Parses a yuan amount typed into a form; undefined for anything not a positive amount with at most two decimals. */
export function parsePositiveYuan(text: string): number | undefined {
  const fen = parseYuanToFen(text);
  return fen !== undefined && fen > 0 ? fen : undefined;
}

/** Fen as the plain number a form field shows: 123456 → '1234.56'. */
export function fenToInput(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
