import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail, ProjectSummary, ProjectTask } from '@shared/api/project.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createOwnedCustomer } from './project.test-support.js';

let server: TestServer;
let tokens: Record<string, string>;
let libraryId: number;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  for (const user of ['xuting01', 'liuyang01', 'huangxiaoming01', 'sunli01', 'chenguodong01', 'zhangwei01']) tokens[user] = await server.login(user);
  libraryId = await createOwnedCustomer(server, 'xuting01', '南京图书馆');
});

afterAll(async () => {
  await server?.close();
});

async function createLibraryProject(owner = 'xuting01', extra: Record<string, unknown> = {}) {
  return server.request<ProjectDetail>('POST', '/api/projects', {
    token: tokens[owner],
    body: { kind: 'library_supply', name: '南京图书馆2026年中文图书采购', customerIds: [libraryId], budgetFen: 120_000_000, members: [{ userId: await server.userId('liuyang01'), role: 'logistics' }], ...extra },
  });
}

describe('POST /api/projects', () => {
  it('creates a library project with the default milestones', async () => {
    const response = await createLibraryProject();

    expect(response.status).toBe(201);
    expect(response.body.number).toBe('XM-2026-0001');
    expect(response.body.milestones.map((milestone) => milestone.name)).toEqual(['招标公告', '投标', '中标', '签约', '配送', '验收', '回款']);
    expect(response.body.currentMilestone?.name).toBe('招标公告');
    expect(response.body.customers).toEqual([{ id: libraryId, name: '南京图书馆', isPrimary: true }]);
    expect(response.body.permissions).toEqual({ canManage: true, canContribute: true });
  });

  it('notifies the member once when the project is created', async () => {
    const memberId = await server.userId('liuyang01');
    const notices = await server.db.selectFrom('outbox').select('payload').where('recipient_user_id', '=', memberId).where('dedup_key', 'like', 'project:%:member:%').execute();
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices[0]!.payload).toContain('您已加入项目');
  });

  it('rejects a customer the creator cannot see', async () => {
    const response = await server.request<{ error: { code: string } }>('POST', '/api/projects', { token: tokens.sunli01, body: { kind: 'other', name: '越权项目', customerIds: [libraryId] } });
    expect(response.status).toBe(404);
  });

  it('requires school and term for a textbook subscription', async () => {
    const response = await server.request<{ error: { code: string; message: string } }>('POST', '/api/projects', { token: tokens.xuting01, body: { kind: 'textbook_subscription', name: '教材' } });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('学校');
  });

  it('refuses an owner outside the creator scope', async () => {
    const response = await server.request<{ error: { code: string } }>('POST', '/api/projects', {
      token: tokens.xuting01,
      body: { kind: 'other', name: '代建项目', ownerId: await server.userId('sunli01') },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('owner_out_of_scope');
  });
});

describe('GET /api/projects/:id', () => {
  it('is visible to owner, member, the owner manager and executives', async () => {
    const created = await createLibraryProject();
    for (const user of ['xuting01', 'liuyang01', 'huangxiaoming01', 'chenguodong01']) {
      const response = await server.request<ProjectDetail>('GET', `/api/projects/${created.body.id}`, { token: tokens[user] });
      expect(response.status, user).toBe(200);
    }
  });

  it('answers 404 to a rep of another team', async () => {
    const created = await createLibraryProject();
    const response = await server.request('GET', `/api/projects/${created.body.id}`, { token: tokens.sunli01 });
    expect(response.status).toBe(404);
    const list = await server.request<{ items: ProjectSummary[] }>('GET', '/api/projects', { token: tokens.sunli01 });
    expect(list.body.items.some((item) => item.id === created.body.id)).toBe(false);
  });

  it('gives a member contribute but not manage rights', async () => {
    const created = await createLibraryProject();
    const response = await server.request<ProjectDetail>('GET', `/api/projects/${created.body.id}`, { token: tokens.liuyang01 });
    expect(response.body.permissions).toEqual({ canManage: false, canContribute: true });
  });
});

describe('GET /api/projects', () => {
  it('lists own and member projects with scope=mine', async () => {
    const created = await createLibraryProject();
    const mine = await server.request<{ items: ProjectSummary[]; total: number }>('GET', '/api/projects?scope=mine', { token: tokens.liuyang01 });
    expect(mine.status).toBe(200);
    expect(mine.body.items.some((item) => item.id === created.body.id)).toBe(true);
  });

  it('finds a project by customer name', async () => {
    const response = await server.request<{ items: ProjectSummary[] }>('GET', `/api/projects?q=${encodeURIComponent('南京图书')}`, { token: tokens.huangxiaoming01 });
    expect(response.body.items.length).toBeGreaterThan(0);
    expect(response.body.items.every((item) => item.primaryCustomer?.name === '南京图书馆')).toBe(true);
  });
});

describe('PATCH /api/projects/:id', () => {
  it('lets the owner manager change the budget and audits it', async () => {
    const created = await createLibraryProject();
    const response = await server.request<ProjectDetail>('PATCH', `/api/projects/${created.body.id}`, { token: tokens.huangxiaoming01, body: { budgetFen: 150_000_000 } });
    expect(response.status).toBe(200);
    expect(response.body.budgetFen).toBe(150_000_000);
    const audit = await server.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'project').where('entity_id', '=', String(created.body.id)).execute();
    expect(audit.map((row) => row.action)).toContain('project.budget');
  });

  it('refuses a member with 403', async () => {
    const created = await createLibraryProject();
    const response = await server.request('PATCH', `/api/projects/${created.body.id}`, { token: tokens.liuyang01, body: { name: '改名' } });
    expect(response.status).toBe(403);
  });

  it('answers 404 to another team rep', async () => {
    const created = await createLibraryProject();
    const response = await server.request('PATCH', `/api/projects/${created.body.id}`, { token: tokens.sunli01, body: { name: '改名' } });
    expect(response.status).toBe(404);
  });
});

