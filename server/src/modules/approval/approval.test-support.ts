import type { ApprovalSubject, ApprovalTemplateCode } from '@shared/api/approval.js';
import type { Db } from '../../db/database.js';
import { submitApproval } from './approval.service.js';
import { registerApprovalSubject } from './approval.subjects.js';

export interface RecordedDecision {
  kind: 'approved' | 'rejected' | 'withdrawn' | 'resubmitted';
  subjectId: number;
  approvalId: number;
  actorUserId: number | null;
}

/** Registers a 'test_subject' handler that records every decision, for engine tests without a real module. */
export function registerRecordingSubject(): RecordedDecision[] {
  const decisions: RecordedDecision[] = [];
  registerApprovalSubject('test_subject', {
    onApproved: async (_trx, decision) => void decisions.push({ kind: 'approved', subjectId: decision.subjectId, approvalId: decision.approvalId, actorUserId: decision.actorUserId }),
    onRejected: async (_trx, decision) => void decisions.push({ kind: 'rejected', subjectId: decision.subjectId, approvalId: decision.approvalId, actorUserId: decision.actorUserId }),
    onWithdrawn: async (_trx, decision) => void decisions.push({ kind: 'withdrawn', subjectId: decision.subjectId, approvalId: decision.approvalId, actorUserId: decision.actorUserId }),
    prepareResubmission: async (_trx, input) => {
      decisions.push({ kind: 'resubmitted', subjectId: input.subjectId, approvalId: input.approvalId, actorUserId: input.actorUserId });
      return { subject: testSubject({ title: '测试单据（修改后）' }), contentHash: 'b'.repeat(64) };
    },
  });
  return decisions;
}

export function testSubject(overrides: Partial<ApprovalSubject> = {}): ApprovalSubject {
  return {
    title: '测试单据',
    amountFen: 5_000_000,
    hasSpecialDiscount: false,
    contractType: 'purchase_sale',
    summaryFields: [
      { label: '客户', value: '杭州晓风书屋有限公司' },
      { label: '合同金额', value: '¥50,000.00' },
    ],
    url: '/contracts/1',
    ...overrides,
  };
}

let nextSubjectId = 1;

export async function submitTestApproval(
  db: Db,
  input: { templateCode?: ApprovalTemplateCode; submitterId: number; subject?: Partial<ApprovalSubject>; subjectId?: number; now?: Date },
): Promise<number> {
  return submitApproval(db, {
    templateCode: input.templateCode ?? 'sales_contract',
    subjectType: 'test_subject',
    subjectId: input.subjectId ?? nextSubjectId++,
    submitterId: input.submitterId,
    subject: testSubject(input.subject),
    contentHash: 'a'.repeat(64),
    now: input.now ?? new Date(),
  });
}
