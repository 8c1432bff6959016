import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Book } from '@shared/api/book.js';
import type { LineDefaults, QuoteDetail } from '@shared/api/quote.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCustomerAs } from '../customer/customer.test-support.js';
import { getQuoteForContract, sumOpenQuoteAmount } from './quote.service.js';
import { loadActor } from '../org/org.service.js';

const now = new Date('2030-03-15T02:00:00.000Z');

let server: TestServer;
let rep: string;
let otherRep: string;
let manager: string;
let editor: string;
let customerId: number;
const books: Record<'workbook' | 'novel' | 'picture', Book> = {} as never;

type ErrorBody = { error: { code: string; message: string } };

beforeAll(async () => {
  server = await startTestServer({ now });
  rep = await server.login('lina01');
  otherRep = await server.login('sunli01');
  manager = await server.login('wanglei01');
  editor = await server.login('songwenbo01');

  const addBook = async (body: Record<string, unknown>) => (await server.request<Book>('POST', '/api/books', { token: editor, body })).body;
  books.workbook = await addBook({ isbn: '9787539912349', title: '小学数学同步练习 三年级上', category: 'teaching_aid', series: '同步练习', listPriceFen: 2800 });
  books.novel = await addBook({ isbn: '9787539912356', title: '运河人家', category: 'general', listPriceFen: 4500 });
  books.picture = await addBook({ isbn: '9787539912363', title: '小蝌蚪的夏天', category: 'children', listPriceFen: 3333 });

  customerId = (await createCustomerAs(server, rep)).id;
  const agree = (body: Record<string, unknown>) =>
    server.request('POST', `/api/customers/${customerId}/discount-agreements`, { token: manager, body: { validFrom: '2030-01-01', validTo: null, reason: '2030 年度协议', ...body } });
  expect((await agree({ scope: 'customer', scopeValue: '', defaultDiscount: 7000, floorDiscount: 6500 })).status).toBe(201);
  expect((await agree({ scope: 'series', scopeValue: '同步练习', defaultDiscount: 6000, floorDiscount: 5500 })).status).toBe(201);
});

afterAll(async () => {
  await server.close();
});

function linesBody(lines: { bookId: number; quantity: number; discount: number; lineId?: number }[], extra: Record<string, unknown> = {}) {
  return { validUntil: '2030-04-15', notes: '春季备货', opportunityId: null, lines, ...extra };
}

