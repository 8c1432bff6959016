import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createLogger } from '../../logger.js';
import { fixedClock } from '../../lib/clock.js';
import { markUserLeft } from '../org/org.service.js';
import { putSetting } from '../settings/settings.service.js';
import { registerRecordingSubject, submitTestApproval } from './approval.test-support.js';
import { reassignTasksOfLeavers, remindWaitingApprovers, reminderSettingsKey } from './approval.jobs.js';

let server: TestServer;
const logger = createLogger('silent');
const submittedAt = new Date('2026-03-02T02:00:00.000Z');
const hours = (count: number) => new Date(submittedAt.getTime() + count * 3_600_000);

async function reminderKeys(approvalId: number): Promise<string[]> {
  const rows = await server.db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', 'approval-task:%:reminder:%').execute();
  const taskIds = (await server.db.selectFrom('approval_task').select('id').where('instance_id', '=', approvalId).execute()).map((task) => task.id);
  return rows.map((row) => row.dedup_key).filter((key) => taskIds.some((id) => key.startsWith(`approval-task:${id}:`)));
}

beforeAll(async () => {
  server = await startTestServer();
  registerRecordingSubject();
});

afterAll(async () => {
  await server?.close();
});

describe('remindWaitingApprovers', () => {
  it('reminds once per period after the configured wait', async () => {
    await putSetting(server.db, reminderSettingsKey, { afterHours: 8, everyHours: 24 }, null, submittedAt);
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('hejing01'), now: submittedAt });

    expect(await remindWaitingApprovers({ db: server.db, logger, clock: fixedClock(hours(7)) })).toBe(0);
    expect(await remindWaitingApprovers({ db: server.db, logger, clock: fixedClock(hours(9)) })).toBe(1);
    expect(await remindWaitingApprovers({ db: server.db, logger, clock: fixedClock(hours(20)) })).toBe(0);
    expect(await remindWaitingApprovers({ db: server.db, logger, clock: fixedClock(hours(33)) })).toBe(1);

    const keys = await reminderKeys(approvalId);
    expect(keys).toHaveLength(2);
    expect(keys.map((key) => key.split(':').at(-1)).sort()).toEqual(['0', '1']);
  });
});

describe('reassignTasksOfLeavers', () => {
  it('moves the open task of an approver who left to their leader', async () => {
    const approvalId = await submitTestApproval(server.db, { submitterId: await server.userId('zhangwei01') });
    const leaverId = await server.userId('wanglei01');
    await markUserLeft(server.db, leaverId, new Date(), 'test');

    expect(await reassignTasksOfLeavers({ db: server.db, logger, clock: fixedClock(new Date()) })).toBe(1);
    expect(await reassignTasksOfLeavers({ db: server.db, logger, clock: fixedClock(new Date()) })).toBe(0);

    const tasks = await server.db
      .selectFrom('approval_task')
      .innerJoin('app_user', 'app_user.id', 'approval_task.assignee_id')
      .select(['app_user.name', 'approval_task.status', 'approval_task.origin'])
      .where('instance_id', '=', approvalId)
      .orderBy('approval_task.id')
      .execute();
    expect(tasks).toEqual([
      { name: '王磊', status: 'reassigned', origin: 'rule' },
      { name: '周建华', status: 'pending', origin: 'reassign' },
    ]);
    const history = await server.db.selectFrom('approval_history').select(['action', 'detail']).where('instance_id', '=', approvalId).where('action', '=', 'reassign').execute();
    expect(history).toEqual([{ action: 'reassign', detail: '王磊已离职，任务移交给周建华' }]);
  });
});
