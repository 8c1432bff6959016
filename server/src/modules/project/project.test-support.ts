import ExcelJS from 'exceljs';
import { bookInputSchema } from '@shared/api/book.js';
import { createCustomerRequestSchema } from '@shared/api/customer.js';
import type { Actor } from '../../access/actor.js';
import type { TestServer } from '../../test-support/test-server.js';
import { createBook } from '../book/book.service.js';
import { createCustomer } from '../customer/customer-profile.service.js';
import { loadActor } from '../org/org.service.js';

/** Test data for project tests, written through the owning modules' services. */

export async function actorOf(server: TestServer, platformUserId: string): Promise<Actor> {
  const actor = await loadActor(server.db, await server.userId(platformUserId));
  if (!actor) throw new Error(`demo user ${platformUserId} is not synced`);
  return actor;
}

/** Creates a library or school owned by the given rep; libraries and schools need no credit code. */
export async function createOwnedCustomer(server: TestServer, platformUserId: string, name: string, type: 'library' | 'school' = 'library'): Promise<number> {
  const actor = await actorOf(server, platformUserId);
  const input = createCustomerRequestSchema.parse({ name, type, regionCode: '320102' });
  const customer = await createCustomer(server.db, actor, input, new Date());
  return customer.id;
}

export async function createCatalogBook(server: TestServer, isbn: string, title: string, listPriceFen: number): Promise<number> {
  const actor = await actorOf(server, 'songwenbo01');
  const book = await createBook(server.db, actor, bookInputSchema.parse({ isbn, title, category: 'general', listPriceFen }), new Date());
  return book.id;
}

/** Builds an .xlsx file with a heading row and data rows, as a library would send it. */
export async function workbookOf(headings: string[], rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(headings);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Posts a file as multipart form data, the way the H5 uploads it. */
export async function uploadFile(server: TestServer, token: string, urlPath: string, file: { name: string; content: Buffer }, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(file.content)]), file.name);
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const response = await fetch(`${server.url}${urlPath}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/**
 * Creates the 南师附中 autumn-term subscription owned by 吴海燕 (wuhaiyan01) with 郑凯 (zhengkai01) as member,
 * ordering open until 2026-08-25, and one catalog title (9787040247657). Returns the project id.
 */
export async function createSubscriptionProject(server: TestServer, ownerToken: string): Promise<number> {
  await createCatalogBook(server, '9787040247657', '08中国改革跟踪报告', 2900);
  const schoolId = await createOwnedCustomer(server, 'wuhaiyan01', '南京师范大学附属中学', 'school');
  const created = await server.request<{ id: number }>('POST', '/api/projects', {
    token: ownerToken,
    body: {
      kind: 'textbook_subscription',
      name: '南师附中2026秋季教材征订',
      members: [{ userId: await server.userId('zhengkai01'), role: 'sales' }],
      subscription: { schoolCustomerId: schoolId, term: '2026-autumn', catalogSentDate: '2026-06-10', orderDeadline: '2026-08-25', termStartDate: '2026-09-01' },
    },
  });
  if (created.status !== 201) throw new Error(`subscription project not created: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}
