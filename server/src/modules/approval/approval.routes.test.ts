import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalDetail, ApprovalList } from '@shared/api/approval.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { registerRecordingSubject, submitTestApproval, type RecordedDecision } from './approval.test-support.js';

let server: TestServer;
let decisions: RecordedDecision[];
const tokens = new Map<string, string>();

type ActionResponse = { status: number; body: ApprovalDetail & { error: { code: string; message: string } } };

async function tokenOf(userid: string): Promise<string> {
  if (!tokens.has(userid)) tokens.set(userid, await server.login(userid));
  return tokens.get(userid)!;
}

async function detail(userid: string, approvalId: number) {
  return server.request<ApprovalDetail & { error: { code: string } }>('GET', `/api/approvals/${approvalId}`, { token: await tokenOf(userid) });
}

async function act(userid: string, approvalId: number, action: string, body: Record<string, unknown> = {}, headers?: Record<string, string>): Promise<ActionResponse> {
  return server.request('POST', `/api/approvals/${approvalId}/${action}`, { token: await tokenOf(userid), body, headers });
}

function openTasksOf(approval: ApprovalDetail): string[] {
  const step = approval.steps.find((candidate) => candidate.index === approval.currentStepIndex);
  return (step?.tasks ?? []).filter((task) => task.status === 'pending').map((task) => task.assignee.name).sort();
}

async function countHistory(approvalId: number, action: string): Promise<number> {
  const rows = await server.db.selectFrom('approval_history').select('id').where('instance_id', '=', approvalId).where('action', '=', action).execute();
  return rows.length;
}

/** A sales contract of ¥150,000 from 张伟, past its leader step and waiting at the 或签 legal step. */
async function approvalAtLegalStep(): Promise<number> {
  const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01'), subject: { amountFen: 15_000_000 } });
  expect((await act('wanglei01', approvalId, 'approve')).status).toBe(200);
  return approvalId;
}

beforeAll(async () => {
  server = await startTestServer();
  decisions = registerRecordingSubject();
});

afterAll(async () => {
  await server?.close();
});

describe('POST /approvals/:id/approve', () => {
  it('lets exactly one of two 或签 approvers acting at once through', async () => {
    const approvalId = await approvalAtLegalStep();
    const version = (await detail('huming01', approvalId)).body.version;

    const results = await Promise.all([act('huming01', approvalId, 'approve', { version }), act('guojia01', approvalId, 'approve', { version })]);

    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const loser = results.find((result) => result.status === 409)!;
    expect(loser.body.error.message).toMatch(/刷新/);
    expect(await countHistory(approvalId, 'approve')).toBe(2); // the leader's and one legal approval
    const after = (await detail('zhangwei01', approvalId)).body;
    expect(openTasksOf(after)).toEqual(['朱红梅']);
    const financeTasks = await server.db.selectFrom('approval_task').select('id').where('instance_id', '=', approvalId).where('step_index', '=', 3).execute();
    expect(financeTasks).toHaveLength(1);
  });

  it('answers 409 to the 或签 partner who approves after the step moved on', async () => {
    const approvalId = await approvalAtLegalStep();
    expect((await act('guojia01', approvalId, 'approve')).status).toBe(200);

    const late = await act('huming01', approvalId, 'approve');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('approval_task_closed');
    expect(late.body.error.message).toContain('郭佳');
  });

  it('replays the first answer for a repeated idempotency key', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('lina01') });
    const headers = { 'idempotency-key': `approve-${approvalId}-once` };

    const first = await act('wanglei01', approvalId, 'approve', { comment: '同意' }, headers);
    const second = await act('wanglei01', approvalId, 'approve', { comment: '同意' }, headers);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await countHistory(approvalId, 'approve')).toBe(1);
  });

  it('refuses a stale version with 409', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('lina01') });
    const response = await act('wanglei01', approvalId, 'approve', { version: 99 });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('approval_changed');
  });

  it('refuses the submitter with 403 and another team with 404', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });

    const submitter = await act('zhangwei01', approvalId, 'approve');
    expect(submitter.status).toBe(403);
    expect(submitter.body.error.code).toBe('not_current_approver');

    const otherTeam = await act('sunli01', approvalId, 'approve');
    expect(otherTeam.status).toBe(404);
    expect((await detail('sunli01', approvalId)).status).toBe(404);
  });

  it('never changes state on GET', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });
    const before = (await detail('wanglei01', approvalId)).body;
    await detail('wanglei01', approvalId);
    const after = (await detail('wanglei01', approvalId)).body;
    expect(after.version).toBe(before.version);
    expect(after.history).toEqual(before.history);
  });
});

