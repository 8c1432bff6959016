import type { QuoteStatus, SpecialDiscountApproval } from '@shared/api/quote.js';

/** The fields the status rules read, as plain data so each rule is tested on its own. */
export interface QuoteState {
  status: QuoteStatus;
  lineCount: number;
  specialLineCount: number;
  specialDiscountApproval: SpecialDiscountApproval;
  validUntil: string;
}

/** Statuses in which the quote is still the customer's live offer, and counts towards its credit exposure. */
export const openQuoteStatuses: QuoteStatus[] = ['pending_approval', 'approved', 'sent'];

export function isExpired(state: Pick<QuoteState, 'validUntil'>, today: string): boolean {
  return state.validUntil < today;
}

/**
 * Explains, in the Chinese shown to the rep, why the quote cannot be sent or turned into a contract today;
 * null when it can. A line below the customer's floor blocks both until the special discount is approved.
 */
export function quoteBlockedReason(state: QuoteState, today: string): string | null {
  if (state.status === 'superseded') return '此版本已被修订，请打开最新版本';
  if (state.status === 'converted') return '此报价单已转为合同';
  if (state.lineCount === 0) return '报价单还没有图书明细：请先添加图书';
  if (isExpired(state, today)) return `报价已过有效期（${state.validUntil}）：请修改有效期或修订后重新报价`;
  if (state.specialLineCount === 0 || state.status === 'approved' || state.status === 'sent') return null;

  const lines = `${state.specialLineCount} 行`;
  if (state.status === 'pending_approval') return `有 ${lines}特殊折扣正在特价审批中：审批通过后才能发送或转合同`;
  if (state.specialDiscountApproval === 'rejected') return `特价审批未通过：请把 ${lines}特殊折扣调到协议底价及以上，或修改后重新提交审批`;
  return `有 ${lines}折扣低于客户协议底价（特殊折扣）：请先提交特价审批，通过后才能发送或转合同`;
}

export function canEditQuote(state: QuoteState): boolean {
  return state.status === 'draft' || state.status === 'approved';
}

export function canSubmitSpecialDiscount(state: QuoteState, today: string): boolean {
  return state.status === 'draft' && state.specialLineCount > 0 && state.lineCount > 0 && !isExpired(state, today);
}

export function canSendQuote(state: QuoteState, today: string): boolean {
  return (state.status === 'draft' || state.status === 'approved') && quoteBlockedReason(state, today) === null;
}

/** Only a quote the customer has seen is revised into a new version; a draft is simply edited. */
export function canReviseQuote(state: QuoteState): boolean {
  return state.status === 'sent';
}

export function canCreateContract(state: QuoteState, today: string): boolean {
  return (state.status === 'draft' || state.status === 'approved' || state.status === 'sent') && quoteBlockedReason(state, today) === null;
}

/** Decides which actions the phone offers; `mayWork` is whether the actor may act on the quote at all. */
export function quoteActions(state: QuoteState, today: string, mayWork: boolean) {
  return {
    edit: mayWork && canEditQuote(state),
    submitApproval: mayWork && canSubmitSpecialDiscount(state, today),
    send: mayWork && canSendQuote(state, today),
    revise: mayWork && canReviseQuote(state),
    createContract: mayWork && canCreateContract(state, today),
  };
}
