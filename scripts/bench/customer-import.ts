import path from 'node:path';
import { tmpdir } from 'node:os';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { openDatabase } from '../../server/src/db/database.js';
import { createLogger } from '../../server/src/logger.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { importColumns, importSheetName } from '../../server/src/modules/customer/customer-import.columns.js';
import { commitImport, getImport, startImport } from '../../server/src/modules/customer/customer-import.service.js';
import { makeCreditCode } from '../../server/src/modules/customer/customer.test-support.js';
import { generateCustomerDataset } from './customer-dataset.js';

/**
 * `npx tsx scripts/bench/customer-import.ts [--rows 10000]`: times the Excel import of 10,000 customers
 * with one contact each (target: under 10 s from upload to committed), in-process on a fresh database
 * that already contains the demo org and 20,000 customers to check duplicates against.
 */
const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' } } });
const rows = Number(values.rows);
const dir = fs.mkdtempSync(path.join(tmpdir(), 'crm-bench-import-'));
const log = (line: string) => console.log(line);

try {
  await generateCustomerDataset({ dir, customers: 20_000, contactsPerCustomer: 1, reps: 40, log: () => undefined });
  const { db } = openDatabase(path.join(dir, 'app.sqlite'));
  const user = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', 'wanglei01').executeTakeFirstOrThrow();
  const actor = (await loadActor(db, user.id))!;

  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(importSheetName);
  sheet.columns = importColumns.map((column) => ({ header: column.heading, key: column.key }));
  const counties = [['江苏省', '南京市', '鼓楼区'], ['浙江省', '杭州市', '西湖区'], ['四川省', '成都市', '武侯区'], ['北京市', '', '海淀区']];
  for (let index = 0; index < rows; index += 1) {
    const [province, city, county] = counties[index % counties.length]!;
    sheet.addRow({ name: `导入测试书店${index + 1}号`, type: '民营书店', creditCode: makeCreditCode(700_000_000 + index), province, city, county, contactName: '王经理', contactMobile: `186${String(10_000_000 + index).padStart(8, '0')}`, tags: '导入,测试' });
  }
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  log(`workbook: ${rows} rows, ${(buffer.length / 1024).toFixed(0)} KiB`);

  const context = { db, logger: createLogger('silent'), now: () => new Date() };
  const started = performance.now();
  let job = await startImport(context, actor, { buffer, fileName: 'bench.xlsx' });
  const parsedAt = performance.now();
  while (job.status === 'validating') {
    await new Promise((resolve) => setTimeout(resolve, 20));
    job = await getImport(db, actor, job.id, new Date());
  }
  const validatedAt = performance.now();
  if (job.errors.length > 0) log(`first row errors: ${JSON.stringify(job.errors.slice(0, 3))}`);
  job = await commitImport(context, actor, job.id);
  const committedAt = performance.now();

  log(`status ${job.status}: ${job.importedCustomers} customers, ${job.importedContacts} contacts, ${job.badRows} bad rows`);
  log(`read workbook ${(parsedAt - started).toFixed(0)} ms · dry run ${(validatedAt - parsedAt).toFixed(0)} ms · commit ${(committedAt - validatedAt).toFixed(0)} ms · total ${(committedAt - started).toFixed(0)} ms (target < 10000 ms)`);
  await db.destroy();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
