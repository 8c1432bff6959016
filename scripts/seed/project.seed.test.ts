import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookListSummary, ProjectDocument, ProjectLink, ProjectSummary, SubscriptionOrder } from '@shared/api/project.js';
import type { TargetSheet } from '@shared/api/target.js';
import { createLogger } from '../../server/src/logger.js';
import { startTestServer, type TestServer } from '../../server/src/test-support/test-server.js';
import { bookSeedStep } from './book.seed.js';
import { customerSeedStep } from './customer.seed.js';
import { demoSeedSteps } from './demo-data.js';
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
    const subscriptionId = subscription.body.items[0]!.id;
    const orders = await server.request<{ items: SubscriptionOrder[] }>('GET', `/api/projects/${subscriptionId}/subscription/orders`, { token: teacher });
    expect(orders.body.items.length).toBeGreaterThan(18);
    const documents = await server.request<{ items: ProjectDocument[] }>('GET', `/api/projects/${subscriptionId}/documents`, { token: teacher });
    expect(documents.body.items.map((document) => document.fileName)).toContain('南师附中高一高二教材征订汇总.xlsx');

    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);
    const targets = await server.request<TargetSheet>('GET', `/api/targets?month=${month}`, { token: await server.login('chenguodong01') });
    const zhang = targets.body.rows.find((row) => row.name === '张伟');
    expect(zhang?.values.contract_amount).toBeGreaterThan(0);
    expect(targets.body.rows.find((row) => row.name === '华东片区')?.values.receipts).toBeGreaterThan(0);
  });

  it('links a visit, quote, contract and receipt after the full demo', async () => {
    const full = await startTestServer();
    try {
      const users = await full.db.selectFrom('app_user').select(['id', 'platform_user_id']).execute();
      const context = { db: full.db, logger: createLogger('silent'), now: new Date(), userIds: new Map(users.map((user) => [user.platform_user_id, user.id])) };
      for (const step of demoSeedSteps) await step.run(context);

      const rows = await full.db.selectFrom('project_link').select(['project_id', 'ref_type']).where('ref_type', 'in', ['visit', 'quote', 'contract', 'receipt']).execute();
      const projectId = rows[0]!.project_id;
      expect(rows.filter((row) => row.project_id === projectId).map((row) => row.ref_type).sort()).toEqual(['contract', 'quote', 'receipt', 'visit']);

      const owner = await full.db.selectFrom('project').innerJoin('app_user', 'app_user.id', 'project.owner_id').select('app_user.platform_user_id').where('project.id', '=', projectId).executeTakeFirstOrThrow();
      const links = await full.request<{ items: ProjectLink[] }>('GET', `/api/projects/${projectId}/links`, { token: await full.login(owner.platform_user_id) });
      expect(links.body.items).toHaveLength(4);
    } finally {
      await full.close();
    }
  }, 120_000);
});
