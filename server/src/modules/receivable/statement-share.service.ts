import { randomBytes } from 'node:crypto';
import type { PublicStatement } from '@shared/api/receivable-statement.js';
import { formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../http/app-error.js';
import { sha256Hex } from '../../lib/hash.js';
import { appendAudit } from '../audit/audit.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { findPublisherName, findReceivableCustomer } from './receivable-scope.js';
import { getReceivableSettings } from './receivable.settings.js';
import {
  findShareByTokenHash,
  findStatementById,
  findStatementLine,
  insertDispute,
  insertShare,
  listDisputesForStatement,
  markShareViewed,
  revokeShare,
  updateStatementStatus,
  type StatementShareRow,
} from './statement.repository.js';
import { loadStatementInScopeOrThrow, loadStatementView, type Page } from './statement.service.js';

/**
 * Share links let a bookstore's finance clerk, who is not in the publisher's DingTalk or WeCom, read
 * a sent statement, confirm it or dispute single lines. The token is 32 random bytes shown once; only
 * its SHA-256 is stored, and the link expires and can be revoked.
 */

/**
 * Builds the share link, naming the H5 route in the hash: the clerk opens it cold in any browser, and a hash URL
 * reaches the page without depending on the app turning a path into a hash route first.
 */
function shareUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/statement-share/${token}`;
}

export async function createShareLink(db: Db, actor: Actor, statementId: number, input: { expiresInDays?: number }, context: { now: Date; publicUrl: string }) {
  const { row, customer } = await loadStatementInScopeOrThrow(db, actor, statementId);
  if (!hasRole(actor, 'finance', 'admin', 'manager') && customer.ownerId !== actor.id) throw forbidden('分享这张对账单');

  const settings = await getReceivableSettings(db);
  const days = input.expiresInDays ?? settings.shareLinkDays;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(context.now.getTime() + days * 86_400_000).toISOString();

  const id = await db.transaction().execute(async (trx) => {
    const shareId = await insertShare(trx, { statement_id: row.id, token_hash: sha256Hex(token), expires_at: expiresAt, created_by: actor.id, created_at: context.now.toISOString(), revoked_at: null, last_viewed_at: null });
    await appendAudit(trx, { actorUserId: actor.id, action: 'statement.shared', entityType: 'statement', entityId: row.id, data: { shareId, expiresAt }, occurredAt: context.now });
    return shareId;
  });
  return { id, url: shareUrl(context.publicUrl, token), expiresAt };
}

export async function revokeShareLink(db: Db, actor: Actor, statementId: number, shareId: number, now: Date): Promise<void> {
  const { row, customer } = await loadStatementInScopeOrThrow(db, actor, statementId);
  if (!hasRole(actor, 'finance', 'admin', 'manager') && customer.ownerId !== actor.id) throw forbidden('撤销分享链接');
  await db.transaction().execute(async (trx) => {
    if (!(await revokeShare(trx, shareId, row.id, now.toISOString()))) throw notFound('分享链接');
    await appendAudit(trx, { actorUserId: actor.id, action: 'statement.share_revoked', entityType: 'statement', entityId: row.id, data: { shareId }, occurredAt: now });
  });
}

/** Loads the share row of a token, or throws a 404/410 the clerk can understand. */
async function loadShareOrThrow(db: Db, token: string, now: Date): Promise<StatementShareRow> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('对账单链接');
  const share = await findShareByTokenHash(db, sha256Hex(token));
  if (!share) throw notFound('对账单链接');
  if (share.revoked_at !== null) throw new AppError(410, 'share_revoked', '该对账单链接已被出版社撤销，请联系对接的业务员获取新链接');
  if (share.expires_at <= now.toISOString()) throw new AppError(410, 'share_expired', '该对账单链接已过期，请联系对接的业务员获取新链接');
  return share;
}

export async function getPublicStatement(db: Db, token: string, page: Page, now: Date): Promise<PublicStatement> {
  const share = await loadShareOrThrow(db, token, now);
  const statement = await findStatementById(db, share.statement_id);
  const customer = await findReceivableCustomer(db, statement!.customer_id);
  const view = await loadStatementView(db, customer!, statement!.month, page);
  await markShareViewed(db, share.id, now.toISOString());

  const disputes = await listDisputesForStatement(db, statement!.id);
  const { customer: _customer, ...rest } = view.statement;
  return {
    publisherName: await findPublisherName(db),
    statement: { ...rest, customerName: customer!.name },
    lines: view.lines,
    linesTotal: view.linesTotal,
    disputes: disputes.map((dispute) => ({
      id: dispute.id,
      statementLineId: dispute.statement_line_id,
      comment: dispute.comment,
      claimedAmountFen: dispute.claimed_amount_fen,
      clerkName: dispute.clerk_name,
      status: dispute.status,
      createdAt: dispute.created_at,
    })),
    expiresAt: share.expires_at,
  };
}

/** The clerk confirms the statement matches their books; open disputes must be closed first. */
export async function confirmPublicStatement(db: Db, token: string, clerkName: string, now: Date): Promise<void> {
  const share = await loadShareOrThrow(db, token, now);
  await db.transaction().execute(async (trx) => {
    const disputes = await listDisputesForStatement(trx, share.statement_id);
    if (disputes.some((dispute) => dispute.status === 'open')) throw conflict('statement_has_open_disputes', '还有未处理的异议：出版社处理完后再确认');
    if (!(await updateStatementStatus(trx, share.statement_id, ['sent', 'disputed'], { status: 'confirmed', confirmed_at: now.toISOString(), confirmed_by_name: clerkName }))) {
      throw conflict('statement_already_confirmed', '这张对账单已经确认过了');
    }
    await appendAudit(trx, { actorUserId: null, action: 'statement.confirmed', entityType: 'statement', entityId: share.statement_id, data: { shareId: share.id, clerkName }, occurredAt: now });
  });
}

/**
 * The clerk disputes one line (or the statement as a whole) with a comment and, optionally, the amount
 * their books show. The owner rep gets a notice and the dispute on their receivables page; the finance
 * clerk who sent the statement is told too.
 */
export async function disputePublicStatement(
  db: Db,
  token: string,
  input: { clerkName: string; statementLineId: number | null; comment: string; claimedAmountFen?: number | null },
  context: { now: Date; publicUrl: string },
): Promise<number> {
  const share = await loadShareOrThrow(db, token, context.now);
  return db.transaction().execute(async (trx) => {
    const statement = await findStatementById(trx, share.statement_id);
    if (!statement) throw notFound('对账单');
    if (statement.status === 'confirmed') throw conflict('statement_already_confirmed', '这张对账单已经确认，不能再提出异议；如有问题请联系业务员');

    let lineLabel = '整张对账单';
    if (input.statementLineId !== null) {
      const line = await findStatementLine(trx, input.statementLineId);
      if (!line || line.statement_id !== statement.id) throw badRequest('statement_line_invalid', '所选明细不属于这张对账单，请刷新页面后重试');
      lineLabel = `第 ${line.line_no} 行 ${line.document_number}（${formatYuan(line.amount_fen)}）`;
    }

    const disputeId = await insertDispute(trx, {
      statement_id: statement.id,
      statement_line_id: input.statementLineId,
      comment: input.comment,
      claimed_amount_fen: input.claimedAmountFen ?? null,
      clerk_name: input.clerkName,
      status: 'open',
      created_at: context.now.toISOString(),
      resolved_at: null,
      resolved_by: null,
      resolution_note: null,
    });
    await updateStatementStatus(trx, statement.id, ['sent'], { status: 'disputed' });
    await appendAudit(trx, { actorUserId: null, action: 'statement.disputed', entityType: 'statement', entityId: statement.id, data: { disputeId, shareId: share.id, ...input }, occurredAt: context.now });

    const customer = await findReceivableCustomer(trx, statement.customer_id);
    const recipients = new Set<number>([statement.sent_by]);
    if (customer?.ownerId) recipients.add(customer.ownerId);
    for (const recipientUserId of recipients) {
      await queueNotice(trx, {
        dedupKey: `statement-dispute:${disputeId}:${recipientUserId}`,
        recipientUserId,
        content: {
          title: '客户对账单有异议',
          fields: [
            { label: '客户', value: customer?.name ?? '' },
            { label: '月份', value: statement.month },
            { label: '异议明细', value: lineLabel },
            { label: '提出人', value: input.clerkName },
            ...(input.claimedAmountFen !== undefined && input.claimedAmountFen !== null ? [{ label: '客户账面金额', value: formatYuan(input.claimedAmountFen) }] : []),
          ],
          text: `异议内容：${input.comment}`,
          url: `${context.publicUrl}/receivables/statements/${statement.id}`,
          buttonText: '处理异议',
        },
        now: context.now,
      });
    }
    return disputeId;
  });
}
