import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail, Subscription, SubscriptionOrder } from '@shared/api/project.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createOwnedCustomer, createSubscriptionProject } from './project.test-support.js';

let server: TestServer;
let owner: string;
let member: string;
let outsider: string;
let projectId: number;

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-08-20T03:00:00Z') });
  owner = await server.login('wuhaiyan01');
  member = await server.login('zhengkai01');
  outsider = await server.login('sunli01');
  projectId = await createSubscriptionProject(server, owner);
});

afterAll(async () => {
  await server?.close();
});

describe('textbook subscription', () => {
  it('starts with the school as primary customer and the term milestones', async () => {
    const detail = await server.request<ProjectDetail>('GET', `/api/projects/${projectId}`, { token: owner });
    expect(detail.body.primaryCustomer?.name).toBe('南京师范大学附属中学');
    expect(detail.body.milestones[0]?.name).toBe('发送征订目录');
  });

  it('adds orders per course and class and sums a repeated one', async () => {
    const response = await server.request<{ items: SubscriptionOrder[] }>('POST', `/api/projects/${projectId}/subscription/orders`, {
      token: member,
      body: {
        orders: [
          { course: '思想政治', className: '高一(1)班', isbn: '9787040247657', quantity: 45 },
          { course: '思想政治', className: '高一(2)班', isbn: '9787040247657', quantity: 44 },
          { course: '语文', className: '高一(1)班', isbn: '9787503717444', title: '高中语文读本', quantity: 45 },
          { course: '思想政治', className: '高一(1)班', isbn: '978-7-04-024765-7', quantity: 1 },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.items).toHaveLength(3);
    expect(response.body.items.find((order) => order.course === '思想政治' && order.className === '高一(1)班')?.quantity).toBe(46);

    const summary = await server.request<Subscription>('GET', `/api/projects/${projectId}/subscription`, { token: owner });
    expect(summary.body.counts).toMatchObject({ orderLines: 3, titlesOrdered: 2, copiesOrdered: 135, copiesShipped: 0 });
    expect(summary.body.courses).toContainEqual({ course: '思想政治', classes: 2, titles: 1, copies: 90 });
    expect(summary.body.termLabel).toBe('2026年秋季学期');
  });

  it('ships every unshipped order', async () => {
    const response = await server.request<{ ordersShipped: number; copiesShipped: number }>('POST', `/api/projects/${projectId}/subscription/shipments`, { token: member, body: { shippedDate: '2026-08-20' } });
    expect(response.body).toEqual({ ordersShipped: 3, copiesShipped: 135 });
  });

  it('refuses a return dated before term start', async () => {
    const orders = await server.request<{ items: SubscriptionOrder[] }>('GET', `/api/projects/${projectId}/subscription/orders`, { token: owner });
    const response = await server.request<{ error: { code: string } }>('POST', `/api/projects/${projectId}/subscription/orders/${orders.body.items[0]!.id}/returns`, {
      token: member,
      body: { quantity: 2, returnedDate: '2026-08-20' },
    });
    expect(response.body.error.code).toBe('return_before_term_start');
  });

  it('answers 404 to another team rep', async () => {
    expect((await server.request('GET', `/api/projects/${projectId}/subscription`, { token: outsider })).status).toBe(404);
    expect((await server.request('GET', `/api/projects/${projectId}/subscription/orders`, { token: outsider })).status).toBe(404);
  });
});

describe('returns after term start', () => {
  let later: TestServer;

  afterAll(async () => {
    await later?.close();
  });

  it('records a return up to the shipped quantity', async () => {
    later = await startTestServer({ now: new Date('2026-09-10T03:00:00Z') });
    const token = await later.login('wuhaiyan01');
    const schoolId = await createOwnedCustomer(later, 'wuhaiyan01', '南京市第一中学', 'school');
    const created = await later.request<ProjectDetail>('POST', '/api/projects', {
      token,
      body: { kind: 'textbook_subscription', name: '一中征订', subscription: { schoolCustomerId: schoolId, term: '2026-autumn', orderDeadline: '2026-08-25', termStartDate: '2026-09-01' } },
    });
    const id = created.body.id;
    const orders = await later.request<{ items: SubscriptionOrder[] }>('POST', `/api/projects/${id}/subscription/orders`, {
      token,
      body: { orders: [{ course: '历史', className: '高二(3)班', isbn: '9787503720208', title: '历史读本', quantity: 40 }] },
    });
    expect(orders.status).toBe(201);
    const orderId = orders.body.items[0]!.id;
    await later.request('POST', `/api/projects/${id}/subscription/shipments`, { token, body: { shippedDate: '2026-08-28' } });

    const returned = await later.request<SubscriptionOrder>('POST', `/api/projects/${id}/subscription/orders/${orderId}/returns`, { token, body: { quantity: 3, returnedDate: '2026-09-08' } });
    expect(returned.status).toBe(200);
    expect(returned.body.returnedQuantity).toBe(3);

    const tooMany = await later.request<{ error: { code: string } }>('POST', `/api/projects/${id}/subscription/orders/${orderId}/returns`, { token, body: { quantity: 38, returnedDate: '2026-09-09' } });
    expect(tooMany.body.error.code).toBe('return_exceeds_shipped');
  });
});
