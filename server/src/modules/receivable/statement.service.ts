import type { Statement, StatementLine } from '@shared/api/receivable-statement.js';
import { formatYuan } from '@shared/money.js';
import { monthOf, statementFigures, type StatementFigures } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { sumBalanceBefore } from './ledger.repository.js';
import { assertFinance, loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toCustomerRef } from './receivable.mapper.js';
import { listCustomerNames, type ReceivableCustomer } from './receivable-scope.js';
import { getReceivableSettings } from './receivable.settings.js';
import {
  copyEntriesToStatement,
  findStatement,
  findStatementById,
  insertStatement,
  listDisputesForStatement,
  listEntryPage,
  listSharesForStatement,
  listStatementLinePage,
  listStatements,
  sumEntriesByKind,
  type StatementListFilter,
  type StatementRow,
} from './statement.repository.js';
import { toDisputes } from './statement-dispute.service.js';

/**
 * Monthly statements (对账单): opening balance, shipped, returned, received, adjustments and closing
 * balance of one customer and month, with the ledger lines behind them. Before sending, a statement is
 * a draft computed from the ledger on demand. Sending freezes its figures and lines, and later entries
 * dated in that month are booked into the next one.
 */

export interface Page {
  limit: number;
  offset: number;
}

/** Figures of a customer-month straight from the ledger. */
export async function computeStatementFigures(db: DbExecutor, customerId: number, month: string): Promise<StatementFigures & { lineCount: number }> {
  const [opening, byKind] = await Promise.all([sumBalanceBefore(db, customerId, month), sumEntriesByKind(db, customerId, month)]);
  return { ...statementFigures(opening, byKind), lineCount: byKind.reduce((sum, item) => sum + item.count, 0) };
}

function figuresOfRow(row: StatementRow): StatementFigures {
  return {
    openingBalanceFen: row.opening_fen,
    shippedFen: row.shipped_fen,
    returnedFen: row.returned_fen,
    receivedFen: row.received_fen,
    adjustedFen: row.adjusted_fen,
    closingBalanceFen: row.closing_fen,
  };
}

function toStatement(row: StatementRow, customer: Statement['customer']): Statement {
  return {
    id: row.id,
    number: row.number,
    customer,
    month: row.month,
    status: row.status,
    figures: figuresOfRow(row),
    lineCount: row.line_count,
    sentAt: row.sent_at,
    confirmedAt: row.confirmed_at,
    confirmedByName: row.confirmed_by_name,
  };
}

function withRunningBalance<T extends { amount_fen: number }>(rows: T[], startFen: number): (T & { balanceFen: number })[] {
  let balance = startFen;
  return rows.map((row) => {
    balance += row.amount_fen;
    return { ...row, balanceFen: balance };
  });
}

/** Loads a statement (frozen if sent, else a draft) with one page of its lines, each with the running balance. */
export async function loadStatementView(db: DbExecutor, customer: ReceivableCustomer, month: string, page: Page) {
  const customerRef = { id: customer.id, name: customer.name, ownerId: customer.ownerId, ownerName: customer.ownerName };
  const frozen = await findStatement(db, customer.id, month);
  if (frozen) {
    const { rows, sumBeforeFen } = await listStatementLinePage(db, frozen.id, page);
    const lines: StatementLine[] = withRunningBalance(rows, frozen.opening_fen + sumBeforeFen).map((row) => ({
      id: row.id,
      lineNo: row.line_no,
      kind: row.kind,
      entryDate: row.entry_date,
      documentNumber: row.document_number,
      description: row.description,
      listAmountFen: row.list_amount_fen,
      amountFen: row.amount_fen,
      balanceFen: row.balanceFen,
    }));
    return { statement: toStatement(frozen, customerRef), lines, linesTotal: frozen.line_count };
  }

  const figures = await computeStatementFigures(db, customer.id, month);
  const { rows, sumBeforeFen } = await listEntryPage(db, customer.id, month, page);
  const lines: StatementLine[] = withRunningBalance(rows, figures.openingBalanceFen + sumBeforeFen).map((row, index) => ({
    id: null,
    lineNo: page.offset + index + 1,
    kind: row.kind,
    entryDate: row.entry_date,
    documentNumber: row.document_number,
    description: row.description,
    listAmountFen: row.list_amount_fen,
    amountFen: row.amount_fen,
    balanceFen: row.balanceFen,
  }));
  const { lineCount, ...statementFiguresOnly } = figures;
  const statement: Statement = { id: null, number: null, customer: customerRef, month, status: 'draft', figures: statementFiguresOnly, lineCount, sentAt: null, confirmedAt: null, confirmedByName: null };
  return { statement, lines, linesTotal: lineCount };
}

