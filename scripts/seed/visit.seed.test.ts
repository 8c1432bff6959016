import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { localDate } from '../../server/src/lib/clock.js';
import { createTestCustomer } from '../../server/src/modules/visit/visit.test-support.js';
import { startTestServer, type TestServer } from '../../server/src/test-support/test-server.js';
import { bookSeedStep } from './book.seed.js';
import { visitSeedStep } from './visit.seed.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('visit seed', () => {
  it('three weeks of visits and plans', async () => {
    for (const rep of ['zhangwei01', 'lina01']) {
      for (let index = 0; index < 6; index += 1) await createTestCustomer(server, rep, { name: `${rep}的种子客户${index}`, location: index === 5 ? null : { lat: 32.05 + index / 100, lng: 118.78 } });
    }
    const users = await server.db.selectFrom('app_user').select(['id', 'platform_user_id']).execute();
    const now = new Date();

    const context = { db: server.db, logger: createLogger('silent'), now, userIds: new Map(users.map((user) => [user.platform_user_id, user.id])) };
    await bookSeedStep.run(context);

    await visitSeedStep.run(context);

    const today = localDate(now, 'Asia/Shanghai');
    const visits = await server.db.selectFrom('visit').selectAll().execute();
    expect(visits.length).toBeGreaterThan(40);
    expect(visits.every((visit) => visit.status === 'checked_out' && visit.check_in_date < today)).toBe(true);
    expect(visits.some((visit) => visit.flagged === 1 && visit.location_status === 'far')).toBe(true);
    expect(visits.some((visit) => visit.follow_up_date === today && visit.follow_up_done_at === null)).toBe(true);
    expect(await server.db.selectFrom('visit_shelf_item').select('id').execute()).not.toHaveLength(0);
    const plans = await server.db.selectFrom('visit_plan').selectAll().execute();
    expect(plans.some((plan) => plan.plan_date === today && plan.status === 'planned')).toBe(true);
    expect(plans.some((plan) => plan.plan_date < today && plan.status === 'visited')).toBe(true);
  });
});
