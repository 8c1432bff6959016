import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agingBucketOf } from '../../shared/src/receivable-rules.js';
import { createLogger } from '../../server/src/logger.js';
import { localDate } from '../../server/src/lib/clock.js';
import { createCustomerAs } from '../../server/src/modules/customer/customer.test-support.js';
import { startTestServer, type TestServer } from '../../server/src/test-support/test-server.js';
import { bookSeedStep } from './book.seed.js';
import { receivableSeedStep } from './receivable.seed.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('receivable seed', () => {
  it('shows every receivable feature', async () => {
    for (const rep of ['zhangwei01', 'lina01', 'sunli01', 'hejing01', 'liuyang01']) {
      await createCustomerAs(server, await server.login(rep), { name: `${rep}的种子书店有限公司`, type: 'xinhua_store' });
    }
    const users = await server.db.selectFrom('app_user').select(['id', 'platform_user_id']).execute();
    const now = new Date();
    const context = { db: server.db, logger: createLogger('silent'), now, userIds: new Map(users.map((user) => [user.platform_user_id, user.id])) };
    await bookSeedStep.run(context);

    await receivableSeedStep.run(context);

    const today = localDate(now, 'Asia/Shanghai');
    const plans = await server.db.selectFrom('payment_plan').selectAll().where('status', '<>', 'received').execute();
    const buckets = new Set(plans.map((plan) => agingBucketOf(plan.due_date, today)));
    expect([...buckets].sort()).toEqual(['d1_30', 'd31_60', 'd61_90', 'not_due', 'over_90']);
    expect(plans.some((plan) => plan.status === 'partial')).toBe(true);
    expect(await server.db.selectFrom('invoice_request').select('status').execute()).toEqual([{ status: 'pending_approval' }]);
    const returns = await server.db.selectFrom('return_order').select('status').orderBy('id').execute();
    expect(returns.map((row) => row.status)).toEqual(['confirmed', 'pending_approval']);
    const statements = await server.db.selectFrom('statement').select('status').orderBy('id').execute();
    expect(statements.map((row) => row.status)).toEqual(['disputed', 'confirmed']);
    expect(await server.db.selectFrom('consignment_settlement').select('id').execute()).toHaveLength(1);
    const unallocated = await server.db.selectFrom('receipt').select(['amount_fen', 'allocated_fen']).where('note', '=', '馆配项目预付款').executeTakeFirstOrThrow();
    expect(unallocated.allocated_fen).toBe(0);
  }, 60_000);
});
