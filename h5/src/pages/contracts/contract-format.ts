import type { ContractStatus } from '@shared/contract-rules';

/** Vant tag type for a contract state. */
export function contractStatusTagType(status: ContractStatus): 'primary' | 'success' | 'warning' | 'danger' | 'default' {
  if (status === 'in_review' || status === 'void_review') return 'warning';
  if (status === 'approved' || status === 'sealed') return 'success';
  if (status === 'archived') return 'primary';
  if (status === 'voided') return 'danger';
  return 'default';
}

/** Basis points as a percentage for the installment editor: 3333 → '33.33'. */
export function percentText(basisPoints: number): string {
  return (basisPoints / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** '33.33' or '33.33%' → 3333; undefined unless 0 < value ≤ 100 with at most two decimals. */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?%?$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return value > 0 && value <= 10_000 ? value : undefined;
}
