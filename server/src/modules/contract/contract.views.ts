import type { ApprovalSubject } from '@shared/api/approval.js';
import { contractTypeLabels, contractTypeSchema, type ContractAction, type ContractDetail, type ContractSummary } from '@shared/api/contract.js';
import { approvalStatusSchema } from '@shared/approval-rules.js';
import {
  attachmentKindSchema,
  canArchiveContract,
  canEditContract,
  canRequestVoid,
  canSealContract,
  canSubmitContract,
  canUploadAttachment,
  canVoidDirectly,
  contractStatusSchema,
  sealTypeSchema,
  type ContractStatus,
} from '@shared/contract-rules.js';
import { formatDiscount, formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { findLatestApprovalForSubject } from '../approval/approval.service.js';
import * as repository from './contract.repository.js';
import { contractContentHash } from './contract.lines.js';

type AttachmentRow = Awaited<ReturnType<typeof repository.listAttachments>>[number];

/** Everything the detail page, the approval subject and the seal check read about one contract. */
export interface ContractContent {
  row: repository.ContractRow;
  lines: repository.ContractLineRow[];
  installments: repository.ContractInstallmentRow[];
  attachments: AttachmentRow[];
  customerName: string;
  ownerName: string;
  /** Hash of the content as it is now. */
  contentHash: string;
}

export async function loadContractContent(db: DbExecutor, row: repository.ContractRow): Promise<ContractContent> {
  const [lines, installments, attachments, names] = await Promise.all([
    repository.listContractLines(db, row.id),
    repository.listInstallments(db, row.id),
    repository.listAttachments(db, row.id),
    repository.findNames(db, row),
  ]);
  return { row, lines, installments, attachments, ...names, contentHash: contractContentHash(row, lines, installments, attachments) };
}

export function statusOf(row: Pick<repository.ContractRow, 'status'>): ContractStatus {
  return contractStatusSchema.parse(row.status);
}

/** Content was changed after the last approval (only possible by adding files): a new approval is needed. */
export function isChangedSinceApproval(content: ContractContent): boolean {
  return content.row.approved_content_hash !== null && content.row.approved_content_hash !== content.contentHash && statusOf(content.row) === 'approved';
}

export function toContractSummary(row: repository.ContractRow & { customer_name: string; owner_name: string }): ContractSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    type: contractTypeSchema.parse(row.type),
    status: statusOf(row),
    customer: { id: row.customer_id, name: row.customer_name },
    owner: { id: row.owner_id, name: row.owner_name },
    totalNetFen: row.total_net_fen,
    hasSpecialDiscount: row.has_special_discount === 1,
    updatedAt: row.updated_at,
  };
}

export async function toContractDetail(db: DbExecutor, actor: Actor, content: ContractContent, mayWork: boolean): Promise<ContractDetail> {
  const { row } = content;
  const [approval, voidApproval, sealedByName, archivedByName] = await Promise.all([
    findLatestApprovalForSubject(db, 'contract', row.id),
    findLatestApprovalForSubject(db, 'contract_void', row.id),
    repository.findUserName(db, row.sealed_by),
    repository.findUserName(db, row.archived_by),
  ]);
  const approvedAt = row.approved_at;

  return {
    ...toContractSummary({ ...row, customer_name: content.customerName, owner_name: content.ownerName }),
    startDate: row.start_date,
    endDate: row.end_date,
    deliveryTerms: row.delivery_terms,
    notes: row.notes,
    opportunityId: row.opportunity_id,
    projectId: row.project_id,
    quoteId: row.quote_id,
    totalListFen: row.total_list_fen,
    totalQuantity: row.total_quantity,
    lines: content.lines.map((line) => ({
      seq: line.seq,
      bookId: line.book_id,
      isbn: line.isbn,
      title: line.title,
      listPriceFen: line.list_price_fen,
      quantity: line.quantity,
      discount: line.discount,
      floorDiscount: line.floor_discount,
      isSpecialDiscount: line.is_special_discount === 1,
      listAmountFen: line.list_amount_fen,
      netAmountFen: line.net_amount_fen,
    })),
    installments: content.installments.map((installment) => ({
      seq: installment.seq,
      dueDate: installment.due_date,
      amountFen: installment.amount_fen,
      percentBp: installment.percent_bp,
      note: installment.note,
    })),
    attachments: content.attachments.map((attachment) => ({
      id: attachment.id,
      kind: attachmentKindSchema.parse(attachment.kind),
      fileName: attachment.file_name,
      mimeType: attachment.mime_type,
      sizeBytes: attachment.size_bytes,
      sha256: attachment.sha256,
      uploadedBy: { id: attachment.uploaded_by, name: attachment.uploaded_by_name },
      uploadedAt: attachment.uploaded_at,
      addedAfterApproval: approvedAt !== null && attachment.kind !== 'signed_copy' && attachment.uploaded_at > approvedAt && statusOf(row) === 'approved',
      downloadPath: attachmentDownloadPath(row.id, attachment.id),
    })),
    version: row.version,
    approval: approval ? { id: approval.id, status: approvalStatusSchema.parse(approval.status) } : null,
    voidApproval: voidApproval ? { id: voidApproval.id, status: approvalStatusSchema.parse(voidApproval.status) } : null,
    contentHash: content.contentHash,
    approvedContentHash: row.approved_content_hash,
    changedSinceApproval: isChangedSinceApproval(content),
    approvedAt,
    seal:
      row.sealed_at && row.seal_type && row.sealed_content_hash
        ? { sealType: sealTypeSchema.parse(row.seal_type), sealedAt: row.sealed_at, sealedBy: sealedByName, contentHash: row.sealed_content_hash, note: row.seal_note }
        : null,
    archive: row.archived_at && row.archive_number ? { archiveNumber: row.archive_number, location: row.archive_location, archivedAt: row.archived_at, archivedBy: archivedByName } : null,
    voidReason: row.void_reason,
    voidedAt: row.voided_at,
    createdAt: row.created_at,
    availableActions: listContractActions(actor, content, mayWork),
  };
}

