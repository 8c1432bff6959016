import type { z } from 'zod';
import type { ContractDetail, ContractInput, ContractList, contractFromQuoteRequestSchema, contractListQuerySchema } from '@shared/api/contract.js';
import { canEditContract, contractStatusLabels } from '@shared/contract-rules.js';
import { lineAmounts } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { AppError, badRequest, conflict } from '../../http/app-error.js';
import { addDays, localDate } from '../../lib/clock.js';
import { appendAudit } from '../audit/audit.service.js';
import { appendTimeline, getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import { getVisibleOpportunityOrThrow } from '../opportunity/opportunity.service.js';
import { getProjectDetail } from '../project/project.service.js';
import { getQuoteForContract, markQuoteConverted } from '../quote/quote.service.js';
import { contractScopeOf, getVisibleContractOrThrow, mayWorkOnContract } from './contract.access.js';
import { buildContractLines, buildInstallments, sumContractLines, type InstallmentValues, type LineValues } from './contract.lines.js';
import * as repository from './contract.repository.js';
import { loadContractContent, statusOf, toContractDetail, toContractSummary } from './contract.views.js';
import './contract.subjects.js';

export interface ContractClock {
  now: Date;
  timeZone: string;
}

/** HT-YYYY-NNNNNN: the year of the creation date in the tenant zone and that year's sequence. */
async function nextContractNumber(db: DbExecutor, clock: ContractClock): Promise<string> {
  const year = Number(localDate(clock.now, clock.timeZone).slice(0, 4));
  const sequence = await repository.takeNextContractSequence(db, year);
  if (sequence > 999_999) throw new AppError(409, 'contract_number_exhausted', `${year} 年的合同编号已用完（HT-${year}-999999），请联系系统管理员`);
  return `HT-${year}-${String(sequence).padStart(6, '0')}`;
}

/** Checks the links of a contract: the customer in the actor's reach, and opportunity and project of that customer. */
async function assertContractLinks(db: DbExecutor, actor: Actor, input: ContractInput, clock: ContractClock): Promise<void> {
  await getVisibleCustomerOrThrow(db, actor, input.customerId);
  if (input.opportunityId !== null) {
    const opportunity = await getVisibleOpportunityOrThrow(db, actor, input.opportunityId);
    if (opportunity.customer_id !== input.customerId) {
      throw badRequest('opportunity_customer_mismatch', '所选商机不属于该客户，请重新选择商机或客户', [{ field: 'opportunityId', message: '商机不属于该客户' }]);
    }
  }
  if (input.projectId !== null) {
    await getProjectDetail(db, actor, input.projectId, { now: clock.now, today: localDate(clock.now, clock.timeZone), publicUrl: '' });
  }
}

async function priceContract(db: DbExecutor, input: ContractInput, clock: ContractClock) {
  const lines = await buildContractLines(db, input.customerId, input.lines, localDate(clock.now, clock.timeZone));
  const totals = sumContractLines(lines);
  const installments = buildInstallments(totals.totalNetFen, input.installments);
  return { lines, totals, installments };
}

function headerValues(input: ContractInput) {
  return {
    customer_id: input.customerId,
    type: input.type,
    title: input.title,
    start_date: input.startDate,
    end_date: input.endDate,
    delivery_terms: input.deliveryTerms,
    notes: input.notes,
    opportunity_id: input.opportunityId,
    project_id: input.projectId,
  };
}

/** Creates a draft owned by the actor, with lines priced and installments checked. Returns its id. */
export async function createContract(db: Db, actor: Actor, input: ContractInput, clock: ContractClock): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await assertContractLinks(trx, actor, input, clock);
    const priced = await priceContract(trx, input, clock);
    return insertDraft(trx, actor, { header: headerValues(input), quoteId: null, ...priced }, clock);
  });
}

async function insertDraft(
  trx: DbExecutor,
  actor: Actor,
  draft: { header: ReturnType<typeof headerValues>; quoteId: number | null; lines: LineValues[]; totals: ReturnType<typeof sumContractLines>; installments: InstallmentValues[] },
  clock: ContractClock,
): Promise<number> {
  const number = await nextContractNumber(trx, clock);
  const now = clock.now.toISOString();
  const contractId = await repository.insertContract(trx, {
    ...draft.header,
    number,
    status: 'draft',
    owner_id: actor.id,
    quote_id: draft.quoteId,
    total_list_fen: draft.totals.totalListFen,
    total_net_fen: draft.totals.totalNetFen,
    total_quantity: draft.totals.totalQuantity,
    has_special_discount: draft.totals.hasSpecialDiscount ? 1 : 0,
    version: 1,
    created_by: actor.id,
    created_at: now,
    updated_at: now,
  });
  await repository.replaceContractLines(trx, contractId, draft.lines);
  await repository.replaceInstallments(trx, contractId, draft.installments);

  await appendTimeline(trx, {
    customerId: draft.header.customer_id,
    kind: 'contract',
    refType: 'contract',
    refId: contractId,
    title: `新建合同 ${number}`,
    summary: draft.header.title,
    actorUserId: actor.id,
    occurredAt: clock.now,
    dedupKey: `contract:${contractId}:created`,
  });
  await appendAudit(trx, { actorUserId: actor.id, action: 'contract.create', entityType: 'contract', entityId: contractId, data: { number, quoteId: draft.quoteId, totalNetFen: draft.totals.totalNetFen }, occurredAt: clock.now });
  return contractId;
}

