import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import type { DataScope } from '../../server/src/access/scope.js';
import { localDate } from '../../server/src/lib/clock.js';
import { agingTotals, agingTotalsByOwner } from '../../server/src/modules/receivable/payment-plan.service.js';
import { generateReceivableDataset, median, openBenchDatabase, prepareReusedDataset, timeIt } from './receivable-bench-kit.js';

/**
 * `npx tsx scripts/bench/receivable-aging.ts [--dir data/bench-receivables] [--regenerate | --migrate]`
 *
 * Aging totals for an organisation of 1,000 reps (40,000 customers, 1,000,000 plans, the overdue
 * benchmark's dataset, reused when present): the general manager's view of everything, a manager whose
 * scope lists all 1,000 reps, one 50-rep team, and the per-rep breakdown of the whole organisation.
 * Target: under 200 ms each. A reused dataset must carry the current receivable migrations: --migrate
 * applies pending ones to it first (writing to the dataset), --regenerate builds a new one.
 */
const { values } = parseArgs({ options: { dir: { type: 'string' }, regenerate: { type: 'boolean', default: false }, migrate: { type: 'boolean', default: false } } });
const dir = path.resolve(values.dir ?? 'data/bench-receivables');
const file = path.join(dir, 'app.sqlite');
const log = (line: string) => console.log(line);

if (values.regenerate || !fs.existsSync(file)) {
  log(`generating 1,000,000 plans into ${dir}`);
  await generateReceivableDataset({ dir, teams: 20, teamSize: 50, customersPerRep: 40, installmentsPerContract: 25, log });
} else {
  await prepareReusedDataset(file, values.migrate, log);
}

const reader = new SQLite(file, { readonly: true });
const reps = (reader.prepare("select id from app_user where platform_user_id like 'bench-rep-%'").all() as { id: number }[]).map((row) => row.id);
const team = reps.slice(0, 50);
const counts = reader.prepare(`select count(*) as plans, sum(status in ('open', 'partial')) as unpaid from payment_plan`).get() as Record<string, number>;
reader.close();
log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; ${counts.plans} plans (${counts.unpaid} unpaid), ${reps.length} reps`);

const db = openBenchDatabase(file);
const asOfDate = localDate(new Date(), 'Asia/Shanghai');

async function measure(label: string, work: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let run = 0; run < 10; run += 1) times.push((await timeIt(work)).ms);
  log(`${label}: median ${median(times).toFixed(1)} ms over 10 runs (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)})`);
}

const all: DataScope = { kind: 'all' };
const everyRep: DataScope = { kind: 'users', userIds: reps };
const oneTeam: DataScope = { kind: 'users', userIds: team };
await measure('aging totals, all (general manager, finance)', () => agingTotals(db, all, asOfDate));
await measure('aging totals, scope of 1,000 reps (target < 200 ms)', () => agingTotals(db, everyRep, asOfDate));
await measure('aging totals, one 50-rep team', () => agingTotals(db, oneTeam, asOfDate));
await measure('aging by rep, whole organisation (1,000 rows)', () => agingTotalsByOwner(db, all, asOfDate));
await measure('aging by rep, one 50-rep team', () => agingTotalsByOwner(db, oneTeam, asOfDate));
await db.destroy();