export function attachmentDownloadPath(contractId: number, attachmentId: number): string {
  return `/api/contracts/${contractId}/attachments/${attachmentId}/file`;
}

/** The buttons the viewer may press now: the owner side works on drafts, the seal keepers seal and archive. */
export function listContractActions(actor: Actor, content: ContractContent, mayWork: boolean): ContractAction[] {
  const status = statusOf(content.row);
  const changed = isChangedSinceApproval(content);
  const actions: ContractAction[] = [];
  if (mayWork && canEditContract(status)) actions.push('edit');
  if (mayWork && canSubmitContract(status, changed)) actions.push('submit');
  if (mayWork && (status === 'in_review' || status === 'void_review')) actions.push('withdraw');
  const mayUploadScan = hasRole(actor, 'seal_keeper', 'admin') && canUploadAttachment(status, 'signed_copy');
  if ((mayWork && (canUploadAttachment(status, 'contract_text') || canUploadAttachment(status, 'signed_copy'))) || mayUploadScan) actions.push('upload');
  if (hasRole(actor, 'seal_keeper') && canSealContract(status, changed)) actions.push('seal');
  if (hasRole(actor, 'seal_keeper', 'admin') && canArchiveContract(status)) actions.push('archive');
  if (mayWork && canVoidDirectly(status)) actions.push('void');
  if (mayWork && canRequestVoid(status)) actions.push('request_void');
  return actions;
}

/** The contract as approvers see it in the approval page and the DingTalk/WeCom card. */
export function toApprovalSubject(content: ContractContent): ApprovalSubject {
  const { row } = content;
  const specialLines = content.lines.filter((line) => line.is_special_discount === 1);
  const summaryFields = [
    { label: '客户', value: content.customerName },
    { label: '合同金额', value: formatYuan(row.total_net_fen) },
    { label: '合同编号', value: row.number },
    { label: '合同类型', value: contractTypeLabels[contractTypeSchema.parse(row.type)] },
    { label: '码洋', value: formatYuan(row.total_list_fen) },
  ];
  if (specialLines.length > 0) {
    summaryFields.push({ label: '特价品种', value: `${specialLines.length} 种（最低 ${formatDiscount(Math.min(...specialLines.map((line) => line.discount)))}）` });
  }
  if (content.installments.length > 0) {
    summaryFields.push({ label: '回款计划', value: content.installments.map((installment) => `${installment.due_date} ${formatYuan(installment.amount_fen)}`).join('；') });
  }
  if (row.delivery_terms) summaryFields.push({ label: '交货条款', value: row.delivery_terms });

  return {
    title: `${row.number} ${row.title}`,
    amountFen: row.total_net_fen,
    hasSpecialDiscount: row.has_special_discount === 1,
    contractType: contractTypeSchema.parse(row.type),
    summaryFields,
    url: `/contracts/${row.id}`,
    lines: content.lines.map((line) => ({
      title: line.title,
      isbn: line.isbn,
      quantity: line.quantity,
      listPriceFen: line.list_price_fen,
      discount: line.discount,
      netAmountFen: line.net_amount_fen,
      floorDiscount: line.floor_discount,
      isSpecialDiscount: line.is_special_discount === 1,
    })),
    attachments: content.attachments
      .filter((attachment) => attachment.kind !== 'signed_copy')
      .map((attachment) => ({ fileName: attachment.file_name, sizeBytes: attachment.size_bytes, sha256: attachment.sha256, downloadPath: attachmentDownloadPath(row.id, attachment.id) })),
  };
}
