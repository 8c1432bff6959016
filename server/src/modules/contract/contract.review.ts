import type { ApprovalSubject } from '@shared/api/approval.js';
import { canSubmitContract, contractStatusLabels } from '@shared/contract-rules.js';
import { formatYuan } from '@shared/money.js';
import type { DbTransaction } from '../../db/database.js';
import { badRequest, conflict } from '../../http/app-error.js';
import * as repository from './contract.repository.js';
import { isChangedSinceApproval, loadContractContent, statusOf, toApprovalSubject } from './contract.views.js';

/**
 * Checks a contract may go to review and moves it to in_review; returns what approvers will approve.
 * Used by submission from the contract page and by resubmission from the approval page.
 * With `expectedVersion`, a contract changed since the user loaded it is refused.
 */
export async function prepareContractReview(trx: DbTransaction, contractId: number, now: Date, expectedVersion?: number): Promise<{ subject: ApprovalSubject; contentHash: string }> {
  const row = await repository.findContractById(trx, contractId);
  if (!row) throw new Error(`contract ${contractId} not found`);
  const content = await loadContractContent(trx, row);
  const status = statusOf(row);

  if (!canSubmitContract(status, isChangedSinceApproval(content))) {
    const reason = status === 'approved' ? '合同已审批通过且内容没有变化，无需再次审批' : `合同${contractStatusLabels[status]}，只有草稿可以提交审批`;
    throw conflict('contract_not_submittable', reason);
  }
  if (!content.attachments.some((attachment) => attachment.kind === 'contract_text')) {
    throw badRequest('contract_text_missing', '请先上传合同正文（PDF 或 Word）再提交审批：用印时核对的就是审批通过的正文');
  }
  const installmentSum = content.installments.reduce((total, installment) => total + installment.amount_fen, 0);
  if (installmentSum !== row.total_net_fen) {
    throw badRequest('installments_total_mismatch', `各期回款合计 ${formatYuan(installmentSum)}，与合同金额 ${formatYuan(row.total_net_fen)} 不一致，请修改回款计划`);
  }

  const patch = { status: 'in_review', updated_at: now.toISOString() };
  if (expectedVersion === undefined) {
    await repository.updateContract(trx, contractId, patch);
  } else if (!(await repository.updateContractIfVersion(trx, contractId, expectedVersion, patch))) {
    throw conflict('contract_changed', '合同已被他人修改，请刷新页面确认内容后再提交');
  }
  return { subject: toApprovalSubject(content), contentHash: content.contentHash };
}
