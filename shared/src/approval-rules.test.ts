import { describe, expect, it } from 'vitest';
import {
  canAddApprover,
  canApprove,
  canComment,
  canReject,
  canResubmit,
  canSendBack,
  canTransfer,
  canWithdraw,
  isStepComplete,
  listAvailableActions,
  listSendBackTargets,
  type RuleInstance,
} from './approval-rules.js';

const submitter = 1;
const approver = 2;
const otherApprover = 3;
const bystander = 9;

/** Step 0 approved, step 1 skipped, step 2 active with open tasks for users 2 and 3. */
function pendingAtStepTwo(overrides: Partial<RuleInstance> = {}): RuleInstance {
  return {
    status: 'pending',
    submitterId: submitter,
    currentStepIndex: 2,
    steps: [
      { index: 0, status: 'approved' },
      { index: 1, status: 'skipped' },
      { index: 2, status: 'active' },
      { index: 3, status: 'waiting' },
    ],
    tasks: [
      { id: 10, assigneeId: 5, stepIndex: 0, status: 'approved' },
      { id: 11, assigneeId: approver, stepIndex: 2, status: 'pending' },
      { id: 12, assigneeId: otherApprover, stepIndex: 2, status: 'pending' },
    ],
    ...overrides,
  };
}

describe('canApprove', () => {
  it('allows an approver with an open task of the current step', () => {
    expect(canApprove(pendingAtStepTwo(), approver)).toBe(true);
  });

  it('refuses the submitter and bystanders', () => {
    expect(canApprove(pendingAtStepTwo(), submitter)).toBe(false);
    expect(canApprove(pendingAtStepTwo(), bystander)).toBe(false);
  });

  it('refuses an approver whose task was already closed', () => {
    const instance = pendingAtStepTwo();
    instance.tasks[1]!.status = 'cancelled';
    expect(canApprove(instance, approver)).toBe(false);
  });

  it('refuses an approver of an earlier step', () => {
    expect(canApprove(pendingAtStepTwo(), 5)).toBe(false);
  });

  it('refuses everyone once the approval is decided', () => {
    expect(canApprove(pendingAtStepTwo({ status: 'approved' }), approver)).toBe(false);
    expect(canApprove(pendingAtStepTwo({ status: 'withdrawn' }), approver)).toBe(false);
  });
});

describe('canReject', () => {
  it('allows the current approver only', () => {
    expect(canReject(pendingAtStepTwo(), approver)).toBe(true);
    expect(canReject(pendingAtStepTwo(), submitter)).toBe(false);
  });

  it('refuses after rejection', () => {
    expect(canReject(pendingAtStepTwo({ status: 'rejected' }), approver)).toBe(false);
  });
});

describe('canSendBack', () => {
  it('allows sending back to an approved earlier step', () => {
    expect(canSendBack(pendingAtStepTwo(), approver, 0)).toBe(true);
  });

  it('refuses a skipped, current or later step', () => {
    expect(canSendBack(pendingAtStepTwo(), approver, 1)).toBe(false);
    expect(canSendBack(pendingAtStepTwo(), approver, 2)).toBe(false);
    expect(canSendBack(pendingAtStepTwo(), approver, 3)).toBe(false);
  });

  it('refuses someone without an open task', () => {
    expect(canSendBack(pendingAtStepTwo(), bystander, 0)).toBe(false);
  });

  it('lists only approved earlier steps as targets', () => {
    expect(listSendBackTargets(pendingAtStepTwo())).toEqual([0]);
  });
});

describe('canTransfer', () => {
  it('allows handing the task to an uninvolved user', () => {
    expect(canTransfer(pendingAtStepTwo(), approver, bystander)).toBe(true);
  });

  it('refuses a transfer to oneself, the submitter or a co-approver with an open task', () => {
    expect(canTransfer(pendingAtStepTwo(), approver, approver)).toBe(false);
    expect(canTransfer(pendingAtStepTwo(), approver, submitter)).toBe(false);
    expect(canTransfer(pendingAtStepTwo(), approver, otherApprover)).toBe(false);
  });

  it('refuses a user without an open task', () => {
    expect(canTransfer(pendingAtStepTwo(), bystander, 7)).toBe(false);
  });
});

