import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Actor } from '../../server/src/access/actor.js';
import { addDays } from '../../server/src/lib/clock.js';
import { findReceivableCustomer } from '../../server/src/modules/receivable/receivable-scope.js';
import { buildStatementWorkbook } from '../../server/src/modules/receivable/statement-export.js';
import { computeStatementFigures, loadStatementView, sendStatement } from '../../server/src/modules/receivable/statement.service.js';
import { listEntriesForMonth } from '../../server/src/modules/receivable/ledger.repository.js';
import { generateReceivableDataset, median, openBenchDatabase, timeIt } from './receivable-bench-kit.js';

/**
 * `npx tsx scripts/bench/receivable-statement.ts [--dir data/bench-statement] [--lines 50000]`
 *
 * A monthly statement for one customer with 50,000 ledger lines in the month (and 100,000 in the months
 * before, which the opening balance sums). Target: the statement (figures plus the first page of lines,
 * as the API returns it) under 300 ms. Also timed: all lines with running balances (what the export
 * reads), sending (freezing the lines), the frozen statement, and the Excel export.
 */
const { values } = parseArgs({ options: { dir: { type: 'string' }, lines: { type: 'string', default: '50000' } } });
const dir = path.resolve(values.dir ?? 'data/bench-statement');
const lines = Number(values.lines);
const log = (line: string) => console.log(line);

const dataset = await generateReceivableDataset({ dir, teams: 1, teamSize: 2, customersPerRep: 1, installmentsPerContract: 12, log });
const month = addDays(`${dataset.asOfDate.slice(0, 7)}-01`, -1).slice(0, 7);

const sqlite = new SQLite(dataset.file);
const customerId = (sqlite.prepare('select id from customer order by id limit 1').get() as { id: number }).id;
const finance = sqlite.prepare("select id from app_user where platform_user_id = 'bench-finance-1'").get() as { id: number };
const insert = sqlite.prepare(`insert into receivable_entry (customer_id, kind, source_id, document_number, entry_date, posting_month, amount_fen, list_amount_fen, description, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const kinds = ['shipment', 'shipment', 'shipment', 'return', 'receipt'] as const;
sqlite.transaction(() => {
  let source = 0;
  const write = (count: number, monthOf: (index: number) => string) => {
    for (let index = 0; index < count; index += 1) {
      source += 1;
      const kind = kinds[index % kinds.length]!;
      const entryMonth = monthOf(index);
      const day = String(1 + (index % 28)).padStart(2, '0');
      const amount = 1000 + ((index * 7919) % 500_000);
      const signed = kind === 'shipment' ? amount : -amount;
      insert.run(customerId, kind, source, `DOC${source}`, `${entryMonth}-${day}`, entryMonth, signed, kind === 'receipt' ? null : signed * 2, '基准单据', new Date().toISOString());
    }
  };
  write(100_000, (index) => addDays(`${month}-01`, -30 * (1 + (index % 12))).slice(0, 7));
  write(lines, () => month);
})();
sqlite.exec('analyze');
sqlite.close();

const db = openBenchDatabase(dataset.file);
const customer = (await findReceivableCustomer(db, customerId))!;
const actor: Actor = { id: finance.id, platform: 'dingtalk', platformUserId: 'bench-finance-1', name: '财务1', roles: ['finance'], departmentIds: [], leaderOfDepartmentIds: [] };
log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; ${lines} lines in ${month}, 100000 before`);

async function measure(label: string, runs: number, work: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) times.push((await timeIt(work)).ms);
  log(`${label}: median ${median(times).toFixed(1)} ms over ${runs} runs (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
}

await measure('draft statement: figures + first 100 lines (target < 300 ms)', 10, () => loadStatementView(db, customer, month, { limit: 100, offset: 0 }));
await measure('draft statement: last page (offset 49,900)', 10, () => loadStatementView(db, customer, month, { limit: 100, offset: lines - 100 }));
await measure('draft figures only', 10, () => computeStatementFigures(db, customerId, month));
await measure('all lines of the month with running balance', 5, async () => {
  const entries = await listEntriesForMonth(db, customerId, month);
  let balance = 0;
  for (const entry of entries) balance += entry.amount_fen;
  return balance;
});
const sent = await timeIt(() => sendStatement(db, actor, { customerId, month }, { now: new Date(), today: dataset.asOfDate, publicUrl: 'https://crm.example.com' }));
log(`send (freeze ${lines} lines): ${sent.ms.toFixed(1)} ms`);
await measure('frozen statement: figures + first 100 lines (target < 300 ms)', 10, () => loadStatementView(db, customer, month, { limit: 100, offset: 0 }));
await measure('Excel export of the frozen statement', 2, () => buildStatementWorkbook(db, customer, month));
await db.destroy();
