import type { QuoteCreate, QuoteUpdate } from '@shared/api/quote.js';
import { formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden } from '../../http/app-error.js';
import { addDays, localDate } from '../../lib/clock.js';
import { appendTimeline, getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import { advanceOpportunityTo, getVisibleOpportunityOrThrow, recordOpportunityActivity } from '../opportunity/opportunity.service.js';
import { isOpenStage } from '../opportunity/opportunity.rules.js';
import { opportunityStageSchema } from '@shared/api/opportunity.js';
import { buildQuoteLines } from './quote.lines.js';
import * as repository from './quote.repository.js';
import { canEditQuote, canReviseQuote, canSendQuote, quoteBlockedReason } from './quote.rules.js';
import { getVisibleQuoteOrThrow, mayWorkOnQuote, quoteStateOf, quoteTimeZone } from './quote.service.js';

/** Creates version 1 of a quote for a customer the actor may see; the actor owns it. */
export async function createQuote(db: DbExecutor, actor: Actor, input: QuoteCreate, now: Date): Promise<number> {
  const customer = await getVisibleCustomerOrThrow(db, actor, input.customerId);
  await assertOpportunityFits(db, actor, input.opportunityId, customer.id);
  const today = localDate(now, quoteTimeZone);
  assertValidity(input.validUntil, today);

  const built = await buildQuoteLines(db, { customerId: customer.id, validUntil: input.validUntil, lines: input.lines, existing: [], today });
  const at = now.toISOString();
  const id = await repository.insertQuote(db, {
    number: await nextQuoteNumber(db, today),
    version: 1,
    previous_version_id: null,
    customer_id: customer.id,
    opportunity_id: input.opportunityId,
    owner_id: actor.id,
    status: 'draft',
    special_discount_approval: 'none',
    approval_id: null,
    content_hash: built.contentHash,
    valid_until: input.validUntil,
    notes: input.notes,
    ...totalsColumns(built.totals),
    contract_id: null,
    sent_at: null,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  });
  await repository.replaceQuoteLines(db, id, built.lines);
  if (input.opportunityId !== null) await recordOpportunityActivity(db, input.opportunityId, now);
  return id;
}

/**
 * Replaces the lines and terms of a draft (or of an approved quote not yet sent, which then needs a new
 * approval if its content changed). List prices already on the quote are kept.
 */
export async function updateQuote(db: DbExecutor, actor: Actor, quoteId: number, input: QuoteUpdate, now: Date): Promise<void> {
  const { row, scope } = await getVisibleQuoteOrThrow(db, actor, quoteId);
  if (!mayWorkOnQuote(actor, scope, row)) throw forbidden('修改他人的报价单');
  const state = quoteStateOf(row);
  if (!canEditQuote(state)) throw conflict('quote_not_editable', editRefusal(state.status));
  if (input.opportunityId !== row.opportunity_id) await assertOpportunityFits(db, actor, input.opportunityId, row.customer_id);
  const today = localDate(now, quoteTimeZone);
  assertValidity(input.validUntil, today);

  const existing = await repository.listQuoteLines(db, row.id);
  const built = await buildQuoteLines(db, { customerId: row.customer_id, validUntil: input.validUntil, lines: input.lines, existing, today });
  const contentChanged = built.contentHash !== row.content_hash;
  // An approval covers exactly the content approved: changed content goes back to draft for a new one.
  const resetApproval = state.status === 'approved' && contentChanged;

  await repository.updateQuote(db, row.id, {
    opportunity_id: input.opportunityId,
    valid_until: input.validUntil,
    notes: input.notes,
    content_hash: built.contentHash,
    ...totalsColumns(built.totals),
    ...(resetApproval ? { status: 'draft', special_discount_approval: 'none' } : {}),
    updated_at: now.toISOString(),
  });
  await repository.replaceQuoteLines(db, row.id, built.lines);
  if (input.opportunityId !== null) await recordOpportunityActivity(db, input.opportunityId, now);
}

/** Marks the quote as sent to the customer; blocked while a special discount is not approved. */
export async function sendQuote(db: DbExecutor, actor: Actor, quoteId: number, now: Date): Promise<void> {
  const { row, scope } = await getVisibleQuoteOrThrow(db, actor, quoteId);
  if (!mayWorkOnQuote(actor, scope, row)) throw forbidden('发送他人的报价单');
  const state = quoteStateOf(row);
  const today = localDate(now, quoteTimeZone);
  if (!canSendQuote(state, today)) {
    throw conflict('quote_not_sendable', quoteBlockedReason(state, today) ?? `报价单当前状态不能发送`);
  }

  const at = now.toISOString();
  if (!(await repository.updateQuoteIfStatus(db, row.id, state.status, { status: 'sent', sent_at: at, updated_at: at }))) {
    throw conflict('quote_changed', '报价单刚被其他操作修改，请刷新后重试');
  }
  await appendTimeline(db, {
    customerId: row.customer_id,
    kind: 'quote',
    refType: 'quote',
    refId: row.id,
    title: `发送报价单 ${row.number}${row.version > 1 ? `（第 ${row.version} 版）` : ''}`,
    summary: `${row.line_count} 个品种 ${row.total_quantity} 册，码洋 ${formatYuan(row.list_amount_fen)}，实洋 ${formatYuan(row.net_amount_fen)}，有效期至 ${row.valid_until}`,
    actorUserId: actor.id,
    occurredAt: now,
    dedupKey: `quote:${row.id}:sent`,
  });
  if (row.opportunity_id !== null) {
    await advanceOpportunityTo(db, { opportunityId: row.opportunity_id, stage: 'quoting', reason: `已发送报价单 ${row.number}`, actorUserId: actor.id, at: now });
  }
}

/**
 * Revising a sent quote: a new draft version with the same number and lines (list prices kept), valid for
 * as long as the original was; the sent version becomes read-only history.
 */
export async function reviseQuote(db: DbExecutor, actor: Actor, quoteId: number, now: Date): Promise<number> {
  const { row, scope } = await getVisibleQuoteOrThrow(db, actor, quoteId);
  if (!mayWorkOnQuote(actor, scope, row)) throw forbidden('修订他人的报价单');
  if (!canReviseQuote(quoteStateOf(row))) throw conflict('quote_not_revisable', '只有已发送的报价单可以修订；草稿请直接修改');

  const at = now.toISOString();
  if (!(await repository.updateQuoteIfStatus(db, row.id, 'sent', { status: 'superseded', updated_at: at }))) {
    throw conflict('quote_changed', '报价单刚被其他操作修改，请刷新后重试');
  }
  const today = localDate(now, quoteTimeZone);
  const validUntil = row.valid_until >= today ? row.valid_until : addDays(today, 30);
  const lines = await repository.listQuoteLines(db, row.id);
  const id = await repository.insertQuote(db, {
    ...quoteCopy(row),
    version: row.version + 1,
    previous_version_id: row.id,
    owner_id: row.owner_id,
    status: 'draft',
    special_discount_approval: 'none',
    approval_id: null,
    valid_until: validUntil,
    contract_id: null,
    sent_at: null,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  });
  await repository.replaceQuoteLines(db, id, lines.map(({ id: _id, quote_id: _quoteId, ...line }) => line));
  return id;
}

function quoteCopy(row: repository.QuoteRow) {
  return {
    number: row.number,
    customer_id: row.customer_id,
    opportunity_id: row.opportunity_id,
    content_hash: row.content_hash,
    notes: row.notes,
    list_amount_fen: row.list_amount_fen,
    net_amount_fen: row.net_amount_fen,
    total_quantity: row.total_quantity,
    line_count: row.line_count,
    special_line_count: row.special_line_count,
  };
}

function totalsColumns(totals: { listAmountFen: number; netAmountFen: number; totalQuantity: number; lineCount: number; specialLineCount: number }) {
  return {
    list_amount_fen: totals.listAmountFen,
    net_amount_fen: totals.netAmountFen,
    total_quantity: totals.totalQuantity,
    line_count: totals.lineCount,
    special_line_count: totals.specialLineCount,
  };
}

/** Numbers run per year in the tenant's time zone: BJ-2026-000001, BJ-2026-000002… */
async function nextQuoteNumber(db: DbExecutor, today: string): Promise<string> {
  const prefix = `BJ-${today.slice(0, 4)}-`;
  const last = await repository.findLastQuoteNumber(db, prefix);
  const next = last ? Number(last.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(next).padStart(6, '0')}`;
}

async function assertOpportunityFits(db: DbExecutor, actor: Actor, opportunityId: number | null, customerId: number): Promise<void> {
  if (opportunityId === null) return;
  const opportunity = await getVisibleOpportunityOrThrow(db, actor, opportunityId);
  if (opportunity.customer_id !== customerId) throw badRequest('quote_opportunity_mismatch', `商机“${opportunity.name}”属于另一个客户：请选择该客户的商机，或不关联商机`);
  if (!isOpenStage(opportunityStageSchema.parse(opportunity.stage))) throw badRequest('quote_opportunity_closed', `商机“${opportunity.name}”已结束，不能再关联新的报价`);
}

function assertValidity(validUntil: string, today: string): void {
  if (validUntil < today) throw badRequest('quote_validity_past', `有效期 ${validUntil} 已过：请选择今天（${today}）或之后的日期`);
}

function editRefusal(status: string): string {
  if (status === 'pending_approval') return '报价单正在特价审批中，不能修改：如需修改请先在审批中撤回';
  if (status === 'sent') return '报价单已发送给客户，不能直接修改：请使用“修订”生成新版本';
  if (status === 'superseded') return '这是旧版本，不能修改：请打开最新版本';
  return '报价单已转为合同，不能再修改';
}
