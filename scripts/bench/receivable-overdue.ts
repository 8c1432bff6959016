import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { localDate } from '../../server/src/lib/clock.js';
import { createLogger } from '../../server/src/logger.js';
import { runOverdueScan } from '../../server/src/modules/receivable/overdue-scan.js';
import { generateReceivableDataset, markNotifiedAsOfYesterday, median, openBenchDatabase, prepareReusedDataset } from './receivable-bench-kit.js';

/**
 * `npx tsx scripts/bench/receivable-overdue.ts [--dir data/bench-receivables] [--regenerate | --migrate] [--backlog]`
 *
 * The overdue scan over 1,000,000 payment plans (1,000 reps × 40 customers × 25 monthly installments).
 * 1. The daily run: every plan already notified up to yesterday, so today's scan queues the notices of
 *    the plans that crossed a threshold today. Target: under 2 s.
 * 2. With --backlog, the first run ever: no plan notified yet, so it queues the highest tier's notices
 *    of every overdue plan at once (reported, no target).
 * An existing dataset in --dir is reused unless --regenerate is given; --migrate first applies pending
 * migrations to it, which a dataset made before the current receivable indexes needs.
 */
const { values } = parseArgs({ options: { dir: { type: 'string' }, regenerate: { type: 'boolean', default: false }, migrate: { type: 'boolean', default: false }, backlog: { type: 'boolean', default: false } } });
const dir = path.resolve(values.dir ?? 'data/bench-receivables');
const file = path.join(dir, 'app.sqlite');
const log = (line: string) => console.log(line);

let asOfDate: string;
if (!values.regenerate && fs.existsSync(file)) {
  asOfDate = localDate(new Date(), 'Asia/Shanghai');
  log(`reusing ${file} (--regenerate makes a new one)`);
  await prepareReusedDataset(file, values.migrate, log);
} else {
  const started = Date.now();
  log(`generating 1,000,000 plans into ${dir}`);
  const dataset = await generateReceivableDataset({ dir, teams: 20, teamSize: 50, customersPerRep: 40, installmentsPerContract: 25, log });
  asOfDate = dataset.asOfDate;
  log(`dataset ready: ${dataset.plans} plans, ${dataset.customers} customers, ${dataset.reps} reps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const reader = new SQLite(file, { readonly: true });
const counts = reader.prepare(`select count(*) as plans, sum(status in ('open', 'partial')) as unpaid, sum(status in ('open', 'partial') and due_date < ?) as overdue from payment_plan`).get(asOfDate) as Record<string, number>;
const plan = reader.prepare(`explain query plan select id from payment_plan where status in ('open', 'partial') and overdue_notified_days = ? and due_date <= ? order by due_date, id limit 500`).all(7, asOfDate) as { detail: string }[];
reader.close();
log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`);
log(`data: ${counts.plans} plans, ${counts.unpaid} unpaid, ${counts.overdue} overdue on ${asOfDate}`);
log(`candidate query plan: ${plan.map((row) => row.detail).join(' | ')}`);

const logger = createLogger('silent');
const at = new Date(`${asOfDate}T01:00:00Z`); // 09:00 in Shanghai

async function scan(label: string): Promise<number> {
  const db = openBenchDatabase(file);
  try {
    const result = await runOverdueScan({ db, logger, at, timeZone: 'Asia/Shanghai', publicUrl: 'https://crm.example.com' });
    log(`${label}: ${result.durationMs} ms — ${result.plansNotified} plans notified, ${result.noticesQueued} notices, ${result.summariesQueued} summaries`);
    const again = await runOverdueScan({ db, logger, at, timeZone: 'Asia/Shanghai', publicUrl: 'https://crm.example.com' });
    log(`${label}, run again the same day: ${again.durationMs} ms — ${again.noticesQueued} notices`);
    return result.durationMs;
  } finally {
    await db.destroy();
  }
}

// Three daily runs, each from yesterday's state, so one cold start does not decide the figure.
const daily: number[] = [];
for (let run = 1; run <= 3; run += 1) {
  markNotifiedAsOfYesterday(file, asOfDate);
  daily.push(await scan(`daily run ${run} (target < 2000 ms)`));
}
log(`daily run median: ${median(daily)} ms`);

if (values.backlog) {
  const sqlite = new SQLite(file);
  sqlite.exec("update payment_plan set overdue_notified_days = 0; delete from outbox where dedup_key like 'overdue%'; delete from overdue_overflow");
  sqlite.close();
  await scan('first run with the whole backlog');
}