describe('project members', () => {
  it('adds and removes a member', async () => {
    const created = await createLibraryProject();
    const zhangwei = await server.userId('zhangwei01');
    const added = await server.request<{ items: { userId: number; role: string }[] }>('POST', `/api/projects/${created.body.id}/members`, { token: tokens.xuting01, body: { userId: zhangwei, role: 'sales' } });
    expect(added.status).toBe(200);
    expect(added.body.items.some((member) => member.userId === zhangwei && member.role === 'sales')).toBe(true);

    const seen = await server.request('GET', `/api/projects/${created.body.id}`, { token: tokens.zhangwei01 });
    expect(seen.status).toBe(200);

    const removed = await server.request<{ items: { userId: number }[] }>('DELETE', `/api/projects/${created.body.id}/members/${zhangwei}`, { token: tokens.xuting01 });
    expect(removed.body.items.some((member) => member.userId === zhangwei)).toBe(false);
    const hidden = await server.request('GET', `/api/projects/${created.body.id}`, { token: tokens.zhangwei01 });
    expect(hidden.status).toBe(404);
  });

  it('refuses another team rep', async () => {
    const created = await createLibraryProject();
    const response = await server.request('GET', `/api/projects/${created.body.id}/members`, { token: tokens.sunli01 });
    expect(response.status).toBe(404);
  });
});

