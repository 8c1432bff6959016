import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workbench } from '@shared/api/workbench.js';
import type { ProjectDetail } from '@shared/api/project.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { submitTestApproval } from '../approval/approval.test-support.js';
import { insertContract, insertOpportunity, insertPlan, insertVisit } from '../kpi/kpi.test-support.js';
import { createOwnedCustomer } from '../project/project.test-support.js';

let server: TestServer;
let tokens: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  for (const user of ['zhangwei01', 'wanglei01', 'sunli01', 'lina01', 'gaoxiang01']) tokens[user] = await server.login(user);
  const zhang = await server.userId('zhangwei01');
  const customerId = await createOwnedCustomer(server, 'zhangwei01', '昆山市图书馆');

  await submitTestApproval(server.db, { submitterId: zhang, now: new Date('2026-03-10T01:00:00Z') });
  await server.request('POST', '/api/visit-plans', { token: tokens.zhangwei01, body: { customerId, planDate: '2026-03-10' } });
  const visitId = await insertVisit(server.db, { ownerId: zhang, customerId, date: '2026-03-02' });
  await server.db.updateTable('visit').set({ follow_up_date: '2026-03-09', next_step: '送样书' }).where('id', '=', visitId).execute();
  await insertOpportunity(server.db, { ownerId: zhang, customerId, createdAt: '2026-01-05T02:00:00.000Z', stage: 'quoting', closeDate: '2026-03-31' });
  const contractId = await insertContract(server.db, { ownerId: zhang, customerId, approvedAt: '2026-01-10T02:00:00.000Z', totalNetFen: 900_000 });
  await insertPlan(server.db, { customerId, contractId, dueDate: '2026-03-01', amountFen: 450_000 });
  const project = await server.request<ProjectDetail>('POST', '/api/projects', {
    token: tokens.zhangwei01,
    body: { kind: 'other', name: '昆山图书馆捐赠项目', customerIds: [customerId], milestones: [{ name: '签约', dueDate: '2026-03-05' }], members: [{ userId: await server.userId('lina01'), role: 'sales' }] },
  });
  await server.request('POST', `/api/projects/${project.body.id}/tasks`, { token: tokens.zhangwei01, body: { title: '准备书单', assigneeId: zhang, dueDate: '2026-03-10' } });
  await server.request('POST', `/api/projects/${project.body.id}/tasks`, { token: tokens.zhangwei01, body: { title: '联系馆长', assigneeId: await server.userId('lina01'), dueDate: '2026-03-08' } });

  // 李娜 requests to collaborate on 张伟's library. 张伟 took a private store (back to the pool after 90 days
  // by default) on 2025-12-14 and never followed it up, so it is due 2026-03-14, four days after today.
  await server.request('POST', '/api/customers/collaboration-requests', { token: tokens.lina01, body: { name: '昆山市图书馆', message: '我在跟进馆配项目' } });
  const stale = await createOwnedCustomer(server, 'zhangwei01', '昆山市周庄书店');
  await server.db.updateTable('customer').set({ type: 'private_store', owned_since: '2025-12-14T02:00:00.000Z', last_followed_up_at: null }).where('id', '=', stale).execute();
});

afterAll(async () => {
  await server?.close();
});

async function workbench(user: string) {
  const response = await server.request<Workbench>('GET', '/api/workbench', { token: tokens[user] });
  expect(response.status).toBe(200);
  return Object.fromEntries(response.body.items.map((item) => [item.key, item]));
}

describe('GET /api/workbench', () => {
  it('shows the rep their day with counts and links', async () => {
    const items = await workbench('zhangwei01');
    expect(items.plannedVisits).toMatchObject({ count: 1, link: '/visits/plans' });
    expect(items.followUps).toMatchObject({ count: 1, tone: 'alert' });
    expect(items.overdueReceivables).toMatchObject({ count: 1, amountFen: 450_000, tone: 'alert' });
    expect(items.staleOpportunities).toMatchObject({ count: 1 });
    // Own task due today, the late milestone of the owned project, and the member's late task.
    expect(items.projectTasks).toMatchObject({ count: 3, link: '/projects/tasks', hint: '1 个里程碑、成员 1 个任务已逾期' });
    expect(items.approvals).toMatchObject({ count: 0 });
  });

  it('shows requests and returns waiting for the owner', async () => {
    const items = await workbench('zhangwei01');
    expect(items.collaborationRequests).toMatchObject({ count: 1, link: '/customers/requests', hint: '李娜 申请协作“昆山市图书馆”' });
    expect(items.poolReturns).toMatchObject({ count: 1, link: '/customers/returning', hint: '昆山市周庄书店 4 天后退回', tone: 'alert' });
  });

  it('leaves owner items out for finance', async () => {
    const items = await workbench('gaoxiang01');
    expect(items.collaborationRequests).toBeUndefined();
    expect(items.poolReturns).toBeUndefined();
    expect(items.overdueReceivables).toBeDefined();
  });

  it('shows a member their own late task', async () => {
    const items = await workbench('lina01');
    expect(items.projectTasks).toMatchObject({ count: 1 });
  });

  it('shows the leader the approval waiting for them', async () => {
    const items = await workbench('wanglei01');
    expect(items.approvals).toMatchObject({ count: 1, link: '/approvals' });
    expect(items.approvals?.hint).toBe('测试单据');
  });

  it('shows another team rep none of it', async () => {
    const items = await workbench('sunli01');
    for (const key of ['approvals', 'plannedVisits', 'followUps', 'overdueReceivables', 'staleOpportunities', 'projectTasks', 'collaborationRequests', 'poolReturns']) {
      expect(items[key]?.count, key).toBe(0);
    }
  });
});
