/**
 * Receivable rules with no I/O, shared by the server and the phone: aging buckets and overdue days,
 * payment plan status, allocation order, the statement balance identity and posting months, overdue
 * notice tiers, invoice and return limits, consignment FIFO and fapiao numbers.
 * Dates are calendar dates 'YYYY-MM-DD' of the tenant's time zone; amounts are integer fen.
 */

// ---------------------------------------------------------------------------------------------------
// Calendar dates

/** Whole days from `from` to `to`, both 'YYYY-MM-DD' (negative when `to` is earlier). */
export function daysFromTo(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** 'YYYY-MM' of a 'YYYY-MM-DD' date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}

/** First and last calendar date of a 'YYYY-MM' month. */
export function monthRange(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  return { from, to: shiftDate(`${nextMonth(month)}-01`, -1) };
}

// ---------------------------------------------------------------------------------------------------
// Payment plans and aging

/** 'cancelled': the plan's contract was voided, so what it had not received is no longer owed. */
export const planStatuses = ['open', 'partial', 'received', 'cancelled'] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const planStatusLabels: Record<PlanStatus, string> = { open: '未回款', partial: '部分回款', received: '已回款', cancelled: '已取消' };

/** A plan is open until money is allocated to it, partly received until the allocations reach its amount. */
export function planStatusOf(amountFen: number, allocatedFen: number): PlanStatus {
  if (allocatedFen <= 0) return 'open';
  return allocatedFen >= amountFen ? 'received' : 'partial';
}

/**
 * Days a plan is overdue on `asOfDate`: 0 on and before the due date, 1 on the day after. Both dates are
 * calendar dates of the tenant zone, so the caller converts the instant with localDate first.
 */
export function daysOverdue(dueDate: string, asOfDate: string): number {
  return Math.max(0, daysFromTo(dueDate, asOfDate));
}

export const agingBuckets = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

export const agingBucketLabels: Record<AgingBucket, string> = {
  not_due: '未到期',
  d1_30: '逾期 1–30 天',
  d31_60: '逾期 31–60 天',
  d61_90: '逾期 61–90 天',
  over_90: '逾期 90 天以上',
};

export function agingBucketOf(dueDate: string, asOfDate: string): AgingBucket {
  const days = daysOverdue(dueDate, asOfDate);
  if (days === 0) return 'not_due';
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'over_90';
}

/**
 * The due-date ranges of each bucket on `asOfDate`, for SQL filters: a plan is in a bucket when
 * `minDueDate <= due_date <= maxDueDate` (a missing bound is open).
 */
