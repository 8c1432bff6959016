import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookListItem, BookListSummary, DeliveryBatch, ImportReport, ProjectDetail } from '@shared/api/project.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCatalogBook, createOwnedCustomer, uploadFile, workbookOf } from './project.test-support.js';

let server: TestServer;
let owner: string;
let outsider: string;
let projectId: number;

/** Real ISBNs of the dp2 sample catalog (shared/fixtures/dp2_books_flat.csv). */
const isbns = {
  report94: '9787503717444',
  report95: '9787503720208',
  report96: '9787503722912',
  trends99: '9787801275554',
  reform08: '9787040247657',
};

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-05-20T03:00:00Z') });
  owner = await server.login('xuting01');
  outsider = await server.login('sunli01');
  await createCatalogBook(server, isbns.report94, '94中国发展报告', 6800);
  await createCatalogBook(server, isbns.report95, '95中国发展报告', 8000);
  await createCatalogBook(server, isbns.report96, '96中国发展报告', 8800);
  const libraryId = await createOwnedCustomer(server, 'xuting01', '苏州图书馆');
  const created = await server.request<ProjectDetail>('POST', '/api/projects', { token: owner, body: { kind: 'library_supply', name: '苏州图书馆年度采购', customerIds: [libraryId] } });
  projectId = created.body.id;
});

afterAll(async () => {
  await server?.close();
});

async function bookList(filter = 'all') {
  return server.request<{ items: BookListItem[]; total: number; summary: BookListSummary }>('GET', `/api/projects/${projectId}/book-list?filter=${filter}`, { token: owner });
}

describe('POST /api/projects/:id/book-list/import', () => {
  it('reports bad rows in a dry run and changes nothing', async () => {
    const file = await workbookOf(
      ['ISBN', '书名', '数量'],
      [
        ['7-5037-1744-0', '', 5],
        [isbns.report95, '95中国发展报告', 3],
        ['9787503720209', '校验位错误', 1],
        [isbns.report95, '重复行', 2],
        [isbns.trends99, '1999年中国发展状况与趋势', 0],
      ],
    );
    const response = await uploadFile(server, owner, `/api/projects/${projectId}/book-list/import?dryRun=true`, { name: '书目.xlsx', content: file });
    const report = response.body as unknown as ImportReport;

    expect(response.status).toBe(200);
    expect(report.accepted).toBe(2);
    expect(report.issues.map((issue) => [issue.row, issue.column])).toEqual([
      [4, 'ISBN'],
      [5, 'ISBN'],
      [6, '数量'],
    ]);
    expect((await bookList()).body.total).toBe(0);
  });

  it('imports good rows, fills titles from the catalog and marks titles not in the catalog', async () => {
    const file = await workbookOf(
      ['序号', 'ISBN', '题名', '复本数'],
      [
        [1, isbns.report94, '', 5],
        [2, isbns.report95, '95中国发展报告', 3],
        [3, isbns.report96, '96中国发展报告', 2],
        [4, isbns.trends99, '1999年中国发展状况与趋势', 4],
        [5, isbns.reform08, '08中国改革跟踪报告', 1],
      ],
    );
    const response = await uploadFile(server, owner, `/api/projects/${projectId}/book-list/import?dryRun=false`, { name: '苏州图书馆书目.xlsx', content: file });
    expect(response.status).toBe(200);

    const list = await bookList();
    expect(list.body.total).toBe(5);
    expect(list.body.items[0]).toMatchObject({ isbn: isbns.report94, title: '94中国发展报告', quantity: 5, listPriceFen: 6800 });
    expect(list.body.summary.notInCatalog).toBe(2);
    expect((await bookList('not_in_catalog')).body.items.map((item) => item.isbn).sort()).toEqual([isbns.reform08, isbns.trends99].sort());

    const documents = await server.request<{ items: { kind: string; fileName: string }[] }>('GET', `/api/projects/${projectId}/documents`, { token: owner });
    expect(documents.body.items.some((document) => document.kind === 'book_list' && document.fileName === '苏州图书馆书目.xlsx')).toBe(true);
  });

  it('answers 404 to another team rep', async () => {
    const file = await workbookOf(['ISBN', '数量'], [[isbns.report94, 1]]);
    const response = await uploadFile(server, outsider, `/api/projects/${projectId}/book-list/import?dryRun=true`, { name: 'x.xlsx', content: file });
    expect(response.status).toBe(404);
    expect((await server.request('GET', `/api/projects/${projectId}/book-list`, { token: outsider })).status).toBe(404);
  });

  it('rejects a file that is not a spreadsheet', async () => {
    const response = await uploadFile(server, owner, `/api/projects/${projectId}/book-list/import?dryRun=true`, { name: 'x.xlsx', content: Buffer.from('not a zip') });
    expect(response.status).toBe(400);
    expect((response.body as { error: { code: string } }).error.code).toBe('import_file_unreadable');
  });
});

