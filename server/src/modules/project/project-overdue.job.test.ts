import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail } from '@shared/api/project.js';
import { createLogger } from '../../logger.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { notifyOverdueProjectItems, runProjectOverdueJob } from './project-overdue.job.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
});

afterAll(async () => {
  await server?.close();
});

describe('notifyOverdueProjectItems', () => {
  it('notifies each assignee once per overdue task and milestone', async () => {
    const token = await server.login('xuting01');
    const memberId = await server.userId('liuyang01');
    const created = await server.request<ProjectDetail>('POST', '/api/projects', {
      token,
      body: {
        kind: 'other',
        name: '逾期提醒测试',
        members: [{ userId: memberId, role: 'logistics' }],
        milestones: [{ name: '投标', dueDate: '2026-03-05' }, { name: '签约', dueDate: '2026-04-01' }],
      },
    });
    await server.request('POST', `/api/projects/${created.body.id}/tasks`, { token, body: { title: '盖章', assigneeId: memberId, dueDate: '2026-03-08' } });
    const deps = { db: server.db, config: server.config, logger: createLogger('silent') };

    const first = await notifyOverdueProjectItems(deps, new Date('2026-03-10T02:00:00Z'));
    const second = await notifyOverdueProjectItems(deps, new Date('2026-03-10T06:00:00Z'));

    expect(first).toEqual({ tasks: 1, milestones: 1 });
    expect(second).toEqual({ tasks: 0, milestones: 0 });
    const ownerId = await server.userId('xuting01');
    const milestoneNotice = await server.db.selectFrom('outbox').select('recipient_user_id').where('dedup_key', 'like', 'project-milestone:%:overdue:%').execute();
    expect(milestoneNotice.map((row) => row.recipient_user_id)).toEqual([ownerId]);
  });

  it('sends nothing before 09:00 local time', async () => {
    const before = await server.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    // 00:30 UTC is 08:30 in Asia/Shanghai.
    await runProjectOverdueJob({ db: server.db, config: server.config, logger: createLogger('silent') }, new Date('2026-03-11T00:30:00Z'));
    const after = await server.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    expect(Number(after.total)).toBe(Number(before.total));
  });
});
