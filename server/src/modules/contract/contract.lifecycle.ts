import type { z } from 'zod';
import type { archiveContractRequestSchema, sealContractRequestSchema, voidContractRequestSchema } from '@shared/api/contract.js';
import { canArchiveContract, canRequestVoid, canSealContract, canVoidDirectly, contractStatusLabels, sealTypeLabels } from '@shared/contract-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbTransaction } from '../../db/database.js';
import { AppError, conflict } from '../../http/app-error.js';
import { appendAudit, listAuditForEntity } from '../audit/audit.service.js';
import { findLatestApprovalForSubject, submitApproval } from '../approval/approval.service.js';
import { withdrawApproval } from '../approval/approval.actions.js';
import { inAppUrl } from '../approval/approval.notices.js';
import { appendTimeline } from '../customer/customer.service.js';
import { queueNotice } from '../notification/notification.service.js';
import { getVisibleContractOrThrow, mayWorkOnContract } from './contract.access.js';
import * as repository from './contract.repository.js';
import { prepareContractReview } from './contract.review.js';
import { isChangedSinceApproval, loadContractContent, statusOf, toApprovalSubject } from './contract.views.js';

async function workableContractOrThrow(trx: DbTransaction, actor: Actor, contractId: number, action: string) {
  const { row } = await getVisibleContractOrThrow(trx, actor, contractId);
  if (!(await mayWorkOnContract(trx, actor, row))) throw new AppError(403, 'forbidden', `只有合同负责人或其主管可以${action}`);
  return row;
}

function versionConflict(): AppError {
  return conflict('contract_changed', '合同刚刚有变化，请刷新页面查看最新状态后再操作');
}

/** 提交审批: the draft (or an approved contract whose files changed) goes to the sales_contract approval. */
export async function submitContract(db: Db, actor: Actor, contractId: number, input: { version: number }, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await workableContractOrThrow(trx, actor, contractId, '提交审批');
    const prepared = await prepareContractReview(trx, contractId, now, input.version);

    const approvalId = await submitApproval(trx, {
      templateCode: 'sales_contract',
      subjectType: 'contract',
      subjectId: contractId,
      submitterId: actor.id,
      subject: prepared.subject,
      contentHash: prepared.contentHash,
      now,
    });
    await repository.updateContract(trx, contractId, { approval_id: approvalId, updated_at: now.toISOString() });
    await appendAudit(trx, { actorUserId: actor.id, action: 'contract.submit', entityType: 'contract', entityId: contractId, data: { approvalId, contentHash: prepared.contentHash }, occurredAt: now });
    await appendTimeline(trx, {
      customerId: row.customer_id,
      kind: 'contract',
      refType: 'contract',
      refId: contractId,
      title: `合同 ${row.number} 提交审批`,
      summary: row.title,
      actorUserId: actor.id,
      occurredAt: now,
    });
  });
}

/** 撤回 from the contract page: withdraws the running approval (the approval engine checks the submitter). */
export async function withdrawContractReview(db: Db, actor: Actor, contractId: number, now: Date): Promise<void> {
  const { row } = await getVisibleContractOrThrow(db, actor, contractId);
  const approval = await findLatestApprovalForSubject(db, row.status === 'void_review' ? 'contract_void' : 'contract', contractId);
  if (!approval || approval.status !== 'pending') throw conflict('contract_not_in_review', '合同当前没有进行中的审批，无需撤回');
  await withdrawApproval(db, actor, approval.id, {}, now);
}

/**
 * 用印: the seal keeper seals exactly the approved version. The hash they checked on the seal page must be
 * the approved one, the current content must still match it, and the audit chain must hold the approval
 * of that hash; otherwise sealing is refused.
 */
