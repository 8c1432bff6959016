import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalDetail, TemplateDefinition } from '@shared/api/approval.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { dispatchNotifications } from '../../jobs/notification-dispatcher.js';
import { createLogger } from '../../logger.js';
import { registerRecordingSubject, submitTestApproval, type RecordedDecision } from './approval.test-support.js';

let server: TestServer;
let decisions: RecordedDecision[];
const tokens = new Map<string, string>();

async function tokenOf(userid: string): Promise<string> {
  if (!tokens.has(userid)) tokens.set(userid, await server.login(userid));
  return tokens.get(userid)!;
}

async function detail(userid: string, approvalId: number): Promise<ApprovalDetail> {
  const response = await server.request<ApprovalDetail>('GET', `/api/approvals/${approvalId}`, { token: await tokenOf(userid) });
  expect(response.status).toBe(200);
  return response.body;
}

async function act(userid: string, approvalId: number, action: string, body: Record<string, unknown> = {}) {
  return server.request<ApprovalDetail & { error?: { code: string; message: string } }>('POST', `/api/approvals/${approvalId}/${action}`, {
    token: await tokenOf(userid),
    body,
  });
}

/** Approves as `userid` and expects success. */
async function approveAs(userid: string, approvalId: number): Promise<ApprovalDetail> {
  const response = await act(userid, approvalId, 'approve', { comment: '同意' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

function activeApproverNames(approval: ApprovalDetail): string[] {
  const step = approval.steps.find((candidate) => candidate.index === approval.currentStepIndex);
  return (step?.tasks ?? []).filter((task) => task.status === 'pending').map((task) => task.assignee.name).sort();
}

function stepStatuses(approval: ApprovalDetail): Record<string, string> {
  return Object.fromEntries(approval.steps.map((step) => [step.key, step.status]));
}

beforeAll(async () => {
  server = await startTestServer();
  decisions = registerRecordingSubject();
});

afterAll(async () => {
  await server?.close();
});

describe('sales_contract template', () => {
  it('skips legal, special discount and general manager for a small contract', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01'), subject: { amountFen: 3_000_000 } });

    const submitted = await detail('zhangwei01', approvalId);
    expect(stepStatuses(submitted)).toEqual({ department_leader: 'active', legal: 'skipped', special_discount: 'skipped', finance: 'waiting', general_manager: 'skipped' });
    expect(activeApproverNames(submitted)).toEqual(['王磊']);
    expect(submitted.history.filter((entry) => entry.action === 'step_skipped')).toHaveLength(3);

    const afterLeader = await approveAs('wanglei01', approvalId);
    expect(activeApproverNames(afterLeader)).toEqual(['朱红梅']);

    const final = await approveAs('zhuhongmei01', approvalId);
    expect(final.status).toBe('approved');
    expect(final.decidedAt).not.toBeNull();
    expect(decisions.filter((decision) => decision.approvalId === approvalId)).toEqual([{ kind: 'approved', subjectId: expect.any(Number), approvalId, actorUserId: await server.userId('zhuhongmei01') }]);
  });

  it('runs every step for a large contract with a special discount', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('lina01'), subject: { amountFen: 60_000_000, hasSpecialDiscount: true } });

    expect(activeApproverNames(await detail('lina01', approvalId))).toEqual(['王磊']);
    expect(activeApproverNames(await approveAs('wanglei01', approvalId))).toEqual(['胡明', '郭佳']);
    expect(activeApproverNames(await approveAs('guojia01', approvalId))).toEqual(['周建华', '宋文博']);
    expect(activeApproverNames(await approveAs('songwenbo01', approvalId))).toEqual(['朱红梅']);
    expect(activeApproverNames(await approveAs('zhuhongmei01', approvalId))).toEqual(['陈国栋']);

    const final = await approveAs('chenguodong01', approvalId);
    expect(final.status).toBe('approved');
    expect(Object.values(stepStatuses(final))).toEqual(['approved', 'approved', 'approved', 'approved', 'approved']);
    // The 或签 partner of each step had nothing left to do.
    const legal = final.steps.find((step) => step.key === 'legal')!;
    expect(legal.tasks.map((task) => [task.assignee.name, task.status]).sort()).toEqual([
      ['胡明', 'cancelled'],
      ['郭佳', 'approved'],
    ]);
  });

  it('runs legal at exactly the threshold amount', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01'), subject: { amountFen: 10_000_000 } });
    const approval = await detail('zhangwei01', approvalId);
    expect(stepStatuses(approval).legal).toBe('waiting');
    expect(stepStatuses(approval).general_manager).toBe('skipped');
  });

  it('starts one level higher when the submitter leads the department', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('wanglei01') });
    expect(activeApproverNames(await detail('wanglei01', approvalId))).toEqual(['周建华']);
  });

  it('writes each action to the audit chain with the content hash', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });
    await approveAs('wanglei01', approvalId);

    const rows = await server.db.selectFrom('audit_log').select(['action', 'data']).where('entity_type', '=', 'approval').where('entity_id', '=', String(approvalId)).orderBy('id').execute();
    expect(rows.map((row) => row.action)).toEqual(['approval.submit', 'approval.approve']);
    expect(JSON.parse(rows[1]!.data).contentHash).toBe('a'.repeat(64));
  });
});

