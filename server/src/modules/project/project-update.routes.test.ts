import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail, ProjectMember } from '@shared/api/project.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createOwnedCustomer, uploadFile, workbookOf } from './project.test-support.js';

type ErrorBody = { error: { code: string; message: string } };

let server: TestServer;
let tokens: Record<string, string>;
let libraryId: number;
let schoolId: number;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  for (const user of ['xuting01', 'liuyang01', 'huangxiaoming01', 'sunli01']) tokens[user] = await server.login(user);
  libraryId = await createOwnedCustomer(server, 'xuting01', '南京图书馆');
  schoolId = await createOwnedCustomer(server, 'xuting01', '南京市第一中学', 'school');
});

afterAll(async () => {
  await server?.close();
});

async function createProject(extra: Record<string, unknown> = {}) {
  const response = await server.request<ProjectDetail>('POST', '/api/projects', {
    token: tokens.xuting01,
    body: { kind: 'library_supply', name: '南京图书馆年度采购', customerIds: [libraryId], members: [{ userId: await server.userId('liuyang01'), role: 'logistics' }], ...extra },
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function patch(projectId: number, body: Record<string, unknown>, token = tokens.xuting01) {
  return server.request<ProjectDetail & ErrorBody>('PATCH', `/api/projects/${projectId}`, { token, body });
}

async function auditActions(projectId: number): Promise<string[]> {
  const rows = await server.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'project').where('entity_id', '=', String(projectId)).execute();
  return rows.map((row) => row.action);
}

describe('PATCH /api/projects/:id status', () => {
  it('requires a reason to cancel', async () => {
    const project = await createProject();
    const response = await patch(project.id, { status: 'cancelled' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('取消项目请填写原因');
  });

  it('records closure and clears it on reopen', async () => {
    const project = await createProject();
    const cancelled = await patch(project.id, { status: 'cancelled', reason: '图书馆预算冻结，本年度不再招标' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.closure).toEqual({ reason: '图书馆预算冻结，本年度不再招标', at: '2026-03-10T02:00:00.000Z', by: { id: await server.userId('xuting01'), name: '徐婷' } });

    const notices = await server.db.selectFrom('outbox').select('payload').where('recipient_user_id', '=', await server.userId('liuyang01')).where('dedup_key', 'like', `project:${project.id}:status:%`).execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.payload).toContain('图书馆预算冻结');

    const reopened = await patch(project.id, { status: 'active' });
    expect(reopened.body.closure).toBeNull();
    expect((await auditActions(project.id)).filter((action) => action === 'project.status')).toHaveLength(2);
  });

  it('refuses a member with 403 and another team with 404', async () => {
    const project = await createProject();
    expect((await patch(project.id, { status: 'completed' }, tokens.liuyang01)).status).toBe(403);
    expect((await patch(project.id, { status: 'completed' }, tokens.sunli01)).status).toBe(404);
  });
});

describe('PATCH /api/projects/:id kind', () => {
  it('swaps untouched default milestones for the new kind', async () => {
    const project = await createProject();
    const response = await patch(project.id, { kind: 'group_purchase' });
    expect(response.status).toBe(200);
    expect(response.body.kind).toBe('group_purchase');
    expect(response.body.milestones.map((milestone) => milestone.name)).toEqual(['需求确认', '报价', '签约', '发货', '回款']);
    expect(await auditActions(project.id)).toContain('project.kind');
  });

  it('keeps milestones the user has scheduled', async () => {
    const project = await createProject({ milestones: [{ name: '投标', dueDate: '2026-04-01' }] });
    const response = await patch(project.id, { kind: 'other' });
    expect(response.body.milestones.map((milestone) => milestone.name)).toEqual(['投标']);
  });

  it('needs the school and term to become a textbook subscription', async () => {
    const project = await createProject();
    const missing = await patch(project.id, { kind: 'textbook_subscription' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('subscription_required');

    const changed = await patch(project.id, {
      kind: 'textbook_subscription',
      subscription: { schoolCustomerId: schoolId, term: '2026-autumn', orderDeadline: '2026-08-20', termStartDate: '2026-09-01' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.primaryCustomer?.name).toBe('南京市第一中学');
    const subscription = await server.request<{ schoolName: string }>('GET', `/api/projects/${project.id}/subscription`, { token: tokens.xuting01 });
    expect(subscription.body.schoolName).toBe('南京市第一中学');
  });

  it('refuses to leave library supply once a book list exists', async () => {
    const project = await createProject();
    const file = await workbookOf(['ISBN', '书名', '数量'], [['9787020002207', '红楼梦', 2]]);
    const imported = await uploadFile(server, tokens.xuting01!, `/api/projects/${project.id}/book-list/import?dryRun=false`, { name: '书目.xlsx', content: file });
    expect(imported.status).toBe(200);

    const response = await patch(project.id, { kind: 'other' });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('kind_has_data');
    expect(response.body.error.message).toContain('书目 1 种');
  });
});

describe('PATCH /api/projects/:id owner', () => {
  it('transfers owner and keeps previous as member', async () => {
    const project = await createProject();
    const liuyangId = await server.userId('liuyang01');
    const response = await patch(project.id, { ownerId: liuyangId }, tokens.huangxiaoming01);
    expect(response.status).toBe(200);
    expect(response.body.owner.id).toBe(liuyangId);
    expect(response.body.members.map((member) => member.userId)).toEqual([await server.userId('xuting01')]);
    expect(await auditActions(project.id)).toContain('project.transfer');
  });

  it('refuses an owner outside the rep scope', async () => {
    const project = await createProject();
    const response = await patch(project.id, { ownerId: await server.userId('liuyang01') });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('owner_out_of_scope');
  });
});

describe('POST /api/projects/:id/members', () => {
  it('changes a role and audits it once', async () => {
    const project = await createProject();
    const body = { userId: await server.userId('liuyang01'), role: 'bid' };
    const first = await server.request<{ items: ProjectMember[] }>('POST', `/api/projects/${project.id}/members`, { token: tokens.xuting01, body });
    await server.request('POST', `/api/projects/${project.id}/members`, { token: tokens.xuting01, body });
    expect(first.body.items[0]?.role).toBe('bid');
    expect((await auditActions(project.id)).filter((action) => action === 'project.member_role')).toHaveLength(1);
  });
});
