import type { ApprovalSubject } from '@shared/api/approval.js';
import { formatDiscount, formatYuan } from '@shared/money.js';
import { averageDiscount } from '@shared/quote-rules.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor, DbTransaction } from '../../db/database.js';
import { conflict, forbidden } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { registerApprovalSubject, submitApproval, type ApprovalDecision } from '../approval/approval.service.js';
import { appendTimeline, listCustomerNames } from '../customer/customer.service.js';
import * as repository from './quote.repository.js';
import { canSubmitSpecialDiscount } from './quote.rules.js';
import { getVisibleQuoteOrThrow, mayWorkOnQuote, quoteStateOf, quoteTimeZone } from './quote.service.js';

export const quoteSubjectType = 'quote';

/**
 * Sends a quote with lines below the customer's floor to the 特殊折扣审批 template. The quote moves to
 * pending_approval first, because the engine completes at once (and calls onApproved) when every step is
 * skipped. Resubmitting after a rejection continues the same approval as a new round.
 */
export async function submitSpecialDiscountApproval(db: DbExecutor, actor: Actor, quoteId: number, now: Date): Promise<void> {
  const { row, scope } = await getVisibleQuoteOrThrow(db, actor, quoteId);
  if (!mayWorkOnQuote(actor, scope, row)) throw forbidden('为他人的报价单提交审批');
  const state = quoteStateOf(row);
  if (!canSubmitSpecialDiscount(state, localDate(now, quoteTimeZone))) {
    throw conflict('quote_approval_not_needed', state.specialLineCount === 0 ? '报价单没有低于协议底价的折扣，不需要特价审批，可以直接发送' : '报价单当前状态不能提交特价审批');
  }

  const at = now.toISOString();
  if (!(await repository.updateQuoteIfStatus(db, row.id, 'draft', { status: 'pending_approval', special_discount_approval: 'pending', updated_at: at }))) {
    throw conflict('quote_changed', '报价单刚被其他操作修改，请刷新后重试');
  }
  const approvalId = await submitApproval(db, {
    templateCode: 'special_discount',
    subjectType: quoteSubjectType,
    subjectId: row.id,
    submitterId: actor.id,
    subject: await approvalSubjectOf(db, row),
    contentHash: row.content_hash,
    now,
  });
  await repository.updateQuote(db, row.id, { approval_id: approvalId });
}

/** Builds the approver's view: the totals and every line below the floor, with the floor beside the discount. */
async function approvalSubjectOf(db: DbExecutor, row: repository.QuoteRow): Promise<ApprovalSubject> {
  const [names, lines] = await Promise.all([listCustomerNames(db, [row.customer_id]), repository.listQuoteLines(db, row.id)]);
  const average = averageDiscount({ listAmountFen: row.list_amount_fen, netAmountFen: row.net_amount_fen });
  return {
    title: `特价审批：${names.get(row.customer_id) ?? ''} 报价单 ${row.number}`,
    amountFen: row.net_amount_fen,
    hasSpecialDiscount: true,
    summaryFields: [
      { label: '客户', value: names.get(row.customer_id) ?? '' },
      { label: '报价单', value: row.version > 1 ? `${row.number}（第 ${row.version} 版）` : row.number },
      { label: '码洋', value: formatYuan(row.list_amount_fen) },
      { label: '实洋', value: formatYuan(row.net_amount_fen) },
      { label: '平均折扣', value: average === null ? '—' : formatDiscount(average) },
      { label: '特殊折扣', value: `${row.special_line_count} / ${row.line_count} 行` },
      { label: '负责人', value: row.owner_name },
    ],
    url: `/quotes/${row.id}`,
    lines: lines
      .filter((line) => line.is_special_discount === 1)
      .map((line) => ({
        title: line.title,
        isbn: line.isbn,
        quantity: line.quantity,
        listPriceFen: line.list_price_fen,
        discount: line.discount,
        netAmountFen: line.net_amount_fen,
        floorDiscount: line.floor_discount,
        isSpecialDiscount: true,
      })),
  };
}

async function decide(trx: DbTransaction, decision: ApprovalDecision, outcome: 'approved' | 'rejected' | 'withdrawn'): Promise<void> {
  const row = await repository.findQuoteById(trx, decision.subjectId);
  if (!row || row.status !== 'pending_approval') return;

  await repository.updateQuote(trx, row.id, {
    status: outcome === 'approved' ? 'approved' : 'draft',
    special_discount_approval: outcome,
    approval_id: decision.approvalId,
    updated_at: decision.now.toISOString(),
  });
  const verdict = { approved: '特价审批通过', rejected: '特价审批未通过', withdrawn: '特价审批已撤回' }[outcome];
  await appendTimeline(trx, {
    customerId: row.customer_id,
    kind: 'quote',
    refType: 'quote',
    refId: row.id,
    title: `报价单 ${row.number}：${verdict}`,
    summary: `${row.special_line_count} 行特殊折扣，实洋 ${formatYuan(row.net_amount_fen)}`,
    actorUserId: decision.actorUserId,
    occurredAt: decision.now,
  });
}

registerApprovalSubject(quoteSubjectType, {
  onApproved: (trx, decision) => decide(trx, decision, 'approved'),
  onRejected: (trx, decision) => decide(trx, decision, 'rejected'),
  onWithdrawn: (trx, decision) => decide(trx, decision, 'withdrawn'),
  async prepareResubmission(trx, input) {
    const row = await repository.findQuoteById(trx, input.subjectId);
    if (!row || !canSubmitSpecialDiscount(quoteStateOf(row), localDate(input.now, quoteTimeZone))) {
      throw conflict('quote_not_resubmittable', '报价单当前状态不能重新提交特价审批：请在报价单页面调整后提交');
    }
    await repository.updateQuote(trx, row.id, { status: 'pending_approval', special_discount_approval: 'pending', updated_at: input.now.toISOString() });
    return { subject: await approvalSubjectOf(trx, row), contentHash: row.content_hash };
  },
});