describe('other default templates', () => {
  it('special_discount goes leader → 编辑部/发行部 → general manager for a large quote', async () => {
    const approvalId = await submitTestApproval(server.db, { templateCode: 'special_discount', submitterId: await server.userId('sunli01'), subject: { amountFen: 25_000_000, hasSpecialDiscount: true } });

    expect(activeApproverNames(await detail('sunli01', approvalId))).toEqual(['赵志强']);
    expect(activeApproverNames(await approveAs('zhaozhiqiang01', approvalId))).toEqual(['周建华', '宋文博']);
    expect(activeApproverNames(await approveAs('zhoujianhua01', approvalId))).toEqual(['陈国栋']);
    expect((await approveAs('chenguodong01', approvalId)).status).toBe('approved');
  });

  it('invoice_request goes leader → finance', async () => {
    const approvalId = await submitTestApproval(server.db, { templateCode: 'invoice_request', submitterId: await server.userId('hejing01') });

    expect(activeApproverNames(await detail('hejing01', approvalId))).toEqual(['杨帆']);
    expect(activeApproverNames(await approveAs('yangfan01', approvalId))).toEqual(['朱红梅', '高翔']);
    expect((await approveAs('gaoxiang01', approvalId)).status).toBe('approved');
  });

  it('return_order skips the general manager below ¥100,000', async () => {
    const approvalId = await submitTestApproval(server.db, { templateCode: 'return_order', submitterId: await server.userId('machao01'), subject: { amountFen: 1_200_000 } });

    expect(activeApproverNames(await detail('machao01', approvalId))).toEqual(['赵志强']);
    expect(activeApproverNames(await approveAs('zhaozhiqiang01', approvalId))).toEqual(['周建华']);
    expect(activeApproverNames(await approveAs('zhoujianhua01', approvalId))).toEqual(['朱红梅', '高翔']);
    const final = await approveAs('zhuhongmei01', approvalId);
    expect(final.status).toBe('approved');
    expect(stepStatuses(final).general_manager).toBe('skipped');
  });
});

