import type { AttachmentKind } from '@shared/contract-rules.js';
import { attachmentKindLabels, canRemoveAttachment, canUploadAttachment, contractStatusLabels } from '@shared/contract-rules.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { getVisibleContractOrThrow, mayWorkOnContract } from './contract.access.js';
import { cleanFileName, detectAttachmentType, readContractFile, storeContractFile, unsupportedAttachment } from './contract-files.js';
import * as repository from './contract.repository.js';
import { statusOf } from './contract.views.js';

const maxAttachmentsPerContract = 30;

export interface AttachmentContext {
  db: Db;
  dataDir: string;
  now: Date;
}

/**
 * Stores an uploaded file under its content hash and lists it on the contract. Contract text and
 * appendices may be added to drafts, and to approved contracts (which then need a new approval before
 * sealing); the scan of the signed copy only once the contract is sealed.
 */
export async function uploadAttachment(context: AttachmentContext, actor: Actor, contractId: number, input: { kind: AttachmentKind; fileName: string; bytes: Buffer }): Promise<number> {
  const { row } = await getVisibleContractOrThrow(context.db, actor, contractId);
  const mayUpload = (await mayWorkOnContract(context.db, actor, row)) || (input.kind === 'signed_copy' && hasRole(actor, 'seal_keeper', 'admin'));
  if (!mayUpload) throw new AppError(403, 'forbidden', '只有合同负责人或其主管可以上传合同文件');
  const status = statusOf(row);
  if (!canUploadAttachment(status, input.kind)) {
    throw conflict('attachment_not_allowed', `合同${contractStatusLabels[status]}，现在不能上传${attachmentKindLabels[input.kind]}`);
  }

  const fileName = cleanFileName(input.fileName);
  const mimeType = detectAttachmentType(input.bytes, fileName);
  if (!mimeType) throw unsupportedAttachment(fileName);
  if ((await repository.listAttachments(context.db, contractId)).length >= maxAttachmentsPerContract) {
    throw conflict('too_many_attachments', `一份合同最多 ${maxAttachmentsPerContract} 个文件，请先删除不需要的文件`);
  }

  // The file is written before the row: a crash in between leaves an unreferenced file, never a row without one.
  const sha256 = await storeContractFile(context.dataDir, input.bytes);
  return context.db.transaction().execute(async (trx) => {
    const attachmentId = await repository.insertAttachment(trx, {
      contract_id: contractId,
      kind: input.kind,
      file_name: fileName,
      mime_type: mimeType,
      size_bytes: input.bytes.length,
      sha256,
      uploaded_by: actor.id,
      uploaded_at: context.now.toISOString(),
      removed_at: null,
    });
    await repository.updateContract(trx, contractId, { updated_at: context.now.toISOString() });
    await appendAudit(trx, {
      actorUserId: actor.id,
      action: 'contract.attachment_upload',
      entityType: 'contract',
      entityId: contractId,
      data: { attachmentId, kind: input.kind, fileName, sha256, sizeBytes: input.bytes.length, status },
      occurredAt: context.now,
    });
    return attachmentId;
  });
}

/** Removes a file from a draft, or a file added to an approved contract after its approval. */
export async function removeAttachment(db: Db, actor: Actor, contractId: number, attachmentId: number, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { row } = await getVisibleContractOrThrow(trx, actor, contractId);
    if (!(await mayWorkOnContract(trx, actor, row))) throw new AppError(403, 'forbidden', '只有合同负责人或其主管可以删除合同文件');
    const attachment = await repository.findAttachment(trx, contractId, attachmentId);
    if (!attachment) throw notFound('合同文件');

    const status = statusOf(row);
    const addedAfterApproval = status === 'approved' && row.approved_at !== null && attachment.kind !== 'signed_copy' && attachment.uploaded_at > row.approved_at;
    if (!canRemoveAttachment(status) && !addedAfterApproval) {
      throw conflict('attachment_locked', `合同${contractStatusLabels[status]}，已审批的文件不能删除`);
    }
    await repository.markAttachmentRemoved(trx, attachmentId, now);
    await repository.updateContract(trx, contractId, { updated_at: now.toISOString() });
    await appendAudit(trx, { actorUserId: actor.id, action: 'contract.attachment_remove', entityType: 'contract', entityId: contractId, data: { attachmentId, sha256: attachment.sha256 }, occurredAt: now });
  });
}

/** The file's bytes for a viewer of the contract, checked against its hash. */
export async function readAttachment(db: DbExecutor, dataDir: string, actor: Actor, contractId: number, attachmentId: number) {
  await getVisibleContractOrThrow(db, actor, contractId);
  const attachment = await repository.findAttachment(db, contractId, attachmentId);
  if (!attachment) throw notFound('合同文件');
  const bytes = await readContractFile(dataDir, attachment.sha256);
  return { bytes, fileName: attachment.file_name, mimeType: attachment.mime_type, sha256: attachment.sha256 };
}