describe('milestones and tasks', () => {
  it('lets a member mark a milestone done but not rename it', async () => {
    const created = await createLibraryProject();
    const first = created.body.milestones[0]!;
    const done = await server.request<{ items: { id: number; doneDate: string | null }[] }>('PATCH', `/api/projects/${created.body.id}/milestones/${first.id}`, {
      token: tokens.liuyang01,
      body: { doneDate: '2026-03-09' },
    });
    expect(done.status).toBe(200);
    expect(done.body.items.find((item) => item.id === first.id)?.doneDate).toBe('2026-03-09');

    const renamed = await server.request('PATCH', `/api/projects/${created.body.id}/milestones/${first.id}`, { token: tokens.liuyang01, body: { name: '改名' } });
    expect(renamed.status).toBe(403);
  });

  it('refuses a done date in the future', async () => {
    const created = await createLibraryProject();
    const response = await server.request<{ error: { code: string } }>('PATCH', `/api/projects/${created.body.id}/milestones/${created.body.milestones[0]!.id}`, {
      token: tokens.xuting01,
      body: { doneDate: '2026-04-01' },
    });
    expect(response.body.error.code).toBe('done_date_in_future');
  });

  it('assigns a task to a member and notifies them', async () => {
    const created = await createLibraryProject();
    const assigneeId = await server.userId('liuyang01');
    const task = await server.request<ProjectTask>('POST', `/api/projects/${created.body.id}/tasks`, {
      token: tokens.xuting01,
      body: { title: '准备投标文件', assigneeId, dueDate: '2026-03-09' },
    });
    expect(task.status).toBe(201);
    expect(task.body.overdue).toBe(true);

    const notice = await server.db.selectFrom('outbox').select('payload').where('dedup_key', 'like', `project-task:${task.body.id}:assigned:%`).executeTakeFirst();
    expect(notice?.payload).toContain('准备投标文件');

    const mine = await server.request<{ items: ProjectTask[] }>('GET', '/api/project-tasks/mine?filter=due', { token: tokens.liuyang01 });
    expect(mine.body.items.some((item) => item.id === task.body.id)).toBe(true);
  });

  it('refuses a task for someone outside the project', async () => {
    const created = await createLibraryProject();
    const response = await server.request<{ error: { code: string } }>('POST', `/api/projects/${created.body.id}/tasks`, {
      token: tokens.xuting01,
      body: { title: '越权任务', assigneeId: await server.userId('sunli01') },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('assignee_not_member');
  });

  it('lets the assignee mark the task done', async () => {
    const created = await createLibraryProject();
    const task = await server.request<ProjectTask>('POST', `/api/projects/${created.body.id}/tasks`, { token: tokens.xuting01, body: { title: '送样书', assigneeId: await server.userId('liuyang01') } });
    const done = await server.request<ProjectTask>('PATCH', `/api/projects/${created.body.id}/tasks/${task.body.id}`, { token: tokens.liuyang01, body: { status: 'done' } });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    expect(done.body.doneAt).not.toBeNull();
  });

  it('answers 404 for tasks to another team rep', async () => {
    const created = await createLibraryProject();
    const response = await server.request('GET', `/api/projects/${created.body.id}/tasks`, { token: tokens.sunli01 });
    expect(response.status).toBe(404);
  });
});

describe('project links', () => {
  it('links an opportunity the member can see and refuses one they cannot', async () => {
    const created = await createLibraryProject();
    const mine = await server.db
      .insertInto('opportunity')
      .values({
        customer_id: libraryId,
        name: '南京图书馆年度采购',
        kind: 'library_supply',
        stage: 'quoting',
        max_stage_rank: 3,
        expected_amount_fen: 50_000_000,
        expected_close_date: '2026-04-30',
        close_date: '2026-04-30',
        owner_id: await server.userId('xuting01'),
        competitor: null,
        notes: null,
        lost_reason: null,
        won_contract_id: null,
        closed_at: null,
        last_activity_at: '2026-03-01T02:00:00.000Z',
        stale_notified_at: null,
        created_by: await server.userId('xuting01'),
        created_at: '2026-03-01T02:00:00.000Z',
        updated_at: '2026-03-01T02:00:00.000Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const linked = await server.request<{ items: { refType: string; title: string; url: string }[] }>('POST', `/api/projects/${created.body.id}/links`, { token: tokens.xuting01, body: { refType: 'opportunity', refId: mine.id } });
    expect(linked.status).toBe(200);
    expect(linked.body.items).toContainEqual(expect.objectContaining({ refType: 'opportunity', title: '南京图书馆年度采购', url: `/opportunities/${mine.id}` }));

    // The member 刘洋 is in the project but not in the opportunity owner's scope.
    const refused = await server.request('POST', `/api/projects/${created.body.id}/links`, { token: tokens.liuyang01, body: { refType: 'opportunity', refId: mine.id } });
    expect(refused.status).toBe(404);

    const fromOpportunity = await server.request<ProjectDetail>('POST', '/api/projects', { token: tokens.xuting01, body: { kind: 'library_supply', name: '由商机创建', opportunityId: mine.id } });
    expect(fromOpportunity.status).toBe(201);
    expect(fromOpportunity.body.opportunityId).toBe(mine.id);
    expect(fromOpportunity.body.customers.map((customer) => customer.id)).toEqual([libraryId]);
    expect(fromOpportunity.body.counts.links).toBe(1);
  });
});
