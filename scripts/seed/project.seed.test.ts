import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookListSummary, ProjectSummary } from '@shared/api/project.js';
import type { TargetSheet } from '@shared/api/target.js';
import { createLogger } from '../../server/src/logger.js';
import { startTestServer, type TestServer } from '../../server/src/test-support/test-server.js';
import { bookSeedStep } from './book.seed.js';
import { customerSeedStep } from './customer.seed.js';
import { projectSeedStep } from './project.seed.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('project seed', () => {
  it('builds two 馆配 projects, a subscription and monthly targets', async () => {
    const users = await server.db.selectFrom('app_user').select(['id', 'platform_user_id']).execute();
    const context = { db: server.db, logger: createLogger('silent'), now: new Date(), userIds: new Map(users.map((user) => [user.platform_user_id, user.id])) };
    await bookSeedStep.run(context);
    await customerSeedStep.run(context);

    await projectSeedStep.run(context);

    const token = await server.login('xuting01');
    const projects = await server.request<{ items: ProjectSummary[] }>('GET', '/api/projects?scope=mine', { token });
    const stages = Object.fromEntries(projects.body.items.map((project) => [project.name, project.currentMilestone?.name]));
    expect(stages['南京图书馆2026年中文图书采购项目']).toBe('投标');
    expect(stages['浙江图书馆2026年度馆配（第一包）']).toBe('配送');

    const delivering = projects.body.items.find((project) => project.name.startsWith('浙江图书馆'))!;
    const list = await server.request<{ summary: BookListSummary }>('GET', `/api/projects/${delivering.id}/book-list`, { token });
    expect(list.body.summary.held).toBeGreaterThan(0);
    expect(list.body.summary.notInCatalog).toBeGreaterThan(0);
    expect(list.body.summary.fillRate.copyFillRateBp).toBeGreaterThan(3000);
    expect(list.body.summary.fillRate.copyFillRateBp).toBeLessThan(10_000);

    const teacher = await server.login('zhengkai01');
    const subscription = await server.request<{ items: ProjectSummary[] }>('GET', '/api/projects?kind=textbook_subscription', { token: teacher });
    expect(subscription.body.items).toHaveLength(1);

    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const targets = await server.request<TargetSheet>('GET', `/api/targets?month=${month}`, { token: await server.login('chenguodong01') });
    const zhang = targets.body.rows.find((row) => row.name === '张伟');
    expect(zhang?.values.contract_amount).toBeGreaterThan(0);
    expect(targets.body.rows.find((row) => row.name === '华东片区')?.values.receipts).toBeGreaterThan(0);
  });
});
