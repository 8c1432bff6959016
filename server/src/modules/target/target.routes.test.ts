import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetSheet } from '@shared/api/target.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let server: TestServer;
let tokens: Record<string, string>;
let ids: Record<string, number>;
let eastDepartmentId: number;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  ids = {};
  for (const user of ['wanglei01', 'zhangwei01', 'sunli01', 'zhoujianhua01', 'chenguodong01']) {
    tokens[user] = await server.login(user);
    ids[user] = await server.userId(user);
  }
  const east = await server.db.selectFrom('department').select('id').where('name', '=', '华东片区').executeTakeFirstOrThrow();
  eastDepartmentId = east.id;
});

afterAll(async () => {
  await server?.close();
});

describe('PUT /api/targets', () => {
  it('lets a team leader set targets for the team and its reps', async () => {
    const response = await server.request<TargetSheet>('PUT', '/api/targets', {
      token: tokens.wanglei01,
      body: {
        month: '2026-03',
        items: [
          { subjectType: 'department', subjectId: eastDepartmentId, metric: 'contract_amount', value: 300_000_000 },
          { subjectType: 'user', subjectId: ids.zhangwei01, metric: 'contract_amount', value: 80_000_000 },
          { subjectType: 'user', subjectId: ids.zhangwei01, metric: 'visits', value: 40 },
        ],
      },
    });
    expect(response.status).toBe(200);
    const zhang = response.body.rows.find((row) => row.subjectType === 'user' && row.subjectId === ids.zhangwei01);
    expect(zhang?.values).toEqual({ contract_amount: 80_000_000, receipts: null, new_customers: null, visits: 40 });
    expect(zhang?.editable).toBe(true);
  });

  it('refuses a leader setting their own target', async () => {
    const response = await server.request('PUT', '/api/targets', { token: tokens.wanglei01, body: { month: '2026-03', items: [{ subjectType: 'user', subjectId: ids.wanglei01, metric: 'visits', value: 10 }] } });
    expect(response.status).toBe(403);
  });

  it('refuses a rep and a leader of another team', async () => {
    const rep = await server.request('PUT', '/api/targets', { token: tokens.zhangwei01, body: { month: '2026-03', items: [{ subjectType: 'user', subjectId: ids.zhangwei01, metric: 'visits', value: 99 }] } });
    expect(rep.status).toBe(403);
    const outsider = await server.request('PUT', '/api/targets', { token: tokens.sunli01, body: { month: '2026-03', items: [{ subjectType: 'department', subjectId: eastDepartmentId, metric: 'visits', value: 1 }] } });
    expect(outsider.status).toBe(403);
  });

  it('clears a target with null', async () => {
    const response = await server.request<TargetSheet>('PUT', '/api/targets', {
      token: tokens.zhoujianhua01,
      body: { month: '2026-03', items: [{ subjectType: 'user', subjectId: ids.zhangwei01, metric: 'visits', value: null }] },
    });
    expect(response.body.rows.find((row) => row.subjectId === ids.zhangwei01 && row.subjectType === 'user')?.values.visits).toBeNull();
  });
});

describe('GET /api/targets', () => {
  it('shows a rep only their own row and their team, read-only', async () => {
    const response = await server.request<TargetSheet>('GET', '/api/targets?month=2026-03', { token: tokens.zhangwei01 });
    expect(response.body.canEdit).toBe(false);
    expect(response.body.rows.filter((row) => row.subjectType === 'user').map((row) => row.subjectId)).toEqual([ids.zhangwei01]);
    expect(response.body.rows.some((row) => row.subjectType === 'department' && row.subjectId === eastDepartmentId)).toBe(true);
  });

  it('hides another team from a rep', async () => {
    const response = await server.request<TargetSheet>('GET', '/api/targets?month=2026-03', { token: tokens.sunli01 });
    expect(response.body.rows.some((row) => row.subjectId === ids.zhangwei01 && row.subjectType === 'user')).toBe(false);
    expect(response.body.rows.some((row) => row.subjectId === eastDepartmentId && row.subjectType === 'department')).toBe(false);
  });

  it('shows executives sales departments only', async () => {
    const response = await server.request<TargetSheet>('GET', '/api/targets?month=2026-03', { token: tokens.chenguodong01 });
    const names = response.body.rows.filter((row) => row.subjectType === 'department').map((row) => row.name);
    expect(names).toContain('华东片区');
    expect(names).not.toContain('财务部');
  });

  it('rejects a malformed month', async () => {
    const response = await server.request('GET', '/api/targets?month=2026-13', { token: tokens.zhangwei01 });
    expect(response.status).toBe(400);
  });
});

describe('POST /api/targets/copy', () => {
  it('copies targets into an empty month and keeps existing ones', async () => {
    await server.request('PUT', '/api/targets', { token: tokens.wanglei01, body: { month: '2026-04', items: [{ subjectType: 'user', subjectId: ids.zhangwei01, metric: 'contract_amount', value: 1 }] } });
    const response = await server.request<{ copied: number; skipped: number }>('POST', '/api/targets/copy', { token: tokens.wanglei01, body: { fromMonth: '2026-03', toMonth: '2026-04' } });
    expect(response.body).toEqual({ copied: 1, skipped: 1 });
  });
});
