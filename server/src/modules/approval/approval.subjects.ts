import type { ApprovalSubject } from '@shared/api/approval.js';
import type { DbTransaction } from '../../db/database.js';

export interface ApprovalDecision {
  subjectId: number;
  approvalId: number;
  /** The user whose action ended the approval; null when the engine ended it (every step skipped). */
  actorUserId: number | null;
  now: Date;
}

/**
 * What a subject module (contract, quote, invoice request, return order) does when its approval ends.
 * Each callback runs inside the transaction of the transition, so the decision and its business effect
 * commit together. A callback that throws rolls the transition back.
 */
export interface ApprovalSubjectHandler {
  onApproved(trx: DbTransaction, decision: ApprovalDecision): Promise<void>;
  onRejected(trx: DbTransaction, decision: ApprovalDecision): Promise<void>;
  onWithdrawn(trx: DbTransaction, decision: ApprovalDecision): Promise<void>;
  /**
   * Optional: lets the submitter resubmit from the approval page. Checks the subject may go to review
   * again, moves it to its in-review state, and returns the subject and content hash to approve.
   * Without it the submitter resubmits from the subject's own page (which calls submitApproval).
   */
  prepareResubmission?(trx: DbTransaction, input: { subjectId: number; approvalId: number; actorUserId: number; now: Date }): Promise<{ subject: ApprovalSubject; contentHash: string }>;
}

const handlers = new Map<string, ApprovalSubjectHandler>();

/**
 * Registers the decision handler of a subject type, once, when the subject module is imported.
 * Registering the same type twice replaces the handler (module reloads in tests).
 */
export function registerApprovalSubject(subjectType: string, handler: ApprovalSubjectHandler): void {
  handlers.set(subjectType, handler);
}

export function findApprovalSubjectHandler(subjectType: string): ApprovalSubjectHandler | undefined {
  return handlers.get(subjectType);
}
