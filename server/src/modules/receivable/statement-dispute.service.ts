import type { StatementDispute } from '@shared/api/receivable-statement.js';
import { formatYuan } from '@shared/money.js';
import { isWithinTolerance } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { postLedgerEntry } from './ledger.service.js';
import { findLedgerEntryById } from './ledger.repository.js';
import { isFinance, loadMoneyCustomerOrThrow, loadMoneyScope } from './receivable-access.js';
import { toCustomerRef } from './receivable.mapper.js';
import { listCustomerNames } from './receivable-scope.js';
import { getReceivableSettings } from './receivable.settings.js';
import { closeDispute, findDisputeById, findStatementById, findStatementLines, listDisputes, type StatementDisputeRow } from './statement.repository.js';

/**
 * Disputes a customer's clerk raised on a shared statement. Each is a task for the customer's owner
 * rep (notice plus the list on their receivables page). The rep or finance closes it with a note;
 * finance can settle a difference within the configured tolerance in one step, which books an
 * adjustment in the ledger (never a change to the sent statement).
 */

/**
 * The difference a dispute claims, signed the way the ledger counts: positive raises what the customer
 * owes. The clerk gives the document amount as their books show it (not negative); for a line that
 * lowers the balance (return, receipt) a larger claimed amount lowers it further.
 */
export function disputeAdjustmentFen(ourAmountFen: number, claimedAmountFen: number): number {
  const sign = ourAmountFen < 0 ? -1 : 1;
  return sign * (claimedAmountFen - Math.abs(ourAmountFen));
}

export async function toDisputes(db: DbExecutor, rows: (StatementDisputeRow & { customer_id?: number; month?: string })[]): Promise<StatementDispute[]> {
  if (rows.length === 0) return [];
  const settings = await getReceivableSettings(db);
  const lines = new Map((await findStatementLines(db, rows.map((row) => row.statement_line_id).filter((id): id is number => id !== null))).map((line) => [line.id, line]));
  const statements = new Map<number, { customer_id: number; month: string; closing_fen: number }>();
  for (const statementId of new Set(rows.map((row) => row.statement_id))) {
    const statement = await findStatementById(db, statementId);
    if (statement) statements.set(statementId, statement);
  }
  const customers = await listCustomerNames(db, [...statements.values()].map((statement) => statement.customer_id));

  return rows.map((row) => {
    const statement = statements.get(row.statement_id)!;
    const line = row.statement_line_id === null ? undefined : lines.get(row.statement_line_id);
    const ourAmount = line ? line.amount_fen : statement.closing_fen;
    const differenceFen = row.claimed_amount_fen === null ? null : line ? disputeAdjustmentFen(ourAmount, row.claimed_amount_fen) : row.claimed_amount_fen - ourAmount;
    return {
      id: row.id,
      statementId: row.statement_id,
      statementLineId: row.statement_line_id,
      lineNo: line?.line_no ?? null,
      documentNumber: line?.document_number ?? null,
      lineAmountFen: line ? line.amount_fen : null,
      claimedAmountFen: row.claimed_amount_fen,
      differenceFen,
      withinTolerance: differenceFen !== null && differenceFen !== 0 && isWithinTolerance(differenceFen, settings.statementToleranceFen),
      comment: row.comment,
      clerkName: row.clerk_name,
      status: row.status,
      createdAt: row.created_at,
      resolvedAt: row.resolved_at,
      resolutionNote: row.resolution_note,
      customer: toCustomerRef(statement.customer_id, customers),
      month: statement.month,
    };
  });
}

export async function listDisputesForActor(db: Db, actor: Actor, filter: { status: StatementDisputeRow['status']; limit: number; offset: number }) {
  const scope = await loadMoneyScope(db, actor);
  const { rows, total } = await listDisputes(db, { ...filter, scope });
  return { items: await toDisputes(db, rows), total };
}