export function agingBucketDueRange(bucket: AgingBucket, asOfDate: string): { minDueDate?: string; maxDueDate?: string } {
  const daysAgo = (days: number) => shiftDate(asOfDate, -days);
  switch (bucket) {
    case 'not_due':
      return { minDueDate: asOfDate };
    case 'd1_30':
      return { minDueDate: daysAgo(30), maxDueDate: daysAgo(1) };
    case 'd31_60':
      return { minDueDate: daysAgo(60), maxDueDate: daysAgo(31) };
    case 'd61_90':
      return { minDueDate: daysAgo(90), maxDueDate: daysAgo(61) };
    case 'over_90':
      return { maxDueDate: daysAgo(91) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Allocation (核销)

export interface AllocatablePlan {
  id: number;
  dueDate: string;
  seq: number;
  remainingFen: number;
}

export interface PlanAllocation {
  planId: number;
  amountFen: number;
}

/** Oldest due first; equal due dates by installment number, then by id, so the order is stable. */
export function compareOldestDueFirst(a: AllocatablePlan, b: AllocatablePlan): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.id - b.id;
}

/**
 * Spreads `availableFen` over plans, oldest due first, each up to what it still lacks. What is left
 * stays unallocated on the receipt. Plans that lack nothing are skipped.
 */
export function allocateOldestDueFirst(availableFen: number, plans: readonly AllocatablePlan[]): PlanAllocation[] {
  return spread(availableFen, [...plans].sort(compareOldestDueFirst));
}

/**
 * Spreads a return's credit over a contract's plans, latest due first: a return usually shrinks the
 * final payment, and the installments already due keep their amounts.
 */
export function allocateLatestDueFirst(availableFen: number, plans: readonly AllocatablePlan[]): PlanAllocation[] {
  return spread(availableFen, [...plans].sort((a, b) => compareOldestDueFirst(b, a)));
}

function spread(availableFen: number, orderedPlans: readonly AllocatablePlan[]): PlanAllocation[] {
  const allocations: PlanAllocation[] = [];
  let left = availableFen;
  for (const plan of orderedPlans) {
    if (left <= 0) break;
    if (plan.remainingFen <= 0) continue;
    const amountFen = Math.min(left, plan.remainingFen);
    allocations.push({ planId: plan.id, amountFen });
    left -= amountFen;
  }
  return allocations;
}

export type AllocationRefusal = 'not_positive' | 'exceeds_plan' | 'exceeds_receipt';

/** Whether `amountFen` may move from a receipt to a plan; the database CHECK constraints enforce the same. */
export function checkAllocation(amountFen: number, planRemainingFen: number, receiptRemainingFen: number): AllocationRefusal | null {
  if (!Number.isInteger(amountFen) || amountFen <= 0) return 'not_positive';
  if (amountFen > planRemainingFen) return 'exceeds_plan';
  if (amountFen > receiptRemainingFen) return 'exceeds_receipt';
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Statements (对账单)

export interface StatementFigures {
  openingBalanceFen: number;
  shippedFen: number;
  returnedFen: number;
  receivedFen: number;
  /** Finance adjustments (settled differences, signed: positive raises what the customer owes). */
  adjustedFen: number;
  closingBalanceFen: number;
}

export const ledgerEntryKinds = ['shipment', 'consignment_settlement', 'return', 'receipt', 'receipt_reversal', 'adjustment'] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

export const ledgerEntryKindLabels: Record<LedgerEntryKind, string> = {
  shipment: '发货',
  consignment_settlement: '实销结算',
  return: '退货',
  receipt: '回款',
  receipt_reversal: '回款冲销',
  adjustment: '差异调整',
};

/**
 * Sums ledger amounts (signed: positive raises what the customer owes) into the statement figures.
 * closing = opening + shipped − returned − received + adjusted holds exactly, because every figure is a
 * sum of the same integer lines and a receipt reversal counts as a negative receipt.
 */
export function statementFigures(openingBalanceFen: number, lines: readonly { kind: LedgerEntryKind; amountFen: number }[]): StatementFigures {
  let shippedFen = 0;
  let returnedFen = 0;
  let receivedFen = 0;
  let adjustedFen = 0;
  for (const line of lines) {
    if (line.kind === 'shipment' || line.kind === 'consignment_settlement') shippedFen += line.amountFen;
    else if (line.kind === 'return') returnedFen -= line.amountFen;
    else if (line.kind === 'receipt' || line.kind === 'receipt_reversal') receivedFen -= line.amountFen;
    else adjustedFen += line.amountFen;
  }
  const closingBalanceFen = openingBalanceFen + shippedFen - returnedFen - receivedFen + adjustedFen;
  return { openingBalanceFen, shippedFen, returnedFen, receivedFen, adjustedFen, closingBalanceFen };
}

/** The sign a ledger entry of each kind carries, so callers pass positive document amounts. */
export function ledgerSign(kind: LedgerEntryKind): 1 | -1 {
  return kind === 'return' || kind === 'receipt' ? -1 : 1;
}

/**
 * The month an entry is booked in. A sent statement is frozen, so an entry dated in or before the
 * latest sent month goes into the month after it: a correction appears in the next statement and the
 * sent one never changes.
 */
export function postingMonthFor(entryDate: string, latestFrozenMonth: string | null): string {
  const month = monthOf(entryDate);
  if (latestFrozenMonth === null || month > latestFrozenMonth) return month;
  return nextMonth(latestFrozenMonth);
}

/** Whether a disputed difference is small enough for finance to settle in one step. */
export function isWithinTolerance(differenceFen: number, toleranceFen: number): boolean {
  return Math.abs(differenceFen) <= toleranceFen;
}

// ---------------------------------------------------------------------------------------------------
// Overdue notices

export interface OverdueThresholds {
  /** Days overdue at which the owner rep is told (default 1). */
  repDays: number;
  /** Days overdue at which the rep and their department leader are told (default 7). */
  leaderDays: number;
  /** Days overdue at which finance and the executives are told as well (default 30). */
  financeDays: number;
}

export const defaultOverdueThresholds: OverdueThresholds = { repDays: 1, leaderDays: 7, financeDays: 30 };

export type OverdueAudience = 'rep' | 'leader' | 'finance' | 'executive';

export interface OverdueTier {
  days: number;
  audience: OverdueAudience[];
}

/** The tiers in ascending days; each tier's audience includes the audiences of the tiers below. */
export function overdueTiers(thresholds: OverdueThresholds): OverdueTier[] {
  return [
    { days: thresholds.repDays, audience: ['rep'] },
    { days: thresholds.leaderDays, audience: ['rep', 'leader'] },
    { days: thresholds.financeDays, audience: ['rep', 'leader', 'finance', 'executive'] },
  ];
}

/**
 * The highest tier a plan has reached and not yet been notified of, or undefined. Only the highest is
 * sent: a plan first seen at 35 days gets the 30-day notice, not three notices at once.
 */
export function dueOverdueTier(days: number, notifiedDays: number, thresholds: OverdueThresholds): OverdueTier | undefined {
  const reached = overdueTiers(thresholds).filter((tier) => tier.days <= days && tier.days > notifiedDays);
  return reached.at(-1);
}

export function overdueNoticeDedupKey(planId: number, thresholdDays: number, userId: number): string {
  return `overdue:${planId}:${thresholdDays}:${userId}`;
}

// ---------------------------------------------------------------------------------------------------
// Invoices and returns

/**
 * What may still be requested on a contract: shipped 实洋 minus returned 实洋 minus what is issued
 * (blue minus red) minus what open requests have reserved and not yet issued. Never negative.
 */
export function invoiceableFen(input: { shippedNetFen: number; returnedNetFen: number; issuedNetFen: number; reservedFen: number }): number {
  return Math.max(0, input.shippedNetFen - input.returnedNetFen - input.issuedNetFen - input.reservedFen);
}

/** returned ÷ shipped in basis points (10000 = 100 %); null when nothing was shipped. */
export function ratioBasisPoints(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part * 10_000) / whole);
}

/**
 * Whether a return needs the 退货审批 approval: the returned 码洋 including this return exceeds the
 * configured share of the shipped 码洋 it is measured against.
 */
export function returnNeedsApproval(input: { returnedListFen: number; thisReturnListFen: number; shippedListFen: number; maxShareBp: number }): boolean {
  const total = input.returnedListFen + input.thisReturnListFen;
  if (input.shippedListFen <= 0) return true;
  return total * 10_000 > input.shippedListFen * input.maxShareBp;
}

/** VAT contained in a tax-inclusive amount: amount × rate / (1 + rate), rounded half up, rate in basis points. */
export function taxIncludedFen(amountFen: number, taxRateBp: number): number {
  const numerator = BigInt(amountFen) * BigInt(taxRateBp) * 2n;
  const denominator = BigInt(10_000 + taxRateBp) * 2n;
  return Number((numerator + denominator / 2n) / denominator);
}

// ---------------------------------------------------------------------------------------------------
// Consignment (实销实结)

export interface ConsignmentLot {
  id: number;
  shippedDate: string;
  unsoldQuantity: number;
}

/** Draws `quantity` from lots of one title, oldest shipment first; `short` is what the lots could not cover. */
export function drawOldestLotsFirst(quantity: number, lots: readonly ConsignmentLot[]): { draws: { lotId: number; quantity: number }[]; short: number } {
  const ordered = [...lots].sort((a, b) => (a.shippedDate === b.shippedDate ? a.id - b.id : a.shippedDate < b.shippedDate ? -1 : 1));
  const draws: { lotId: number; quantity: number }[] = [];
  let left = quantity;
  for (const lot of ordered) {
    if (left <= 0) break;
    if (lot.unsoldQuantity <= 0) continue;
    const take = Math.min(left, lot.unsoldQuantity);
    draws.push({ lotId: lot.id, quantity: take });
    left -= take;
  }
  return { draws, short: left };
}

/** The last day unsold stock of a lot may be returned, given the agreed return window in days. */
export function returnWindowEnd(shippedDate: string, windowDays: number): string {
  return shiftDate(shippedDate, windowDays);
}

// ---------------------------------------------------------------------------------------------------
// Fapiao numbers

export type FapiaoNumber =
  | { ok: true; kind: 'digital'; code: null; number: string }
  | { ok: true; kind: 'legacy'; code: string; number: string };

export type FapiaoNumberRefusal = 'invalid_digital_number' | 'invalid_legacy_code' | 'invalid_legacy_number';

/**
 * Validates a fapiao number. A fully digital invoice (数电票) has one 20-digit number and no code. A
 * legacy VAT invoice has a 12-digit code (10 for some paper types) and an 8-digit number.
 */
export function parseFapiaoNumber(codeInput: string | null | undefined, numberInput: string): FapiaoNumber | { ok: false; reason: FapiaoNumberRefusal } {
  const number = numberInput.replace(/\s/g, '');
  const code = (codeInput ?? '').replace(/\s/g, '');
  if (code === '') {
    return /^\d{20}$/.test(number) ? { ok: true, kind: 'digital', code: null, number } : { ok: false, reason: 'invalid_digital_number' };
  }
  if (!/^\d{10}$|^\d{12}$/.test(code)) return { ok: false, reason: 'invalid_legacy_code' };
  if (!/^\d{8}$/.test(number)) return { ok: false, reason: 'invalid_legacy_number' };
  return { ok: true, kind: 'legacy', code, number };
}

export const fapiaoNumberMessages: Record<FapiaoNumberRefusal, string> = {
  invalid_digital_number: '数电发票号码应为 20 位数字；纸质或旧版电子发票请同时填写发票代码',
  invalid_legacy_code: '发票代码应为 12 位（部分纸质票为 10 位）数字',
  invalid_legacy_number: '发票号码应为 8 位数字',
};