describe('template edits', () => {
  async function editTemplate(code: string, edit: (definition: TemplateDefinition) => TemplateDefinition) {
    const admin = await tokenOf('xuzhiyuan01');
    const current = await server.request<{ version: number; definition: TemplateDefinition }>('GET', `/api/approval-templates/${code}`, { token: admin });
    expect(current.status).toBe(200);
    const saved = await server.request<{ version: number; error?: unknown }>('PUT', `/api/approval-templates/${code}`, {
      token: admin,
      body: { version: current.body.version, definition: edit(current.body.definition) },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    return saved.body;
  }

  it('do not change a running approval, only later submissions', async () => {
    const running = await submitTestApproval(server.db, { templateCode: 'invoice_request', submitterId: await server.userId('zhangwei01') });
    await editTemplate('invoice_request', (definition) => ({ ...definition, steps: definition.steps.filter((step) => step.key !== 'finance') }));

    const afterLeader = await approveAs('wanglei01', running);
    expect(afterLeader.status).toBe('pending');
    expect(activeApproverNames(afterLeader)).toEqual(['朱红梅', '高翔']);

    const later = await submitTestApproval(server.db, { templateCode: 'invoice_request', submitterId: await server.userId('zhangwei01') });
    const laterApproved = await approveAs('wanglei01', later);
    expect(laterApproved.status).toBe('approved');
    expect(laterApproved.steps.map((step) => step.key)).toEqual(['department_leader']);
  });

  it('refuses a save based on a stale version', async () => {
    const admin = await tokenOf('xuzhiyuan01');
    const current = await server.request<{ version: number; definition: TemplateDefinition }>('GET', '/api/approval-templates/return_order', { token: admin });
    await editTemplate('return_order', (definition) => ({ ...definition, description: '第一次修改' }));

    const stale = await server.request<{ error: { code: string } }>('PUT', '/api/approval-templates/return_order', {
      token: admin,
      body: { version: current.body.version, definition: { ...current.body.definition, description: '过期的修改' } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('template_changed');
  });

  it('is refused to non-admins', async () => {
    const response = await server.request('GET', '/api/approval-templates', { token: await tokenOf('wanglei01') });
    expect(response.status).toBe(403);
  });

  it('runs a 会签 step with three approvers until all have approved', async () => {
    const [finance, legal, editorial] = await Promise.all([server.userId('gaoxiang01'), server.userId('huming01'), server.userId('songwenbo01')]);
    await editTemplate('special_discount', (definition) => ({
      ...definition,
      steps: [{ key: 'joint_review', name: '联合会签', approver: { kind: 'users', userIds: [finance, legal, editorial] }, mode: 'all', condition: null }],
    }));
    const approvalId = await submitTestApproval(server.db, { templateCode: 'special_discount', submitterId: await server.userId('lina01') });

    expect(activeApproverNames(await detail('lina01', approvalId))).toEqual(['宋文博', '胡明', '高翔']);
    expect(activeApproverNames(await approveAs('huming01', approvalId))).toEqual(['宋文博', '高翔']);
    const second = await approveAs('gaoxiang01', approvalId);
    expect(second.status).toBe('pending');
    expect(activeApproverNames(second)).toEqual(['宋文博']);
    const third = await approveAs('songwenbo01', approvalId);
    expect(third.status).toBe('approved');
    expect(third.steps[0]!.tasks.every((task) => task.status === 'approved')).toBe(true);
  });

  it('falls back to the admins when a rule finds nobody, and says so in the history', async () => {
    await editTemplate('contract_void', (definition) => ({
      ...definition,
      steps: [{ key: 'archive_office', name: '档案室审核', approver: { kind: 'department_leaders', departmentNames: ['档案室'] }, mode: 'any', condition: null }],
    }));
    const approvalId = await submitTestApproval(server.db, { templateCode: 'contract_void', submitterId: await server.userId('zhangwei01') });

    const approval = await detail('zhangwei01', approvalId);
    expect(activeApproverNames(approval)).toEqual(['许志远', '韩冬']);
    const fallback = approval.history.find((entry) => entry.action === 'fallback_to_admin');
    expect(fallback?.detail).toContain('档案室负责人');
    expect(approval.steps[0]!.note).toContain('系统管理员');
  });
});

describe('notifications', () => {
  it('sends exactly one work notice per task and completes the to-dos', async () => {
    const submitterId = await server.userId('sunli01');
    const approvalId = await submitTestApproval(server.db, { submitterId, subject: { amountFen: 12_000_000, title: '通知测试合同' } });
    await approveAs('zhaozhiqiang01', approvalId);
    await approveAs('huming01', approvalId);

    const logger = createLogger('silent');
    const clock = { now: () => new Date(Date.now() + 1000) };
    // Earlier tests queued notices too; the dispatcher sends 50 per run, so run it until nothing is due.
    while ((await dispatchNotifications({ db: server.db, platform: server.server.platform, clock, logger })) > 0);

    const tasks = await server.db.selectFrom('approval_task').innerJoin('app_user', 'app_user.id', 'approval_task.assignee_id').select(['approval_task.id', 'app_user.platform_user_id']).where('instance_id', '=', approvalId).execute();
    expect(tasks).toHaveLength(4); // 赵志强, 胡明 + 郭佳 (或签), 朱红梅

    const response = await fetch(`${server.fakePlatformUrl}/__fake/messages`);
    const { messages } = (await response.json()) as { messages: { kind: string; recipients: string[]; body: unknown }[] };
    const notices = messages.filter((message) => message.kind === 'work_notice' && JSON.stringify(message.body).includes('通知测试合同') && JSON.stringify(message.body).includes('待您审批'));
    expect(notices.map((notice) => notice.recipients[0]).sort()).toEqual(tasks.map((task) => task.platform_user_id).sort());
    expect(JSON.stringify(notices[0]!.body)).toContain(encodeURIComponent(`/#/approvals/${approvalId}`));

    const todosCreated = messages.filter((message) => message.kind === 'todo_created' && JSON.stringify(message.body).includes('通知测试合同'));
    expect(todosCreated).toHaveLength(4);
    // 赵志强 approved, 胡明 approved, 郭佳's task was cancelled: three to-dos are done, 朱红梅's is open.
    const todosCompleted = messages.filter((message) => message.kind === 'todo_completed' && ['zhaozhiqiang01', 'huming01', 'guojia01'].includes(message.recipients[0]!));
    expect(todosCompleted.length).toBeGreaterThanOrEqual(3);
  });
});
