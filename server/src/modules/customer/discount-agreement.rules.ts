import type { DiscountAgreementRow } from './discount-agreement.repository.js';

export interface AppliedDiscount {
  /** Basis points: 6.2折 = 6200. */
  defaultDiscount: number;
  floorDiscount: number;
  /** Which agreement applied, so a quote can show "按丛书《…》协议". */
  agreementId: number;
  scope: 'customer' | 'category' | 'series';
  scopeValue: string;
}

const scopeRank = { series: 0, category: 1, customer: 2 } as const;

/**
 * Picks the agreement that applies among those in force: a series agreement beats a category one, which
 * beats the customer default; among equals the latest valid_from wins (a renewed agreement replaces the old).
 */
export function pickAgreement(rows: readonly DiscountAgreementRow[]): AppliedDiscount | null {
  const sorted = [...rows].sort((a, b) => scopeRank[a.scope] - scopeRank[b.scope] || b.valid_from.localeCompare(a.valid_from) || b.id - a.id);
  const best = sorted[0];
  if (!best) return null;
  return { defaultDiscount: best.default_discount, floorDiscount: best.floor_discount, agreementId: best.id, scope: best.scope, scopeValue: best.scope_value };
}