export async function sealContract(db: Db, actor: Actor, contractId: number, input: z.infer<typeof sealContractRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { row } = await getVisibleContractOrThrow(trx, actor, contractId);
    const content = await loadContractContent(trx, row);
    const status = statusOf(row);

    if (isChangedSinceApproval(content)) {
      throw conflict('contract_changed_since_approval', '审批通过后合同文件有变动（新增或更换了文件），需重新提交审批通过后才能用印');
    }
    if (!canSealContract(status, false)) throw conflict('contract_not_sealable', `合同${contractStatusLabels[status]}，只有审批通过的合同可以用印`);
    if (input.approvedContentHash !== row.approved_content_hash) {
      throw conflict('seal_hash_mismatch', '您核对的内容摘要与审批通过的版本不一致，请刷新页面后重新核对文件');
    }
    const audit = await listAuditForEntity(trx, 'contract', contractId);
    const approvedInAudit = audit.some((entry) => entry.action === 'contract.approved' && JSON.parse(entry.data).contentHash === row.approved_content_hash);
    if (!approvedInAudit) {
      throw conflict('approval_record_missing', '审计记录中找不到这一版本的审批通过记录，不能用印，请联系系统管理员核查');
    }

    const at = now.toISOString();
    const saved = await repository.updateContractIfVersion(trx, contractId, input.version, {
      status: 'sealed',
      sealed_at: at,
      sealed_by: actor.id,
      seal_type: input.sealType,
      sealed_content_hash: row.approved_content_hash,
      seal_note: input.note || null,
      updated_at: at,
    });
    if (!saved) throw versionConflict();

    await appendAudit(trx, { actorUserId: actor.id, action: 'contract.seal', entityType: 'contract', entityId: contractId, data: { sealType: input.sealType, contentHash: row.approved_content_hash }, occurredAt: now });
    await appendTimeline(trx, { customerId: row.customer_id, kind: 'contract', refType: 'contract', refId: contractId, title: `合同 ${row.number} 已用印（${sealTypeLabels[input.sealType]}）`, actorUserId: actor.id, occurredAt: now });
    await queueNotice(trx, {
      dedupKey: `contract:${contractId}:sealed`,
      recipientUserId: row.owner_id,
      content: {
        title: `合同已用印：${row.number}`,
        fields: [
          { label: '合同', value: row.title },
          { label: '印章', value: sealTypeLabels[input.sealType] },
          { label: '用印人', value: actor.name },
        ],
        text: '请将盖章合同寄送客户，回签后上传盖章扫描件。',
        url: inAppUrl(`/contracts/${contractId}`),
        buttonText: '查看合同',
      },
      now,
    });
  });
}

/** 归档: records the archive number (generated from the contract number when none is given) and place. */
export async function archiveContract(db: Db, actor: Actor, contractId: number, input: z.infer<typeof archiveContractRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { row } = await getVisibleContractOrThrow(trx, actor, contractId);
    if (!canArchiveContract(statusOf(row))) throw conflict('contract_not_archivable', `合同${contractStatusLabels[statusOf(row)]}，只有已用印的合同可以归档`);

    const archiveNumber = input.archiveNumber ?? `GD-${row.number.slice(3)}`;
    const at = now.toISOString();
    let saved: boolean;
    try {
      saved = await repository.updateContractIfVersion(trx, contractId, input.version, {
        status: 'archived',
        archive_number: archiveNumber,
        archive_location: input.location || null,
        archived_at: at,
        archived_by: actor.id,
        updated_at: at,
      });
    } catch (error) {
      if (String(error).includes('UNIQUE')) throw conflict('archive_number_taken', `档案号 ${archiveNumber} 已被其他合同使用，请换一个档案号`);
      throw error;
    }
    if (!saved) throw versionConflict();

    await appendAudit(trx, { actorUserId: actor.id, action: 'contract.archive', entityType: 'contract', entityId: contractId, data: { archiveNumber, location: input.location ?? null }, occurredAt: now });
    await appendTimeline(trx, { customerId: row.customer_id, kind: 'contract', refType: 'contract', refId: contractId, title: `合同 ${row.number} 已归档（${archiveNumber}）`, actorUserId: actor.id, occurredAt: now });
  });
}

/**
 * 作废: a draft is voided at once; a contract past approval goes to the contract_void approval and is
 * voided when that is approved.
 */
export async function voidContract(db: Db, actor: Actor, contractId: number, input: z.infer<typeof voidContractRequestSchema>, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await workableContractOrThrow(trx, actor, contractId, '作废合同');
    const status = statusOf(row);
    const at = now.toISOString();

    if (canVoidDirectly(status)) {
      const saved = await repository.updateContractIfVersion(trx, contractId, input.version, { status: 'voided', void_reason: input.reason, void_from_status: 'draft', voided_at: at, updated_at: at });
      if (!saved) throw versionConflict();
      await appendAudit(trx, { actorUserId: actor.id, action: 'contract.voided', entityType: 'contract', entityId: contractId, data: { reason: input.reason, from: 'draft' }, occurredAt: now });
      return;
    }
    if (!canRequestVoid(status)) throw conflict('contract_not_voidable', `合同${contractStatusLabels[status]}，不能作废${status === 'in_review' ? '：请先撤回审批' : ''}`);

    const saved = await repository.updateContractIfVersion(trx, contractId, input.version, { status: 'void_review', void_reason: input.reason, void_from_status: status, updated_at: at });
    if (!saved) throw versionConflict();
    const content = await loadContractContent(trx, { ...row, void_reason: input.reason });
    const subject = toApprovalSubject(content);
    const approvalId = await submitApproval(trx, {
      templateCode: 'contract_void',
      subjectType: 'contract_void',
      subjectId: contractId,
      submitterId: actor.id,
      subject: { ...subject, title: `作废 ${subject.title}`, summaryFields: [{ label: '作废原因', value: input.reason }, ...subject.summaryFields].slice(0, 20) },
      contentHash: content.contentHash,
      now,
    });
    await repository.updateContract(trx, contractId, { void_approval_id: approvalId, updated_at: at });
    await appendAudit(trx, { actorUserId: actor.id, action: 'contract.void_requested', entityType: 'contract', entityId: contractId, data: { reason: input.reason, approvalId, from: status }, occurredAt: now });
  });
}
