import type { OpportunityStage } from '@shared/api/opportunity';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'default';

export function stageTagType(stage: OpportunityStage): TagType {
  if (stage === 'won') return 'success';
  if (stage === 'lost') return 'default';
  if (stage === 'negotiating') return 'warning';
  return 'primary';
}

/** Basis points as a percentage with one decimal: 8333 → '83.3%'; null → '—'. */
export function formatRate(basisPoints: number | null): string {
  if (basisPoints === null) return '—';
  const whole = Math.trunc(basisPoints / 100);
  const tenth = Math.round((basisPoints % 100) / 10);
  return tenth === 10 ? `${whole + 1}%` : tenth === 0 ? `${whole}%` : `${whole}.${tenth}%`;
}

/** Amounts in the funnel are read at a glance: ¥1.2万, ¥356万, ¥1.05亿. */
export function formatWan(fen: number): string {
  const yuan = Math.round(fen / 100);
  if (yuan >= 100_000_000) return `¥${trim(yuan / 100_000_000)}亿`;
  if (yuan >= 10_000) return `¥${trim(yuan / 10_000)}万`;
  return `¥${yuan}`;
}

function trim(value: number): string {
  return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 100) / 100);
}

export interface PeriodOption {
  key: 'month' | 'quarter' | 'year' | 'all';
  label: string;
  from?: string;
  to?: string;
}

/** Period choices for the funnel, from the phone's calendar date. */
export function periodOptions(today = new Date()): PeriodOption[] {
  const year = today.getFullYear();
  const month = today.getMonth();
  const day = (y: number, m: number, d: number) => {
    const date = new Date(y, m, d);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
  };
  const quarterStart = Math.floor(month / 3) * 3;
  return [
    { key: 'month', label: '本月', from: day(year, month, 1), to: day(year, month + 1, 0) },
    { key: 'quarter', label: '本季度', from: day(year, quarterStart, 1), to: day(year, quarterStart + 3, 0) },
    { key: 'year', label: '本年', from: `${year}-01-01`, to: `${year}-12-31` },
    { key: 'all', label: '全部' },
  ];
}
