import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionImportReport, SubscriptionOrder } from '@shared/api/project.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createSubscriptionProject, uploadFile, workbookOf } from './project.test-support.js';

let server: TestServer;
let owner: string;
let member: string;
let outsider: string;
let projectId: number;

const headings = ['课程', '班级', 'ISBN', '书名', '数量'];
const goodRows: (string | number)[][] = [
  ['思想政治', '高一(1)班', '9787040247657', '', 45],
  ['思想政治', '高一（2）班', '978-7-04-024765-7', '', 44],
  ['语文', '高一(1)班', '9787503717444', '高中语文读本', 45],
];

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

async function importOrders(token: string, content: Buffer, query = 'dryRun=false') {
  const response = await uploadFile(server, token, `/api/projects/${projectId}/subscription/orders/import?${query}`, { name: '南师附中高一教材征订.xlsx', content });
  return { status: response.status, body: response.body as unknown as SubscriptionImportReport & { error: { code: string; message: string } } };
}

async function orders(): Promise<SubscriptionOrder[]> {
  return (await server.request<{ items: SubscriptionOrder[] }>('GET', `/api/projects/${projectId}/subscription/orders`, { token: owner })).body.items;
}

describe('POST /api/projects/:id/subscription/orders/import', () => {
  it('reports a dry run per row and column without writing', async () => {
    const file = await workbookOf(headings, [...goodRows, ['语文', '高一(2)班', '9787000000000', '', 40], ['历史', '', '9787040247657', '', 'abc'], ['思想政治', '高一(1)班', '9787040247657', '', 3]]);
    const report = await importOrders(member, file, 'dryRun=true');

    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ dryRun: true, rowsRead: 6, accepted: 3, created: 3, updated: 0, unchanged: 0, after: { orderLines: 3, titles: 2, copies: 134 } });
    expect(report.body.issues).toContainEqual(expect.objectContaining({ row: 5, column: 'ISBN' }));
    expect(report.body.issues).toContainEqual(expect.objectContaining({ row: 6, column: '班级', reason: '班级为空' }));
    expect(report.body.issues).toContainEqual(expect.objectContaining({ row: 6, column: '数量' }));
    expect(report.body.issues).toContainEqual(expect.objectContaining({ row: 7, column: 'ISBN', reason: expect.stringContaining('第 2 行') }));
    expect(await orders()).toEqual([]);
  });

  it('reports ISBNs missing from the catalog and needs their title', async () => {
    const file = await workbookOf(headings, [['语文', '高一(1)班', '9787503717444', '高中语文读本', 45], ['数学', '高一(1)班', '9787020002207', '', 45]]);
    const report = await importOrders(member, file, 'dryRun=true');

    expect(report.body.notInCatalog).toEqual([{ row: 2, isbn: '9787503717444', title: '高中语文读本' }]);
    expect(report.body.issues).toEqual([{ row: 3, column: '书名', reason: expect.stringContaining('9787020002207') }]);
  });

  it('imports the good rows and keeps the file once', async () => {
    const file = await workbookOf(headings, goodRows);
    const report = await importOrders(member, file);

    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const rows = await orders();
    expect(rows.map((order) => `${order.course}/${order.className}/${order.quantity}`).sort()).toEqual(['思想政治/高一(1)班/45', '思想政治/高一(2)班/44', '语文/高一(1)班/45']);
    expect(rows.find((order) => order.course === '思想政治')?.title).toBe('08中国改革跟踪报告');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await orders();
    const report = await importOrders(member, await workbookOf(headings, goodRows));

    expect(report.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await orders()).toEqual(before);
    const documents = await server.db.selectFrom('project_document').select('id').where('project_id', '=', projectId).execute();
    expect(documents).toHaveLength(1);
  });

  it('sets quantities from a revised file and replace removes dropped orders', async () => {
    const revised = await workbookOf(headings, [goodRows[0]!, ['思想政治', '高一(2)班', '9787040247657', '', 46]]);
    const report = await importOrders(owner, revised, 'dryRun=false&mode=replace');

    expect(report.body).toMatchObject({ created: 0, updated: 1, unchanged: 1, removed: 1, after: { orderLines: 2, copies: 91 } });
    expect((await orders()).map((order) => order.quantity).sort()).toEqual([45, 46]);
  });

  it('refuses a quantity below what was shipped', async () => {
    await server.request('POST', `/api/projects/${projectId}/subscription/shipments`, { token: owner, body: { shippedDate: '2026-08-20' } });
    const report = await importOrders(owner, await workbookOf(headings, [['思想政治', '高一(1)班', '9787040247657', '', 40]]));

    expect(report.body.accepted).toBe(0);
    expect(report.body.issues).toEqual([{ row: 2, column: '数量', reason: expect.stringContaining('已发货 45 册') }]);
  });

  it('names the missing headings', async () => {
    const report = await importOrders(owner, await workbookOf(['ISBN', '数量'], [['9787040247657', 3]]));
    expect(report.status).toBe(400);
    expect(report.body.error.code).toBe('import_headings_missing');
    expect(report.body.error.message).toContain('课程');
  });

  it('answers 404 to a rep of another team', async () => {
    const report = await importOrders(outsider, await workbookOf(headings, goodRows));
    expect(report.status).toBe(404);
  });
});

describe('GET /api/project-subscription-template', () => {
  it('returns a workbook with the import headings', async () => {
    const response = await fetch(`${server.url}/api/project-subscription-template`, { headers: { authorization: `Bearer ${member}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const firstRow = workbook.worksheets[0]!.getRow(1).values as unknown[];
    expect(firstRow.slice(1)).toEqual(headings);
  });
});
