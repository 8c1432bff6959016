import { bookCategorySchema } from '@shared/api/book.js';
import { quoteStatusSchema, specialDiscountApprovalSchema, type QuoteDetail, type QuoteListQuery, type QuoteSummary } from '@shared/api/quote.js';
import { formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import { resolveScope, isInScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { conflict, notFound } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { evaluateCreditLimit, listCustomerNames } from '../customer/customer.service.js';
import { findOpportunityById } from '../opportunity/opportunity.repository.js';
import { canEditOpportunity } from '../opportunity/opportunity.rules.js';
import * as repository from './quote.repository.js';
import { openQuoteStatuses, quoteActions, quoteBlockedReason, type QuoteState } from './quote.rules.js';

export const quoteTimeZone = 'Asia/Shanghai';

export function quoteStateOf(row: repository.QuoteRow): QuoteState {
  return {
    status: quoteStatusSchema.parse(row.status),
    lineCount: row.line_count,
    specialLineCount: row.special_line_count,
    specialDiscountApproval: specialDiscountApprovalSchema.parse(row.special_discount_approval),
    validUntil: row.valid_until,
  };
}

function toQuoteSummary(row: repository.QuoteRow, names: { customer: string; opportunity: string | null }, today: string): QuoteSummary {
  const state = quoteStateOf(row);
  return {
    id: row.id,
    number: row.number,
    version: row.version,
    customerId: row.customer_id,
    customerName: names.customer,
    opportunityId: row.opportunity_id,
    opportunityName: names.opportunity,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    status: state.status,
    specialDiscountApproval: state.specialDiscountApproval,
    approvalId: row.approval_id,
    validUntil: row.valid_until,
    listAmountFen: row.list_amount_fen,
    netAmountFen: row.net_amount_fen,
    totalQuantity: row.total_quantity,
    lineCount: row.line_count,
    specialLineCount: row.special_line_count,
    blockedReason: quoteBlockedReason(state, today),
    contractId: row.contract_id,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toQuoteLine(row: repository.QuoteLineRow) {
  return {
    id: row.id,
    seq: row.seq,
    bookId: row.book_id,
    isbn: row.isbn,
    title: row.title,
    category: bookCategorySchema.parse(row.category),
    series: row.series,
    listPriceFen: row.list_price_fen,
    quantity: row.quantity,
    discount: row.discount,
    defaultDiscount: row.default_discount,
    floorDiscount: row.floor_discount,
    listAmountFen: row.list_amount_fen,
    netAmountFen: row.net_amount_fen,
    isSpecialDiscount: row.is_special_discount === 1,
  };
}

/** Loads the quote when its owner is in the actor's scope, and throws 404 otherwise, as if it did not exist. */
export async function getVisibleQuoteOrThrow(db: DbExecutor, actor: Actor, quoteId: number): Promise<{ row: repository.QuoteRow; scope: DataScope }> {
  const row = await repository.findQuoteById(db, quoteId);
  if (!row) throw notFound('报价单');
  const scope = await resolveScope(db, actor, 'business');
  if (!isInScope(scope, row.owner_id)) throw notFound('报价单');
  return { row, scope };
}

/** Allows the owner and the managers above the owner to work on a quote (the same rule as opportunities). */
export function mayWorkOnQuote(actor: Actor, scope: DataScope, row: repository.QuoteRow): boolean {
  return canEditOpportunity(actor, scope, row.owner_id);
}

async function opportunityName(db: DbExecutor, opportunityId: number | null): Promise<string | null> {
  if (opportunityId === null) return null;
  return (await findOpportunityById(db, opportunityId))?.name ?? null;
}

export async function getQuoteDetail(db: DbExecutor, actor: Actor, quoteId: number, now: Date): Promise<QuoteDetail> {
  const { row, scope } = await getVisibleQuoteOrThrow(db, actor, quoteId);
  const today = localDate(now, quoteTimeZone);
  const [customerNames, oppName, lines, versions] = await Promise.all([
    listCustomerNames(db, [row.customer_id]),
    opportunityName(db, row.opportunity_id),
    repository.listQuoteLines(db, row.id),
    repository.listVersions(db, row.number),
  ]);
  const state = quoteStateOf(row);
  return {
    ...toQuoteSummary(row, { customer: customerNames.get(row.customer_id) ?? '', opportunity: oppName }, today),
    notes: row.notes,
    lines: lines.map(toQuoteLine),
    versions: versions.map((version) => ({ id: version.id, version: version.version, status: quoteStatusSchema.parse(version.status), netAmountFen: version.net_amount_fen, createdAt: version.created_at })),
    actions: quoteActions(state, today, mayWorkOnQuote(actor, scope, row)),
    creditWarning: await creditWarning(db, row, today),
  };
}

/**
 * The credit-limit warning the rep sees before sending: open quotes already count towards exposure, so a
 * draft adds its own amount and a live quote adds nothing.
 */
async function creditWarning(db: DbExecutor, row: repository.QuoteRow, today: string): Promise<string | null> {
  const state = quoteStateOf(row);
  if (state.status === 'superseded' || state.status === 'converted') return null;
  const additional = openQuoteStatuses.includes(state.status) && row.valid_until >= today ? 0 : row.net_amount_fen;
  const credit = await evaluateCreditLimit(db, row.customer_id, additional, today);
  if (!credit.exceeded || credit.limitFen === null) return null;
  const parts = credit.breakdown.filter((item) => item.amountFen > 0).map((item) => `${item.label} ${formatYuan(item.amountFen)}`);
  return `超出信用额度：客户信用额度 ${formatYuan(credit.limitFen)}，计入本单后敞口 ${formatYuan(credit.projectedFen)}${parts.length > 0 ? `（${parts.join('，')}）` : ''}。转合同时需财务审批。`;
}

export async function listQuotes(db: DbExecutor, actor: Actor, query: QuoteListQuery, now: Date) {
  const scope = await resolveScope(db, actor, 'business');
  const { rows, total } = await repository.listQuotes(db, { ...query, scope });
  const today = localDate(now, quoteTimeZone);
  const customerNames = await listCustomerNames(db, rows.map((row) => row.customer_id));
  const items = [];
  for (const row of rows) {
    items.push(toQuoteSummary(row, { customer: customerNames.get(row.customer_id) ?? '', opportunity: await opportunityName(db, row.opportunity_id) }, today));
  }
  return { items, total };
}

/** The quote content the contract module copies into a contract draft. */
export interface QuoteForContract {
  id: number;
  number: string;
  version: number;
  customerId: number;
  opportunityId: number | null;
  ownerId: number;
  validUntil: string;
  listAmountFen: number;
  netAmountFen: number;
  hasSpecialDiscount: boolean;
  lines: ReturnType<typeof toQuoteLine>[];
}

/**
 * A quote ready to become a contract: visible to the actor, not superseded or converted, not expired, and
 * with every special discount approved. Otherwise 409 with the reason the rep sees on the quote.
 */
export async function getQuoteForContract(db: DbExecutor, actor: Actor, quoteId: number, now = new Date()): Promise<QuoteForContract> {
  const { row } = await getVisibleQuoteOrThrow(db, actor, quoteId);
  const state = quoteStateOf(row);
  const reason = quoteBlockedReason(state, localDate(now, quoteTimeZone));
  if (reason) throw conflict('quote_not_convertible', `报价单 ${row.number} 暂不能转合同：${reason}`);

  const lines = await repository.listQuoteLines(db, row.id);
  return {
    id: row.id,
    number: row.number,
    version: row.version,
    customerId: row.customer_id,
    opportunityId: row.opportunity_id,
    ownerId: row.owner_id,
    validUntil: row.valid_until,
    listAmountFen: row.list_amount_fen,
    netAmountFen: row.net_amount_fen,
    hasSpecialDiscount: row.special_line_count > 0,
    lines: lines.map(toQuoteLine),
  };
}

/** Marks the quote converted; the contract module calls it in the transaction that creates the draft. Idempotent per contract. */
export async function markQuoteConverted(db: DbExecutor, input: { quoteId: number; contractId: number; at: Date }): Promise<void> {
  const row = await repository.findQuoteById(db, input.quoteId);
  if (!row) throw new Error(`markQuoteConverted: quote ${input.quoteId} does not exist`);
  if (row.status === 'converted' && row.contract_id === input.contractId) return;
  await repository.updateQuote(db, row.id, { status: 'converted', contract_id: input.contractId, updated_at: input.at.toISOString() });
}

/** 实洋 of a customer's live quotes (in approval, approved or sent, and still valid): part of its credit exposure. */
export async function sumOpenQuoteAmount(db: DbExecutor, customerId: number, asOfDate?: string): Promise<number> {
  return repository.sumOpenNetAmount(db, customerId, openQuoteStatuses, asOfDate ?? localDate(new Date(), quoteTimeZone));
}
