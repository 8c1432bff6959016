import { z } from 'zod';

/**
 * Contract lifecycle and payment-term rules shared by the server (which enforces them) and the H5 (which
 * previews installment amounts and shows only the allowed buttons). No I/O.
 *
 * The main path is draft → in_review → approved → sealed → archived, and a rejected or withdrawn review
 * returns to draft. An approved contract whose files changed goes to review again before it can be sealed.
 * A draft is voided directly, a contract past approval only through a void approval (void_review).
 */
export const contractStatusSchema = z.enum(['draft', 'in_review', 'approved', 'sealed', 'archived', 'void_review', 'voided']);
export type ContractStatus = z.infer<typeof contractStatusSchema>;

export const contractStatusLabels: Record<ContractStatus, string> = {
  draft: '草稿',
  in_review: '审批中',
  approved: '已通过',
  sealed: '已用印',
  archived: '已归档',
  void_review: '作废审批中',
  voided: '已作废',
};

/** 合同正文, 附件 (both part of the approved content), and the scan of the signed, sealed copy. */
export const attachmentKindSchema = z.enum(['contract_text', 'appendix', 'signed_copy']);
export type AttachmentKind = z.infer<typeof attachmentKindSchema>;

export const attachmentKindLabels: Record<AttachmentKind, string> = {
  contract_text: '合同正文',
  appendix: '附件',
  signed_copy: '盖章扫描件',
};

/** Kinds whose files are part of what approvers approve and the seal keeper seals. */
export const approvedAttachmentKinds: readonly AttachmentKind[] = ['contract_text', 'appendix'];

export const sealTypeSchema = z.enum(['contract_seal', 'company_seal', 'legal_rep_seal']);
export type SealType = z.infer<typeof sealTypeSchema>;
export const sealTypeLabels: Record<SealType, string> = { contract_seal: '合同专用章', company_seal: '公章', legal_rep_seal: '法定代表人章' };

/** Accepted attachment types and the most bytes a file may have. */
export const attachmentMimeTypes = {
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'image/jpeg': 'jpg',
  'image/png': 'png',
} as const;
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

export function canEditContract(status: ContractStatus): boolean {
  return status === 'draft';
}

/**
 * A draft goes to review; so does an approved contract whose approved files were changed afterwards,
 * because it may not be sealed until the new content is approved.
 */
export function canSubmitContract(status: ContractStatus, changedSinceApproval: boolean): boolean {
  return status === 'draft' || (status === 'approved' && changedSinceApproval);
}

/** The seal keeper seals exactly the approved content: not once a file was added after approval. */
export function canSealContract(status: ContractStatus, changedSinceApproval: boolean): boolean {
  return status === 'approved' && !changedSinceApproval;
}

export function canArchiveContract(status: ContractStatus): boolean {
  return status === 'sealed';
}

/** A draft was never approved, so its owner voids it without approval. */
export function canVoidDirectly(status: ContractStatus): boolean {
  return status === 'draft';
}

/** Past approval a contract may bind the house, so voiding it needs its own approval. */
export function canRequestVoid(status: ContractStatus): boolean {
  return status === 'approved' || status === 'sealed' || status === 'archived';
}

export function canUploadAttachment(status: ContractStatus, kind: AttachmentKind): boolean {
  if (kind === 'signed_copy') return status === 'sealed' || status === 'archived';
  return status === 'draft' || status === 'approved';
}

export function canRemoveAttachment(status: ContractStatus): boolean {
  return status === 'draft';
}

export interface InstallmentInput {
  dueDate: string;
  amountFen?: number | null;
  percentBp?: number | null;
}

export type InstallmentAllocation =
  | { ok: true; amountsFen: number[] }
  | { ok: false; code: 'installments_missing' | 'installments_mixed' | 'installments_total_mismatch' | 'installments_percent_mismatch' | 'installment_zero' | 'installments_unexpected' | 'installment_dates_unordered'; message: string };

/**
 * Turns installments entered as amounts or as percentages into amounts that add up exactly to the contract
 * total. Percentages are rounded down per installment and the last one takes the remainder, so no fen is
 * lost or invented. Amounts must add up to the total themselves. Mixing the two is refused, because the
 * user could not see which figure wins. Due dates must not go backwards.
 */
export function allocateInstallments(totalFen: number, installments: readonly InstallmentInput[], formatYuan: (fen: number) => string): InstallmentAllocation {
  if (totalFen === 0) {
    return installments.length === 0 ? { ok: true, amountsFen: [] } : { ok: false, code: 'installments_unexpected', message: '合同金额为 0，不需要回款计划，请删除各期回款' };
  }
  if (installments.length === 0) return { ok: false, code: 'installments_missing', message: '请至少填写一期回款（日期和金额或比例）' };

  for (let index = 1; index < installments.length; index += 1) {
    if (installments[index]!.dueDate < installments[index - 1]!.dueDate) {
      return { ok: false, code: 'installment_dates_unordered', message: `第 ${index + 1} 期的回款日期早于第 ${index} 期，请按时间先后排列` };
    }
  }

  const byPercent = installments.filter((installment) => installment.percentBp != null);
  if (byPercent.length > 0 && byPercent.length < installments.length) {
    return { ok: false, code: 'installments_mixed', message: '各期回款请统一按金额或统一按比例填写' };
  }

  if (byPercent.length === 0) {
    const amounts = installments.map((installment) => installment.amountFen ?? 0);
    const sum = amounts.reduce((total, amount) => total + amount, 0);
    if (sum !== totalFen) {
      return {
        ok: false,
        code: 'installments_total_mismatch',
        message: `各期回款合计 ${formatYuan(sum)}，与合同金额 ${formatYuan(totalFen)} 不一致（相差 ${formatYuan(Math.abs(totalFen - sum))}），请调整`,
      };
    }
    return { ok: true, amountsFen: amounts };
  }

  const percentSum = byPercent.reduce((total, installment) => total + installment.percentBp!, 0);
  if (percentSum !== 10_000) {
    return { ok: false, code: 'installments_percent_mismatch', message: `各期回款比例合计 ${percentSum / 100}%，应为 100%，请调整` };
  }
  const amounts = installments.map((installment) => Number((BigInt(totalFen) * BigInt(installment.percentBp!)) / 10_000n));
  const allocated = amounts.slice(0, -1).reduce((total, amount) => total + amount, 0);
  amounts[amounts.length - 1] = totalFen - allocated;
  const zeroIndex = amounts.findIndex((amount) => amount <= 0);
  if (zeroIndex >= 0) return { ok: false, code: 'installment_zero', message: `第 ${zeroIndex + 1} 期回款金额为 0，请提高比例或减少期数` };
  return { ok: true, amountsFen: amounts };
}
