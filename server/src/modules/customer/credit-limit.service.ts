import type { DbExecutor } from '../../db/database.js';
import { addDays } from '../../lib/clock.js';
import { findCustomerById } from './customer.repository.js';

/**
 * A customer's credit exposure: what it owes (unpaid 实洋 of shipments and contracts) plus open quotes and
 * contracts, minus the returns expected from its own return rate over the last twelve months.
 *
 * The figures live in the modules that own them (quotes, contracts, receivables). They register a source
 * here when their module loads, so the customer module never reads their tables and works before they
 * exist: with no sources registered the exposure is 0.
 */
export interface ExposureSource {
  /** Stable name shown in the breakdown, e.g. 'open_quotes', 'open_contracts', 'receivables_outstanding'. */
  name: string;
  /** 'owed' amounts are reduced by the expected returns; 'open' amounts (quotes, unsigned contracts) are not. */
  component: 'owed' | 'open';
  /** Chinese label for the warning shown to the rep, e.g. '未回款实洋'. */
  label: string;
  amountFen(db: DbExecutor, customerId: number): Promise<number>;
}

/** Returned 码洋 ÷ shipped 码洋 of a customer between two dates ('YYYY-MM-DD'), as a fraction 0…1. */
export type ReturnRateSource = (db: DbExecutor, customerId: number, fromDate: string, toDate: string) => Promise<number>;

const exposureSources = new Map<string, ExposureSource>();
let returnRateSource: ReturnRateSource | undefined;

/** Registers (or replaces, by name) one exposure source. Call once at module load. */
export function registerExposureSource(source: ExposureSource): void {
  exposureSources.set(source.name, source);
}

export function registerReturnRateSource(source: ReturnRateSource): void {
  returnRateSource = source;
}

export interface CreditEvaluation {
  /** null when the customer has no credit limit: nothing is ever exceeded. */
  limitFen: number | null;
  owedFen: number;
  openFen: number;
  /** Fraction 0…1 over the last twelve months. */
  returnRate: number;
  expectedReturnsFen: number;
  /** owed + open − expected returns, before the new document. */
  exposureFen: number;
  additionalFen: number;
  /** exposure + the new document. */
  projectedFen: number;
  exceeded: boolean;
  breakdown: { name: string; label: string; amountFen: number }[];
}

/**
 * Evaluates whether a new quote or contract of `additionalFen` would take the customer past its credit
 * limit. Quotes and contracts show the figures to the rep and route an exceeded contract to finance.
 */
export async function evaluateCreditLimit(db: DbExecutor, customerId: number, additionalFen: number, asOfDate?: string): Promise<CreditEvaluation> {
  const customer = await findCustomerById(db, customerId);
  const limitFen = customer?.credit_limit_fen ?? null;

  const breakdown: CreditEvaluation['breakdown'] = [];
  let owedFen = 0;
  let openFen = 0;
  for (const source of exposureSources.values()) {
    const amountFen = Math.max(0, Math.round(await source.amountFen(db, customerId)));
    breakdown.push({ name: source.name, label: source.label, amountFen });
    if (source.component === 'owed') owedFen += amountFen;
    else openFen += amountFen;
  }

  const toDate = asOfDate ?? new Date().toISOString().slice(0, 10);
  const rawRate = returnRateSource ? await returnRateSource(db, customerId, addDays(toDate, -365), toDate) : 0;
  const returnRate = Number.isFinite(rawRate) ? Math.min(1, Math.max(0, rawRate)) : 0;
  const expectedReturnsFen = Math.round(owedFen * returnRate);

  const exposureFen = owedFen + openFen - expectedReturnsFen;
  const projectedFen = exposureFen + additionalFen;
  return {
    limitFen,
    owedFen,
    openFen,
    returnRate,
    expectedReturnsFen,
    exposureFen,
    additionalFen,
    projectedFen,
    exceeded: limitFen !== null && projectedFen > limitFen,
    breakdown,
  };
}
