import type { DbTransaction } from '../../db/database.js';
import { appendAudit } from '../audit/audit.service.js';
import { findLatestApprovalForSubject, registerApprovalSubject, type ApprovalDecision } from '../approval/approval.service.js';
import { appendTimeline, setCustomerStage } from '../customer/customer.service.js';
import { markOpportunityWon } from '../opportunity/opportunity.service.js';
import { cancelPaymentPlansForContract, createPaymentPlansForContract } from '../receivable/payment-plan.service.js';
import * as repository from './contract.repository.js';
import { loadContractContent } from './contract.views.js';
import { prepareContractReview } from './contract.review.js';

/** A contract's own approval ('contract', template sales_contract) and the approval of voiding it. */
export const contractSubjectTypes = ['contract', 'contract_void'] as const;

async function contractOrThrow(trx: DbTransaction, contractId: number) {
  const row = await repository.findContractById(trx, contractId);
  if (!row) throw new Error(`approval decision for missing contract ${contractId}`);
  return row;
}

/**
 * Approval of a contract: it becomes immutable with the approved content hash, the customer becomes 成交,
 * the opportunity is won, and the installments go to receivables as payment plans, all in the
 * approval's transaction.
 */
async function onContractApproved(trx: DbTransaction, decision: ApprovalDecision): Promise<void> {
  const row = await contractOrThrow(trx, decision.subjectId);
  const approval = await findLatestApprovalForSubject(trx, 'contract', row.id, 'sales_contract');
  const content = await loadContractContent(trx, row);
  // Editing and uploads are closed while in review, so the content cannot differ; a mismatch is a bug.
  if (!approval || approval.contentHash !== content.contentHash) {
    throw new Error(`contract ${row.id}: content changed while in review (approved ${approval?.contentHash}, now ${content.contentHash})`);
  }
  const at = decision.now.toISOString();

  await repository.updateContract(trx, row.id, { status: 'approved', approved_content_hash: content.contentHash, approved_at: at, approval_id: decision.approvalId, updated_at: at });
  await appendAudit(trx, {
    actorUserId: decision.actorUserId,
    action: 'contract.approved',
    entityType: 'contract',
    entityId: row.id,
    data: { number: row.number, approvalId: decision.approvalId, contentHash: content.contentHash, totalNetFen: row.total_net_fen },
    occurredAt: decision.now,
  });

  // A no-op when the customer is already 成交 (a second contract).
  await setCustomerStage(trx, { customerId: row.customer_id, stage: 'won', actorUserId: decision.actorUserId, reason: `合同 ${row.number} 审批通过`, at: decision.now });
  if (row.opportunity_id !== null) {
    await markOpportunityWon(trx, { opportunityId: row.opportunity_id, contractId: row.id, actorUserId: decision.actorUserId, at: decision.now });
  }
  if (content.installments.length > 0) {
    await createPaymentPlansForContract(trx, {
      contractId: row.id,
      customerId: row.customer_id,
      ownerId: row.owner_id,
      installments: content.installments.map((installment) => ({ seq: installment.seq, dueDate: installment.due_date, amountFen: installment.amount_fen })),
      now: decision.now,
    });
  }
  await appendTimeline(trx, {
    customerId: row.customer_id,
    kind: 'contract',
    refType: 'contract',
    refId: row.id,
    title: `合同 ${row.number} 审批通过`,
    summary: row.title,
    actorUserId: decision.actorUserId,
    occurredAt: decision.now,
    dedupKey: `contract:${row.id}:approved:${decision.approvalId}:${at}`,
  });
}

/**
 * A rejected or withdrawn review returns a never-approved contract to draft. A contract sent to review
 * again after approval (because files were added) stays approved with its earlier content: its lines and
 * installments were never editable, and its payment plans already exist.
 */
async function onContractReviewEnded(trx: DbTransaction, decision: ApprovalDecision, outcome: 'rejected' | 'withdrawn'): Promise<void> {
  const row = await contractOrThrow(trx, decision.subjectId);
  const status = row.approved_content_hash ? 'approved' : 'draft';
  await repository.updateContract(trx, row.id, { status, updated_at: decision.now.toISOString() });
  await appendAudit(trx, { actorUserId: decision.actorUserId, action: `contract.review_${outcome}`, entityType: 'contract', entityId: row.id, data: { approvalId: decision.approvalId, status }, occurredAt: decision.now });
  await appendTimeline(trx, {
    customerId: row.customer_id,
    kind: 'contract',
    refType: 'contract',
    refId: row.id,
    title: `合同 ${row.number} ${outcome === 'rejected' ? '审批被驳回' : '已撤回审批'}`,
    summary: row.title,
    actorUserId: decision.actorUserId,
    occurredAt: decision.now,
  });
}

/**
 * Approval of a void request: the contract is voided and its payment plans are closed in receivables.
 * What is unreceived is cancelled and allocated money stays, for the reason given at cancelPaymentPlansForContract.
 */
async function onVoidApproved(trx: DbTransaction, decision: ApprovalDecision): Promise<void> {
  const row = await contractOrThrow(trx, decision.subjectId);
  const at = decision.now.toISOString();
  await repository.updateContract(trx, row.id, { status: 'voided', voided_at: at, void_approval_id: decision.approvalId, updated_at: at });
  await cancelPaymentPlansForContract(trx, { contractId: row.id, actorUserId: decision.actorUserId, reason: row.void_reason, now: decision.now });
  await appendAudit(trx, { actorUserId: decision.actorUserId, action: 'contract.voided', entityType: 'contract', entityId: row.id, data: { approvalId: decision.approvalId, reason: row.void_reason }, occurredAt: decision.now });
  await appendTimeline(trx, {
    customerId: row.customer_id,
    kind: 'contract',
    refType: 'contract',
    refId: row.id,
    title: `合同 ${row.number} 已作废`,
    summary: row.void_reason,
    actorUserId: decision.actorUserId,
    occurredAt: decision.now,
  });
}

/** A rejected or withdrawn void request puts the contract back where it was. */
async function onVoidRefused(trx: DbTransaction, decision: ApprovalDecision, outcome: 'rejected' | 'withdrawn'): Promise<void> {
  const row = await contractOrThrow(trx, decision.subjectId);
  const status = row.void_from_status ?? 'approved';
  await repository.updateContract(trx, row.id, { status, void_reason: null, void_from_status: null, void_approval_id: decision.approvalId, updated_at: decision.now.toISOString() });
  await appendAudit(trx, { actorUserId: decision.actorUserId, action: `contract.void_${outcome}`, entityType: 'contract', entityId: row.id, data: { approvalId: decision.approvalId, status }, occurredAt: decision.now });
}

registerApprovalSubject('contract', {
  onApproved: onContractApproved,
  prepareResubmission: (trx, input) => prepareContractReview(trx, input.subjectId, input.now),
  onRejected: (trx, decision) => onContractReviewEnded(trx, decision, 'rejected'),
  onWithdrawn: (trx, decision) => onContractReviewEnded(trx, decision, 'withdrawn'),
});

registerApprovalSubject('contract_void', {
  onApproved: onVoidApproved,
  onRejected: (trx, decision) => onVoidRefused(trx, decision, 'rejected'),
  onWithdrawn: (trx, decision) => onVoidRefused(trx, decision, 'withdrawn'),
});