/** Replaces a draft's content. Only drafts are editable; the version guards against two editors. */
export async function updateContract(db: Db, actor: Actor, contractId: number, input: { contract: ContractInput; version: number }, clock: ContractClock): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { row } = await getVisibleContractOrThrow(trx, actor, contractId);
    if (!(await mayWorkOnContract(trx, actor, row))) throw new AppError(403, 'forbidden', '只有合同负责人或其主管可以修改合同');
    if (!canEditContract(statusOf(row))) {
      throw conflict('contract_not_editable', `合同${contractStatusLabels[statusOf(row)]}，只有草稿可以修改${row.status === 'in_review' ? '；如需修改请先撤回审批' : ''}`);
    }

    await assertContractLinks(trx, actor, input.contract, clock);
    const priced = await priceContract(trx, input.contract, clock);
    const saved = await repository.updateContractIfVersion(trx, contractId, input.version, {
      ...headerValues(input.contract),
      total_list_fen: priced.totals.totalListFen,
      total_net_fen: priced.totals.totalNetFen,
      total_quantity: priced.totals.totalQuantity,
      has_special_discount: priced.totals.hasSpecialDiscount ? 1 : 0,
      updated_at: clock.now.toISOString(),
    });
    if (!saved) throw conflict('contract_changed', '合同已被他人修改，请刷新页面后在最新内容上修改');
    await repository.replaceContractLines(trx, contractId, priced.lines);
    await repository.replaceInstallments(trx, contractId, priced.installments);
    await appendAudit(trx, { actorUserId: actor.id, action: 'contract.update', entityType: 'contract', entityId: contractId, data: { totalNetFen: priced.totals.totalNetFen }, occurredAt: clock.now });
  });
}

/**
 * Creates a draft from a quote ready for contracting (lines keep the quote's prices, discounts and
 * special-discount marks) with one installment of the full amount due in 30 days for the rep to adjust,
 * and marks the quote converted.
 */
export async function createContractFromQuote(db: Db, actor: Actor, input: z.infer<typeof contractFromQuoteRequestSchema>, clock: ContractClock): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const quote = await getQuoteForContract(trx, actor, input.quoteId, clock.now);
    await getVisibleCustomerOrThrow(trx, actor, quote.customerId);

    const lines: LineValues[] = quote.lines.map((line, index) => {
      const amounts = lineAmounts({ listPriceFen: line.listPriceFen, quantity: line.quantity, discount: line.discount });
      return {
        seq: index + 1,
        book_id: line.bookId,
        isbn: line.isbn,
        title: line.title,
        list_price_fen: line.listPriceFen,
        quantity: line.quantity,
        discount: line.discount,
        floor_discount: line.floorDiscount,
        is_special_discount: line.isSpecialDiscount ? 1 : 0,
        list_amount_fen: amounts.listAmountFen,
        net_amount_fen: amounts.netAmountFen,
      };
    });
    const totals = sumContractLines(lines);
    const dueDate = addDays(localDate(clock.now, clock.timeZone), 30);
    const installments = totals.totalNetFen > 0 ? buildInstallments(totals.totalNetFen, [{ dueDate, amountFen: totals.totalNetFen, percentBp: null, note: '' }]) : [];
    const header = {
      customer_id: quote.customerId,
      type: input.type,
      title: input.title ?? `${quote.number} 报价转合同`,
      start_date: null,
      end_date: null,
      delivery_terms: '',
      notes: '',
      opportunity_id: quote.opportunityId,
      project_id: null,
    };

    const contractId = await insertDraft(trx, actor, { header, quoteId: quote.id, lines, totals, installments }, clock);
    await markQuoteConverted(trx, { quoteId: quote.id, contractId, at: clock.now });
    return contractId;
  });
}

export async function getContractDetail(db: DbExecutor, actor: Actor, contractId: number): Promise<ContractDetail> {
  const { row } = await getVisibleContractOrThrow(db, actor, contractId);
  const content = await loadContractContent(db, row);
  return toContractDetail(db, actor, content, await mayWorkOnContract(db, actor, row));
}

export async function listContracts(db: DbExecutor, actor: Actor, query: z.infer<typeof contractListQuerySchema>): Promise<ContractList> {
  const scope = await contractScopeOf(db, actor);
  const rows = await repository.listContracts(db, { scope, status: query.status, customerId: query.customerId, q: query.q, before: query.before, limit: query.limit });
  const items = rows.map(toContractSummary);
  return { items, nextBefore: items.length === query.limit ? items.at(-1)!.id : null };
}

/** What receivables read about a contract (no access check: callers have checked their own record's access). */
export async function getContractForReceivables(db: DbExecutor, contractId: number) {
  const row = await repository.findContractById(db, contractId);
  if (!row) return undefined;
  const lines = await repository.listContractLines(db, contractId);
  return {
    id: row.id,
    number: row.number,
    customerId: row.customer_id,
    ownerId: row.owner_id,
    status: statusOf(row),
    totalNetFen: row.total_net_fen,
    lines: lines.map((line) => ({ seq: line.seq, bookId: line.book_id, isbn: line.isbn, title: line.title, listPriceFen: line.list_price_fen, quantity: line.quantity, discount: line.discount, netAmountFen: line.net_amount_fen })),
  };
}

/** A short reference for links from other records (projects, timelines); 404 when the actor may not see it. */
export async function getVisibleContractRef(db: DbExecutor, actor: Actor, contractId: number) {
  const { row } = await getVisibleContractOrThrow(db, actor, contractId);
  return { id: row.id, number: row.number, title: row.title, customerId: row.customer_id, status: statusOf(row), totalNetFen: row.total_net_fen, createdAt: row.created_at };
}