async function createQuote(lines: { bookId: number; quantity: number; discount: number }[]): Promise<QuoteDetail> {
  const response = await server.request<QuoteDetail>('POST', '/api/quotes', { token: rep, body: { customerId, ...linesBody(lines) } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function act(quoteId: number, action: string, token = rep) {
  return server.request<QuoteDetail & ErrorBody>('POST', `/api/quotes/${quoteId}/${action}`, { token, body: {} });
}

async function decideApproval(approvalId: number, verdict: 'approve' | 'reject', token: string) {
  const response = await server.request('POST', `/api/approvals/${approvalId}/${verdict}`, { token, body: { comment: verdict === 'reject' ? '折扣太低' : '同意' } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

describe('POST /api/quotes/line-defaults', () => {
  it('offers the series agreement over the customer default', async () => {
    const response = await server.request<{ items: LineDefaults[] }>('POST', '/api/quotes/line-defaults', { token: rep, body: { customerId, bookIds: [books.workbook.id, books.novel.id] } });
    expect(response.body.items.map((item) => [item.title, item.defaultDiscount, item.floorDiscount, item.source])).toEqual([
      ['小学数学同步练习 三年级上', 6000, 5500, 'agreement'],
      ['运河人家', 7000, 6500, 'agreement'],
    ]);
  });
});

describe('POST /api/quotes', () => {
  it('computes 码洋 and 实洋 per line with half-up rounding and stores the sums', async () => {
    const quote = await createQuote([
      { bookId: books.workbook.id, quantity: 100, discount: 6000 },
      { bookId: books.novel.id, quantity: 3, discount: 7000 },
      { bookId: books.picture.id, quantity: 1, discount: 6500 },
    ]);
    // ¥33.33 × 65 % = ¥21.6645 → ¥21.66.
    expect(quote.lines.map((line) => [line.listAmountFen, line.netAmountFen, line.isSpecialDiscount])).toEqual([
      [280_000, 168_000, false],
      [13_500, 9_450, false],
      [3_333, 2_166, false],
    ]);
    expect(quote).toMatchObject({ number: 'BJ-2030-000001', version: 1, status: 'draft', listAmountFen: 296_833, netAmountFen: 179_616, totalQuantity: 104, blockedReason: null });
    expect(quote.actions).toMatchObject({ edit: true, send: true, submitApproval: false, revise: false });
  });

  it('refuses a book that is not in the catalog', async () => {
    const response = await server.request<ErrorBody>('POST', '/api/quotes', { token: rep, body: { customerId, ...linesBody([{ bookId: 999_999, quantity: 1, discount: 7000 }]) } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('quote_book_missing');
  });
});

describe('special discounts', () => {
  it('mark a line below the floor and block sending and the contract until approved', async () => {
    const quote = await createQuote([{ bookId: books.novel.id, quantity: 10, discount: 7000 }]);
    const updated = await server.request<QuoteDetail>('PUT', `/api/quotes/${quote.id}`, { token: rep, body: linesBody([{ lineId: quote.lines[0]!.id, bookId: books.novel.id, quantity: 10, discount: 6000 }]) });
    expect(updated.body.lines[0]).toMatchObject({ isSpecialDiscount: true, floorDiscount: 6500 });
    expect(updated.body.blockedReason).toContain('特殊折扣');
    expect(updated.body.actions).toMatchObject({ send: false, submitApproval: true, createContract: false });

    const refused = await act(quote.id, 'send');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('特价审批');
    const actor = await loadActor(server.db, await server.userId('lina01'));
    if (!actor) throw new Error('lina01 is not an active user');
    await expect(getQuoteForContract(server.db, actor, quote.id, now)).rejects.toMatchObject({ code: 'quote_not_convertible' });

    const submitted = await act(quote.id, 'submit-approval');
    expect(submitted.body).toMatchObject({ status: 'pending_approval', specialDiscountApproval: 'pending' });
    expect(submitted.body.blockedReason).toContain('审批中');
    expect((await server.request('PUT', `/api/quotes/${quote.id}`, { token: rep, body: linesBody([]) })).status).toBe(409);

    await decideApproval(submitted.body.approvalId!, 'approve', manager);
    await decideApproval(submitted.body.approvalId!, 'approve', editor);
    const approved = await server.request<QuoteDetail>('GET', `/api/quotes/${quote.id}`, { token: rep });
    expect(approved.body).toMatchObject({ status: 'approved', specialDiscountApproval: 'approved', blockedReason: null });

    const sent = await act(quote.id, 'send');
    expect(sent.body).toMatchObject({ status: 'sent', sentAt: now.toISOString() });
    expect(await sumOpenQuoteAmount(server.db, customerId, '2030-03-15')).toBe(27_000);
    expect((await getQuoteForContract(server.db, actor, quote.id, now)).lines[0]).toMatchObject({ discount: 6000, isSpecialDiscount: true });
  });

  it('return the quote to draft when the approval is rejected, with the reason shown', async () => {
    const quote = await createQuote([{ bookId: books.workbook.id, quantity: 50, discount: 5000 }]);
    const submitted = await act(quote.id, 'submit-approval');
    await decideApproval(submitted.body.approvalId!, 'reject', manager);
    const rejected = await server.request<QuoteDetail>('GET', `/api/quotes/${quote.id}`, { token: rep });
    expect(rejected.body).toMatchObject({ status: 'draft', specialDiscountApproval: 'rejected' });
    expect(rejected.body.blockedReason).toContain('未通过');
  });
});

describe('versions', () => {
  it('revising a sent quote creates version 2 and keeps version 1 readable', async () => {
    const quote = await createQuote([{ bookId: books.novel.id, quantity: 5, discount: 7000 }]);
    await act(quote.id, 'send');
    const revised = await act(quote.id, 'revise');
    expect(revised.body).toMatchObject({ number: quote.number, version: 2, status: 'draft' });
    expect(revised.body.versions.map((version) => [version.version, version.status])).toEqual([
      [2, 'draft'],
      [1, 'superseded'],
    ]);
    const old = await server.request<QuoteDetail>('GET', `/api/quotes/${quote.id}`, { token: rep });
    expect(old.body).toMatchObject({ status: 'superseded', actions: { edit: false, send: false } });

    const list = await server.request<{ items: { id: number }[] }>('GET', `/api/quotes?customerId=${customerId}&limit=100`, { token: rep });
    expect(list.body.items.map((item) => item.id)).toContain(revised.body.id);
    expect(list.body.items.map((item) => item.id)).not.toContain(quote.id);
  });

  it('keeps the list price copied when the line was added after the catalog price changes', async () => {
    const quote = await createQuote([{ bookId: books.picture.id, quantity: 2, discount: 7000 }]);
    await server.request('PATCH', `/api/books/${books.picture.id}`, { token: editor, body: { listPriceFen: 3600 } });
    const updated = await server.request<QuoteDetail>('PUT', `/api/quotes/${quote.id}`, {
      token: rep,
      body: linesBody([
        { lineId: quote.lines[0]!.id, bookId: books.picture.id, quantity: 2, discount: 7000 },
        { bookId: books.picture.id, quantity: 1, discount: 7000 },
      ]),
    });
    expect(updated.body.lines.map((line) => line.listPriceFen)).toEqual([3333, 3600]);
  });
});

describe('GET /api/quotes/:id/export', () => {
  it('produces a sheet with the publisher, customer, validity, the lines and the totals', async () => {
    const quote = await createQuote([
      { bookId: books.workbook.id, quantity: 100, discount: 6000 },
      { bookId: books.novel.id, quantity: 3, discount: 7000 },
    ]);
    const response = await fetch(`${server.url}/api/quotes/${quote.id}/export`, { headers: { authorization: `Bearer ${rep}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('报价单')!;
    expect(sheet.getCell('A1').value).toBe('江南文艺出版社 图书报价单');
    expect(sheet.getCell('G3').value).toBe('2030-04-15');
    expect(sheet.getRow(7).values).toEqual([undefined, '序号', 'ISBN', '书名', '丛书', '定价（元）', '数量（册）', '折扣', '码洋（元）', '实洋（元）']);
    expect(sheet.getRow(8).values).toEqual([undefined, 1, '9787539912349', '小学数学同步练习 三年级上', '同步练习', 28, 100, 0.6, 2800, 1680]);
    expect(sheet.getRow(10).getCell(9).value).toBe(1774.5);
  });
});

describe('another team', () => {
  it('neither sees, exports, edits nor quotes for the rep’s customer', async () => {
    const quote = await createQuote([{ bookId: books.novel.id, quantity: 1, discount: 7000 }]);
    expect((await server.request('GET', `/api/quotes/${quote.id}`, { token: otherRep })).status).toBe(404);
    expect((await fetch(`${server.url}/api/quotes/${quote.id}/export`, { headers: { authorization: `Bearer ${otherRep}` } })).status).toBe(404);
    expect((await server.request('PUT', `/api/quotes/${quote.id}`, { token: otherRep, body: linesBody([]) })).status).toBe(404);
    expect((await act(quote.id, 'send', otherRep)).status).toBe(404);
    expect((await server.request('POST', '/api/quotes', { token: otherRep, body: { customerId, ...linesBody([]) } })).status).toBe(404);
    expect((await server.request('POST', '/api/quotes/line-defaults', { token: otherRep, body: { customerId, bookIds: [books.novel.id] } })).status).toBe(404);
    const list = await server.request<{ items: unknown[]; total: number }>('GET', '/api/quotes?versions=all', { token: otherRep });
    expect(list.body.total).toBe(0);
  });
});