async function loadDisputeForActor(db: DbExecutor, actor: Actor, disputeId: number) {
  const dispute = await findDisputeById(db, disputeId);
  if (!dispute) throw notFound('对账异议');
  const statement = await findStatementById(db, dispute.statement_id);
  const scope = await loadMoneyScope(db, actor);
  let customer;
  try {
    customer = await loadMoneyCustomerOrThrow(db, scope, statement!.customer_id);
  } catch {
    throw notFound('对账异议');
  }
  return { dispute, statement: statement!, customer };
}

/** Closes a dispute after talking to the customer (a mistake on their side, or fixed by a later document). */
export async function resolveDispute(db: Db, actor: Actor, disputeId: number, note: string, now: Date): Promise<StatementDispute> {
  const { dispute, customer } = await loadDisputeForActor(db, actor, disputeId);
  if (!isFinance(actor) && customer.ownerId !== actor.id) throw forbidden('处理该客户的对账异议');

  return db.transaction().execute(async (trx) => {
    if (!(await closeDispute(trx, dispute.id, { status: 'resolved', resolvedAt: now.toISOString(), resolvedBy: actor.id, note }))) {
      throw conflict('dispute_already_closed', '这条异议已经处理过了');
    }
    await appendAudit(trx, { actorUserId: actor.id, action: 'statement_dispute.resolved', entityType: 'statement_dispute', entityId: dispute.id, data: { note }, occurredAt: now });
    const [view] = await toDisputes(trx, [(await findDisputeById(trx, dispute.id))!]);
    return view!;
  });
}

/**
 * Settles a disputed difference within the tolerance in one step: an adjustment of (claimed − ours)
 * is booked today, so it appears in the next statement not yet sent.
 */
export async function settleDispute(db: Db, actor: Actor, disputeId: number, context: { now: Date; today: string }) {
  if (!isFinance(actor)) throw forbidden('一键调平对账差异');
  const { dispute, statement, customer } = await loadDisputeForActor(db, actor, disputeId);
  const [view] = await toDisputes(db, [dispute]);
  if (view!.differenceFen === null || view!.differenceFen === 0) throw badRequest('dispute_without_amount', '客户没有填写金额，无法自动调平：请联系客户核对后手工处理');

  const settings = await getReceivableSettings(db);
  if (!view!.withinTolerance) {
    throw badRequest('dispute_over_tolerance', `差异 ${formatYuan(view!.differenceFen!)} 超过可一键调平的 ${formatYuan(settings.statementToleranceFen)}：请核对单据后手工处理`);
  }

  return db.transaction().execute(async (trx) => {
    if (!(await closeDispute(trx, dispute.id, { status: 'settled', resolvedAt: context.now.toISOString(), resolvedBy: actor.id, note: `差异 ${formatYuan(view!.differenceFen!)} 已调平` }))) {
      throw conflict('dispute_already_closed', '这条异议已经处理过了');
    }
    const entryId = await postLedgerEntry(trx, {
      customerId: customer.id,
      kind: 'adjustment',
      sourceId: dispute.id,
      documentNumber: `TZ-${dispute.id}`,
      entryDate: context.today,
      amountFen: view!.differenceFen!,
      description: `对账差异调整（${statement.month} 对账单${view!.documentNumber ? ` ${view!.documentNumber}` : ''}）：${dispute.comment}`.slice(0, 200),
      now: context.now,
    });
    const entry = await findLedgerEntryById(trx, entryId);
    await appendAudit(trx, { actorUserId: actor.id, action: 'statement_dispute.settled', entityType: 'statement_dispute', entityId: dispute.id, data: { adjustmentFen: view!.differenceFen, entryId }, occurredAt: context.now });
    const [settled] = await toDisputes(trx, [(await findDisputeById(trx, dispute.id))!]);
    return { dispute: settled!, adjustmentFen: view!.differenceFen!, postingMonth: entry!.posting_month };
  });
}