describe('POST /approvals/:id/withdraw', () => {
  it('races a final approval with exactly one winner', async () => {
    const approvalId = await submitTestApproval(server.db, { templateCode: 'invoice_request', submitterId: await server.userId('sunli01') });
    expect((await act('zhaozhiqiang01', approvalId, 'approve')).status).toBe(200);
    const version = (await detail('sunli01', approvalId)).body.version;

    const [withdraw, approve] = await Promise.all([act('sunli01', approvalId, 'withdraw', { version }), act('zhuhongmei01', approvalId, 'approve', { version })]);

    expect([withdraw.status, approve.status].sort()).toEqual([200, 409]);
    const final = (await detail('sunli01', approvalId)).body;
    expect(final.status).toBe(withdraw.status === 200 ? 'withdrawn' : 'approved');
    const outcomes = decisions.filter((decision) => decision.approvalId === approvalId).map((decision) => decision.kind);
    expect(outcomes).toEqual([withdraw.status === 200 ? 'withdrawn' : 'approved']);
  });

  it('cancels the open tasks and tells the subject module', async () => {
    const approvalId = await approvalAtLegalStep();
    const response = await act('zhangwei01', approvalId, 'withdraw', { comment: '客户要求改交货期' });

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('withdrawn');
    expect(openTasksOf(response.body)).toEqual([]);
    expect(response.body.availableActions).toContain('resubmit');
    expect(decisions.at(-1)).toMatchObject({ kind: 'withdrawn', approvalId });
  });

  it('is refused to approvers and after the decision', async () => {
    const approvalId = await submitTestApproval(server.db, { templateCode: 'invoice_request', submitterId: await server.userId('zhangwei01') });
    expect((await act('wanglei01', approvalId, 'withdraw')).status).toBe(403);

    await act('wanglei01', approvalId, 'approve');
    await act('zhuhongmei01', approvalId, 'approve');
    const late = await act('zhangwei01', approvalId, 'withdraw');
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('approval_closed');
  });
});

describe('POST /approvals/:id/reject and resubmit', () => {
  it('rejects back to the submitter, who resubmits a new round', async () => {
    const approvalId = await approvalAtLegalStep();

    const missingReason = await act('huming01', approvalId, 'reject', {});
    expect(missingReason.status).toBe(400);

    const rejected = await act('huming01', approvalId, 'reject', { comment: '违约条款需要修改' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(decisions.at(-1)).toMatchObject({ kind: 'rejected', approvalId });

    const resubmitted = await act('zhangwei01', approvalId, 'resubmit', { comment: '已按法务意见修改' });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    expect(resubmitted.body.status).toBe('pending');
    expect(resubmitted.body.round).toBe(2);
    expect(resubmitted.body.subject.title).toBe('测试单据（修改后）');
    expect(resubmitted.body.contentHash).toBe('b'.repeat(64));
    expect(openTasksOf(resubmitted.body)).toEqual(['王磊']);
    expect(resubmitted.body.history.map((entry) => entry.action)).toContain('resubmit');
  });

  it('lets only the submitter resubmit', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });
    await act('wanglei01', approvalId, 'reject', { comment: '金额有误' });
    expect((await act('wanglei01', approvalId, 'resubmit')).status).toBe(403);
  });

  it('resubmits through submitApproval as a new round of the same approval', async () => {
    const submitterId = await server.userId('zhangwei01');
    const approvalId = await submitTestApproval(server.db, { submitterId, subjectId: 9001 });
    await act('wanglei01', approvalId, 'reject', { comment: '请补充附件' });

    const again = await submitTestApproval(server.db, { submitterId, subjectId: 9001 });
    expect(again).toBe(approvalId);
    expect((await detail('zhangwei01', approvalId)).body.round).toBe(2);
  });

  it('refuses a second submission while one is pending', async () => {
    const submitterId = await server.userId('zhangwei01');
    await submitTestApproval(server.db, { submitterId, subjectId: 9002 });
    await expect(submitTestApproval(server.db, { submitterId, subjectId: 9002 })).rejects.toMatchObject({ code: 'approval_already_pending' });
  });
});