describe('canAddApprover', () => {
  it('allows adding an uninvolved user', () => {
    expect(canAddApprover(pendingAtStepTwo(), approver, bystander)).toBe(true);
  });

  it('refuses the submitter and a user who already has an open task', () => {
    expect(canAddApprover(pendingAtStepTwo(), approver, submitter)).toBe(false);
    expect(canAddApprover(pendingAtStepTwo(), approver, otherApprover)).toBe(false);
  });

  it('refuses a caller who is not a current approver', () => {
    expect(canAddApprover(pendingAtStepTwo(), submitter, bystander)).toBe(false);
  });
});

describe('canWithdraw', () => {
  it('allows the submitter while pending', () => {
    expect(canWithdraw(pendingAtStepTwo(), submitter)).toBe(true);
  });

  it('refuses approvers and bystanders', () => {
    expect(canWithdraw(pendingAtStepTwo(), approver)).toBe(false);
    expect(canWithdraw(pendingAtStepTwo(), bystander)).toBe(false);
  });

  it('refuses after the final decision', () => {
    expect(canWithdraw(pendingAtStepTwo({ status: 'approved' }), submitter)).toBe(false);
    expect(canWithdraw(pendingAtStepTwo({ status: 'rejected' }), submitter)).toBe(false);
  });
});

describe('canResubmit', () => {
  it('allows the submitter after a rejection or a withdrawal', () => {
    expect(canResubmit(pendingAtStepTwo({ status: 'rejected' }), submitter)).toBe(true);
    expect(canResubmit(pendingAtStepTwo({ status: 'withdrawn' }), submitter)).toBe(true);
  });

  it('refuses while pending, after approval, and for others', () => {
    expect(canResubmit(pendingAtStepTwo(), submitter)).toBe(false);
    expect(canResubmit(pendingAtStepTwo({ status: 'approved' }), submitter)).toBe(false);
    expect(canResubmit(pendingAtStepTwo({ status: 'rejected' }), approver)).toBe(false);
  });
});

describe('canComment', () => {
  it('follows visibility', () => {
    expect(canComment(true)).toBe(true);
    expect(canComment(false)).toBe(false);
  });
});

describe('isStepComplete', () => {
  it('completes an any step on the first approval', () => {
    expect(isStepComplete('any', [{ status: 'approved' }, { status: 'pending' }])).toBe(true);
    expect(isStepComplete('any', [{ status: 'pending' }, { status: 'pending' }])).toBe(false);
  });

  it('completes an all step only when every deciding task approved', () => {
    expect(isStepComplete('all', [{ status: 'approved' }, { status: 'pending' }, { status: 'approved' }])).toBe(false);
    expect(isStepComplete('all', [{ status: 'approved' }, { status: 'approved' }, { status: 'approved' }])).toBe(true);
  });

  it('ignores transferred tasks whose replacement decides instead', () => {
    expect(isStepComplete('all', [{ status: 'transferred' }, { status: 'approved' }])).toBe(true);
  });

  it('is never complete without deciding tasks', () => {
    expect(isStepComplete('all', [])).toBe(false);
    expect(isStepComplete('all', [{ status: 'cancelled' }])).toBe(false);
  });
});

describe('listAvailableActions', () => {
  it('gives the current approver the deciding actions', () => {
    expect(listAvailableActions(pendingAtStepTwo(), approver)).toEqual(['approve', 'reject', 'transfer', 'add_approver', 'send_back', 'comment']);
  });

  it('gives the submitter withdraw while pending and resubmit after rejection', () => {
    expect(listAvailableActions(pendingAtStepTwo(), submitter)).toEqual(['withdraw', 'comment']);
    expect(listAvailableActions(pendingAtStepTwo({ status: 'rejected' }), submitter)).toEqual(['resubmit', 'comment']);
  });
});
