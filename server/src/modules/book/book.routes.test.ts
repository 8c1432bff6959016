import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Book, BookImportReport, BookPage } from '@shared/api/book.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let server: TestServer;
let editor: string;
let rep: string;

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.login('songwenbo01');
  rep = await server.login('zhangwei01');
});

afterAll(async () => {
  await server.close();
});

async function createBook(body: Record<string, unknown>): Promise<Book> {
  const response = await server.request<Book>('POST', '/api/books', { token: editor, body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

async function upload(rows: unknown[][], dryRun: boolean, token = editor) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('书目');
  for (const row of rows) sheet.addRow(row);
  const form = new FormData();
  form.set('file', new Blob([await workbook.xlsx.writeBuffer()]), 'books.xlsx');
  const response = await fetch(`${server.url}/api/books/import?dryRun=${dryRun}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: (await response.json()) as BookImportReport & { error?: { code: string; message: string } } };
}

describe('POST /api/books', () => {
  it('stores an ISBN-10 as ISBN-13 with its pinyin keys', async () => {
    const book = await createBook({ isbn: '7-5037-1744-0', title: '中国发展报告', category: 'academic', listPriceFen: 6800, series: '国情丛书' });
    expect(book).toMatchObject({ isbn: '9787503717444', status: 'on_sale', listPriceFen: 6800 });
    const row = await server.db.selectFrom('book').select(['title_initials', 'title_pinyin']).where('id', '=', book.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ title_initials: 'zgfzbg', title_pinyin: 'zhongguofazhanbaogao' });
  });

  it('refuses a second title with the same ISBN and names the existing one', async () => {
    const response = await server.request<{ error: { code: string; message: string } }>('POST', '/api/books', { token: editor, body: { isbn: '9787503717444', title: '重复', category: 'other', listPriceFen: 100 } });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('book_isbn_exists');
    expect(response.body.error.message).toContain('中国发展报告');
  });

  it('refuses a rep, who may read but not maintain the catalog', async () => {
    const response = await server.request('POST', '/api/books', { token: rep, body: { isbn: '9787040247657', title: '改革报告', category: 'academic', listPriceFen: 2900 } });
    expect(response.status).toBe(403);
  });

  it('refuses an ISBN with a wrong check digit, naming the field', async () => {
    const response = await server.request<{ error: { code: string; details: { field: string }[] } }>('POST', '/api/books', { token: editor, body: { isbn: '9787503717445', title: '错', category: 'other', listPriceFen: 100 } });
    expect(response.status).toBe(400);
    expect(response.body.error.details[0]?.field).toBe('isbn');
  });
});

describe('GET /api/books', () => {
  beforeAll(async () => {
    await createBook({ isbn: '9787563917358', title: '2006中国随笔排行榜', category: 'general', listPriceFen: 3200, series: '排行榜书系' });
    await createBook({ isbn: '9787221029683', title: '中国备忘', category: 'general', listPriceFen: 770 });
  });

  it('finds a title by the initials of its pinyin', async () => {
    const response = await server.request<BookPage>('GET', '/api/books?q=zgbw', { token: rep });
    expect(response.body.items.map((book) => book.title)).toEqual(['中国备忘']);
  });

  it('finds a title by full pinyin, by words of the title and by series', async () => {
    const byPinyin = await server.request<BookPage>('GET', '/api/books?q=suibi', { token: rep });
    const byTitle = await server.request<BookPage>('GET', `/api/books?q=${encodeURIComponent('随笔')}`, { token: rep });
    const bySeries = await server.request<BookPage>('GET', `/api/books?q=${encodeURIComponent('排行榜书系')}`, { token: rep });
    for (const response of [byPinyin, byTitle, bySeries]) expect(response.body.items.map((book) => book.isbn)).toEqual(['9787563917358']);
  });

  it('finds a title by a hyphenated ISBN-10', async () => {
    const response = await server.request<BookPage>('GET', '/api/books?q=7-221-02968-7', { token: rep });
    expect(response.body).toMatchObject({ total: 1, items: [{ isbn: '9787221029683' }] });
  });

  it('lists titles starting with the search term before those containing it', async () => {
    const response = await server.request<BookPage>('GET', `/api/books?q=${encodeURIComponent('中国')}`, { token: rep });
    expect(response.body.items.slice(0, 2).map((book) => book.title)).toEqual(expect.arrayContaining(['中国备忘', '中国发展报告']));
    expect(response.body.items.at(-1)?.title).toBe('2006中国随笔排行榜');
  });
});

describe('GET /api/books/by-isbn/:isbn', () => {
  it('tells a scanned ISBN missing from the catalog apart from a malformed one', async () => {
    const missing = await server.request<{ error: { code: string; message: string } }>('GET', '/api/books/by-isbn/9787115145543', { token: rep });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'book_not_found' });
    expect(missing.body.error.message).toContain('9787115145543');

    const malformed = await server.request<{ error: { code: string } }>('GET', '/api/books/by-isbn/97871151455', { token: rep });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_isbn');
  });
});

describe('PATCH /api/books/:id', () => {
  it('changes the price without blanking other fields and writes the change to the audit log', async () => {
    const book = await createBook({ isbn: '9787542605856', title: '中国犹太学研究总汇', category: 'academic', listPriceFen: 1150, author: '某某', series: '学术文库' });
    const response = await server.request<Book>('PATCH', `/api/books/${book.id}`, { token: editor, body: { listPriceFen: 1280 } });
    expect(response.body).toMatchObject({ listPriceFen: 1280, author: '某某', series: '学术文库' });
    const audit = await server.db.selectFrom('audit_log').select('data').where('action', '=', 'book.price_change').where('entity_id', '=', String(book.id)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.data)).toMatchObject({ from: 1150, to: 1280 });
  });
});

describe('POST /api/books/import', () => {
  const header = ['ISBN', '书名', '作者', '丛书', '分类', '定价（元）', '出版日期', '状态', '可供库存'];

  it('reports each bad row with row, column and reason in a dry run and writes nothing', async () => {
    const before = await server.db.selectFrom('book').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const report = await upload(
      [
        header,
        ['978-7-04-004196-4', '坏校验位', '', '', '教材', '10', '', '', ''],
        ['9787118019841', '无定价', '', '', '学术', '', '', '', ''],
        ['7-04-004196-0', '高等数学', '同济', '', '教材', '45.5', '2023-08', '在售', '300'],
        ['9787040041965', '高等数学（重复）', '', '', '教材', '45.5', '', '', ''],
        ['9787115145543', '示例', '', '', '小说', '30', '', '', ''],
      ],
      true,
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ dryRun: true, totalRows: 5, created: 1, updated: 0 });
    expect(report.body.issues.map((issue) => [issue.row, issue.column])).toEqual([
      [2, 'ISBN'],
      [3, '定价'],
      [5, 'ISBN'],
      [6, '分类'],
    ]);
    expect(report.body.issues[3]?.message).toContain('教材、教辅、大众、少儿、学术、其他');
    const after = await server.db.selectFrom('book').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('imports the good rows, and a re-import updates price and stock without duplicating', async () => {
    const first = await upload([header, ['9787118019841', '现代兵器', '', '兵器丛书', '学术', '38.00', '1998-05-01', '', '50']], false);
    expect(first.body).toMatchObject({ created: 1, updated: 0, issues: [] });

    const second = await upload([['ISBN', '定价', '可供库存'], ['7-118-01984-4', '42', '0']], false);
    expect(second.body).toMatchObject({ created: 0, updated: 1, issues: [] });

    const rows = await server.db.selectFrom('book').selectAll().where('isbn', '=', '9787118019841').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ list_price_fen: 4200, stock_quantity: 0, series: '兵器丛书', title: '现代兵器' });
  });

  it('refuses formulas with a message that says how to fix them', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('书目');
    sheet.addRow(header);
    sheet.addRow(['9787115145543', '公式书', '', '', '其他', { formula: '10*2', result: 20 }, '', '', '']);
    const form = new FormData();
    form.set('file', new Blob([await workbook.xlsx.writeBuffer()]), 'f.xlsx');
    const response = await fetch(`${server.url}/api/books/import?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${editor}` }, body: form });
    const body = (await response.json()) as BookImportReport;
    expect(body.issues.some((issue) => issue.column === '定价（元）' && issue.message.includes('公式'))).toBe(true);
  });

  it('answers a file that is not a spreadsheet with a clear 400', async () => {
    const form = new FormData();
    form.set('file', new Blob(['isbn,title\n1,2']), 'books.csv');
    const response = await fetch(`${server.url}/api/books/import?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${editor}` }, body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('import_file_unreadable');
  });

  it('refuses a rep', async () => {
    const report = await upload([header], true, rep);
    expect(report.status).toBe(403);
  });

  it('serves a template whose headings the import accepts', async () => {
    const response = await fetch(`${server.url}/api/books/import-template`, { headers: { authorization: `Bearer ${rep}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    expect(workbook.getWorksheet('书目')?.getRow(1).getCell(1).value).toBe('ISBN');
  });
});
