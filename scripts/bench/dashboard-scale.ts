import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { kpiQuerySchema, kpiTableQuerySchema } from '../../shared/src/api/kpi.js';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { localDate } from '../../server/src/lib/clock.js';
import { getDashboard } from '../../server/src/modules/kpi/kpi.service.js';
import { getKpiTable } from '../../server/src/modules/kpi/kpi.table.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { getWorkbench } from '../../server/src/modules/workbench/workbench.service.js';
import { generateDashboardData, issueVolumes, type GeneratedOrg } from './dashboard-kit.js';

/**
 * `npx tsx scripts/bench/dashboard-scale.ts [--fresh] [--data-dir <folder>]` times the dashboard, the KPI
 * table and the workbench in-process (service calls on the real queries, no HTTP), 3 warm-up and 20
 * measured runs each, against a 1,000-rep organisation with one year of records: 2,000,000 visits,
 * 200,000 contracts, 1,000,000 payment plans, 200,000 opportunities, receipts, shipments, returns and
 * targets. The target is a dashboard under 300 ms.
 *
 * Building the data takes minutes, so it is kept in data/bench-dashboard and reused: migrations added
 * since it was built are applied to it (the KPI rollup backfill among them), and `--fresh` rebuilds it.
 */

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } } });
const folder = path.resolve(values['data-dir'] ?? path.join(repositoryRoot, 'data', 'bench-dashboard'));
const file = path.join(folder, 'app.sqlite');
const markerFile = path.join(folder, 'dataset.json');
const asOfDate = '2026-06-15';
const now = new Date(`${asOfDate}T04:00:00Z`);
const timeZone = 'Asia/Shanghai';
const log = (line: string) => console.log(line);

const migrations = fs
  .readdirSync(path.join(repositoryRoot, 'server/src/db/migrations'))
  .filter((name) => /^\d{4}_[a-z0-9_]+\.ts$/.test(name))
  .sort();
const marker = fs.existsSync(markerFile) ? (JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { migrations: string[]; asOfDate: string }) : null;
// A dataset made before new migrations were added is migrated forward, as a deployment would be, instead
// of being rebuilt. A dataset made with a migration that no longer exists is rebuilt.
const reuse = !values.fresh && fs.existsSync(file) && marker !== null && marker.asOfDate === asOfDate && marker.migrations.every((name) => migrations.includes(name));
const pending = reuse ? migrations.filter((name) => !marker!.migrations.includes(name)) : [];

const started = Date.now();
if (!reuse) fs.rmSync(folder, { recursive: true, force: true });
fs.mkdirSync(folder, { recursive: true });
const { db, sqlite } = openDatabase(file);
const logger = pino({ level: 'silent' });
let org: GeneratedOrg;
if (reuse) {
  if (pending.length > 0) {
    const migrationStarted = Date.now();
    await migrateToLatest(db, logger);
    fs.writeFileSync(markerFile, JSON.stringify({ migrations, asOfDate }, null, 2));
    log(`applied ${pending.join(', ')} to the kept dataset in ${((Date.now() - migrationStarted) / 1000).toFixed(1)} s`);
  }
  org = reusedOrg();
} else {
  await migrateToLatest(db, logger);
  org = generateDashboardData(sqlite, issueVolumes, asOfDate, log);
  fs.writeFileSync(markerFile, JSON.stringify({ migrations, asOfDate }, null, 2));
}
log(`dataset ${reuse ? 'reused' : 'built'} in ${((Date.now() - started) / 1000).toFixed(1)} s, ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MiB (${file})`);

/** Finds the executive, the first team leader and a rep of that team, as generateDashboardData numbers them. */
function reusedOrg(): GeneratedOrg {
  const leader = sqlite.prepare(`select user_id, department_id from user_department where is_leader = 1 and user_id <> 1 order by user_id limit 1`).get() as { user_id: number; department_id: number };
  return { executiveId: 1, manager: { id: leader.user_id, departmentId: leader.department_id }, rep: { id: leader.user_id + 1 } };
}

const executive = (await loadActor(db, org.executiveId))!;
const manager = (await loadActor(db, org.manager.id))!;
const rep = (await loadActor(db, org.rep.id))!;
const moment = { now, today: localDate(now, timeZone), timeZone };

async function measure(label: string, run: () => Promise<unknown>): Promise<void> {
  for (let warm = 0; warm < 3; warm += 1) await run();
  const timings: number[] = [];
  for (let index = 0; index < 20; index += 1) {
    const begin = performance.now();
    await run();
    timings.push(performance.now() - begin);
  }
  timings.sort((a, b) => a - b);
  const at = (share: number) => timings[Math.min(timings.length - 1, Math.ceil(share * timings.length) - 1)]!.toFixed(1);
  log(`${label.padEnd(58)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms   max ${timings.at(-1)!.toFixed(1).padStart(7)} ms`);
}

log(`\nmachine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; as of ${asOfDate}`);
await measure('dashboard, executive, whole organisation, this month', () => getDashboard(db, executive, kpiQuerySchema.parse({}), moment));
await measure('dashboard, executive, whole organisation, this year', () => getDashboard(db, executive, kpiQuerySchema.parse({ preset: 'this_year' }), moment));
await measure('dashboard, executive, whole organisation, last 12 months', () => getDashboard(db, executive, kpiQuerySchema.parse({ from: '2025-06-16', to: asOfDate }), moment));
await measure('dashboard, team leader (12 reps), this month', () => getDashboard(db, manager, kpiQuerySchema.parse({}), moment));
await measure('dashboard, rep, this month', () => getDashboard(db, rep, kpiQuerySchema.parse({}), moment));
await measure('KPI table by team, executive, this month', () => getKpiTable(db, executive, kpiTableQuerySchema.parse({ groupBy: 'team' }), moment));
await measure('KPI table by rep, executive, this year', () => getKpiTable(db, executive, kpiTableQuerySchema.parse({ preset: 'this_year' }), moment));
await measure('workbench, rep', () => getWorkbench({ db, logger, now, timeZone }, rep));

await db.destroy();