export async function getStatementForActor(db: Db, actor: Actor, query: { customerId: number; month: string } & Page) {
  const scope = await loadMoneyScope(db, actor);
  const customer = await loadMoneyCustomerOrThrow(db, scope, query.customerId);
  const view = await loadStatementView(db, customer, query.month, query);
  return { ...view, ...(await statementExtras(db, view.statement.id)) };
}

async function statementExtras(db: DbExecutor, statementId: number | null) {
  if (statementId === null) return { disputes: [], shares: [] };
  const [disputes, shares] = await Promise.all([listDisputesForStatement(db, statementId), listSharesForStatement(db, statementId)]);
  return {
    disputes: await toDisputes(db, disputes),
    shares: shares.map((share) => ({ id: share.id, expiresAt: share.expires_at, createdAt: share.created_at, revokedAt: share.revoked_at, lastViewedAt: share.last_viewed_at })),
  };
}

export async function loadStatementInScopeOrThrow(db: DbExecutor, actor: Actor, statementId: number): Promise<{ row: StatementRow; customer: ReceivableCustomer }> {
  const scope = await loadMoneyScope(db, actor);
  const row = await findStatementById(db, statementId);
  if (!row) throw notFound('对账单');
  try {
    return { row, customer: await loadMoneyCustomerOrThrow(db, scope, row.customer_id) };
  } catch {
    throw notFound('对账单');
  }
}

export async function getStatementByIdForActor(db: Db, actor: Actor, statementId: number, page: Page) {
  const { row, customer } = await loadStatementInScopeOrThrow(db, actor, statementId);
  const view = await loadStatementView(db, customer, row.month, page);
  return { ...view, ...(await statementExtras(db, row.id)) };
}

/**
 * Sends (freezes) the statement of a customer-month: figures and lines are copied as they are now and
 * never change again. Only a month that has ended, or the current one, can be sent, and only once.
 */
export async function sendStatement(db: Db, actor: Actor, input: { customerId: number; month: string }, context: { now: Date; today: string; publicUrl: string }) {
  assertFinance(actor, '发送对账单');
  const scope = await loadMoneyScope(db, actor);
  const customer = await loadMoneyCustomerOrThrow(db, scope, input.customerId);
  if (input.month > monthOf(context.today)) throw badRequest('statement_month_future', `${input.month} 还没到，不能发送对账单`);

  const statementId = await db.transaction().execute(async (trx) => {
    if (await findStatement(trx, customer.id, input.month)) throw conflict('statement_already_sent', `${customer.name} ${input.month} 的对账单已发送，发送后不能修改；更正会出现在下月对账单中`);

    const figures = await computeStatementFigures(trx, customer.id, input.month);
    const id = await insertStatement(trx, {
      number: `DZ${input.month.replace('-', '')}-${String(customer.id).padStart(6, '0')}`,
      customer_id: customer.id,
      month: input.month,
      opening_fen: figures.openingBalanceFen,
      shipped_fen: figures.shippedFen,
      returned_fen: figures.returnedFen,
      received_fen: figures.receivedFen,
      adjusted_fen: figures.adjustedFen,
      closing_fen: figures.closingBalanceFen,
      line_count: figures.lineCount,
      status: 'sent',
      sent_by: actor.id,
      sent_at: context.now.toISOString(),
      confirmed_at: null,
      confirmed_by_name: null,
    });
    await copyEntriesToStatement(trx, id, customer.id, input.month);

    await appendAudit(trx, { actorUserId: actor.id, action: 'statement.sent', entityType: 'statement', entityId: id, data: { customerId: customer.id, month: input.month, ...figures }, occurredAt: context.now });
    if (customer.ownerId !== null) {
      await queueNotice(trx, {
        dedupKey: `statement:${id}:sent:owner`,
        recipientUserId: customer.ownerId,
        content: {
          title: '对账单已发送',
          fields: [
            { label: '客户', value: customer.name },
            { label: '月份', value: input.month },
            { label: '期末余额', value: formatYuan(figures.closingBalanceFen) },
          ],
          text: '财务已生成本月对账单，可分享链接请客户财务在线确认。',
          url: `${context.publicUrl}/receivables/statements/${id}`,
          buttonText: '查看对账单',
        },
        now: context.now,
      });
    }
    return id;
  });

  const settings = await getReceivableSettings(db);
  return { statementId, shareLinkDays: settings.shareLinkDays };
}

export async function listStatementsForActor(db: Db, actor: Actor, filter: Omit<StatementListFilter, 'scope'>) {
  const scope = await loadMoneyScope(db, actor);
  const { rows, total } = await listStatements(db, { ...filter, scope });
  const customers = await listCustomerNames(db, rows.map((row) => row.customer_id));
  return { items: rows.map((row) => toStatement(row, toCustomerRef(row.customer_id, customers))), total };
}