describe('POST /approvals/:id/send-back', () => {
  it('sends back to an approved earlier step whose approvers decide again', async () => {
    const approvalId = await approvalAtLegalStep();

    const invalid = await act('huming01', approvalId, 'send-back', { toStepIndex: 1, comment: '退回' });
    expect(invalid.status).toBe(400);

    const response = await act('huming01', approvalId, 'send-back', { toStepIndex: 0, comment: '请部门负责人确认回款条件' });
    expect(response.status).toBe(200);
    expect(response.body.currentStepIndex).toBe(0);
    expect(openTasksOf(response.body)).toEqual(['王磊']);
    expect(response.body.history.at(-1)?.detail).toBe('退回到「部门负责人审批」');

    // The leader's earlier approval does not count: the step needs a new decision.
    const again = await act('wanglei01', approvalId, 'approve');
    expect(openTasksOf(again.body)).toEqual(['胡明', '郭佳']);
  });
});

describe('POST /approvals/:id/transfer and add-approver', () => {
  it('transfers a task to another user, who can then approve', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });
    const toUserId = await server.userId('zhoujianhua01');

    const toSubmitter = await act('wanglei01', approvalId, 'transfer', { toUserId: await server.userId('zhangwei01') });
    expect(toSubmitter.status).toBe(400);

    const response = await act('wanglei01', approvalId, 'transfer', { toUserId, comment: '出差中，请周主任代批' });
    expect(response.status).toBe(200);
    expect(openTasksOf(response.body)).toEqual(['周建华']);
    expect((await act('wanglei01', approvalId, 'approve')).status).toBe(409);
    expect(openTasksOf((await act('zhoujianhua01', approvalId, 'approve')).body)).toEqual(['朱红梅']);
  });

  it('adds an approver who may decide a 或签 step', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });
    const response = await act('wanglei01', approvalId, 'add-approver', { userId: await server.userId('linyaqin01'), comment: '请林总把关' });

    expect(response.status).toBe(200);
    expect(openTasksOf(response.body)).toEqual(['林雅琴', '王磊']);
    expect(openTasksOf((await act('linyaqin01', approvalId, 'approve')).body)).toEqual(['朱红梅']);
  });
});

describe('POST /approvals/:id/comments', () => {
  it('lets the submitter and approvers comment, not other teams', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });

    expect((await act('wanglei01', approvalId, 'comments', { comment: '请补充客户资信材料' })).status).toBe(200);
    expect((await act('zhangwei01', approvalId, 'comments', { comment: '已补充' })).status).toBe(200);
    expect((await act('sunli01', approvalId, 'comments', { comment: '路过' })).status).toBe(404);

    const comments = (await detail('zhangwei01', approvalId)).body.history.filter((entry) => entry.action === 'comment');
    expect(comments.map((entry) => entry.comment)).toEqual(['请补充客户资信材料', '已补充']);
  });
});

describe('GET /approvals', () => {
  it('lists pending, submitted and handled boxes with counts', async () => {
    const submitterId = await server.userId('luobin01');
    const first = await submitTestApproval(server.db, { submitterId, subject: { title: '列表测试一' } });
    const second = await submitTestApproval(server.db, { submitterId, subject: { title: '列表测试二' } });
    await act('yangfan01', first, 'approve');

    const pending = await server.request<ApprovalList>('GET', '/api/approvals?box=pending', { token: await tokenOf('yangfan01') });
    expect(pending.body.items.map((item) => item.approvalId)).toContain(second);
    expect(pending.body.items.map((item) => item.approvalId)).not.toContain(first);

    const handled = await server.request<ApprovalList>('GET', '/api/approvals?box=handled', { token: await tokenOf('yangfan01') });
    expect(handled.body.items[0]).toMatchObject({ approvalId: first, taskStatus: 'approved', currentStepName: '财务审核' });

    const submitted = await server.request<ApprovalList>('GET', '/api/approvals?box=submitted&limit=1', { token: await tokenOf('luobin01') });
    expect(submitted.body.items).toHaveLength(1);
    expect(submitted.body.items[0]!.approvalId).toBe(second);
    const nextPage = await server.request<ApprovalList>('GET', `/api/approvals?box=submitted&limit=1&before=${submitted.body.nextBefore}`, { token: await tokenOf('luobin01') });
    expect(nextPage.body.items[0]!.approvalId).toBe(first);

    const counts = await server.request<{ pending: number }>('GET', '/api/approvals/counts', { token: await tokenOf('yangfan01') });
    expect(counts.body.pending).toBe(pending.body.items.length);
  });

  it('shows a manager the approvals of their team but not of other teams', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('lina01') });
    expect((await detail('zhoujianhua01', approvalId)).status).toBe(200);
    expect((await detail('zhaozhiqiang01', approvalId)).status).toBe(404);
  });
});