describe('POST /api/projects/:id/holdings/import', () => {
  it('marks titles the library already holds and leaves them out of the fill rate', async () => {
    const file = await workbookOf(['ISBN'], [[isbns.report96], ['9787040247657'], ['not-an-isbn']]);
    const response = await uploadFile(server, owner, `/api/projects/${projectId}/holdings/import?dryRun=false`, { name: '馆藏.xlsx', content: file });
    expect(response.status).toBe(200);
    expect((response.body as unknown as ImportReport).issues).toHaveLength(1);

    const list = await bookList('held');
    expect(list.body.items.map((item) => item.isbn).sort()).toEqual([isbns.reform08, isbns.report96].sort());
    expect(list.body.summary.fillRate).toMatchObject({ titlesToSupply: 3, copiesToSupply: 12 });
  });
});

describe('POST /api/projects/:id/deliveries', () => {
  it('records a batch and updates the fill rate', async () => {
    const list = await bookList();
    const report94 = list.body.items.find((item) => item.isbn === isbns.report94)!;
    const response = await server.request<DeliveryBatch>('POST', `/api/projects/${projectId}/deliveries`, {
      token: owner,
      body: { shippedDate: '2026-05-19', lines: [{ itemId: report94.id, quantity: 5 }, { isbn: '7-5037-2020-4', quantity: 1 }] },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ batchNo: 1, titles: 2, copies: 6 });

    const deliveries = await server.request<{ items: DeliveryBatch[]; fillRate: BookListSummary['fillRate'] }>('GET', `/api/projects/${projectId}/deliveries`, { token: owner });
    // 3 titles / 12 copies to supply: 94 report delivered in full (5 of 5), 95 report partly (1 of 3).
    expect(deliveries.body.fillRate).toMatchObject({ titlesDelivered: 1, titlesPartlyDelivered: 1, copiesDelivered: 6, titleFillRateBp: 3333, copyFillRateBp: 5000 });
  });

  it('refuses more copies than remain on the list', async () => {
    const response = await server.request<{ error: { code: string; message: string } }>('POST', `/api/projects/${projectId}/deliveries`, {
      token: owner,
      body: { shippedDate: '2026-05-19', lines: [{ isbn: isbns.report95, quantity: 3 }] },
    });
    expect(response.status).toBe(409);
    expect(response.body.error.message).toContain('最多还能配送 2 册');
  });

  it('refuses a title the library already holds', async () => {
    const response = await server.request<{ error: { code: string } }>('POST', `/api/projects/${projectId}/deliveries`, {
      token: owner,
      body: { shippedDate: '2026-05-19', lines: [{ isbn: isbns.report96, quantity: 1 }] },
    });
    expect(response.body.error.code).toBe('title_already_held');
  });

  it('answers 404 to another team rep', async () => {
    const response = await server.request('POST', `/api/projects/${projectId}/deliveries`, { token: outsider, body: { shippedDate: '2026-05-19', lines: [{ isbn: isbns.report95, quantity: 1 }] } });
    expect(response.status).toBe(404);
  });
});

describe('GET /api/projects/:id/book-list/export', () => {
  it('downloads the list with delivery state', async () => {
    const response = await fetch(`${server.url}/api/projects/${projectId}/book-list/export`, { headers: { authorization: `Bearer ${owner}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    const outside = await fetch(`${server.url}/api/projects/${projectId}/book-list/export`, { headers: { authorization: `Bearer ${outsider}` } });
    expect(outside.status).toBe(404);
  });
});
