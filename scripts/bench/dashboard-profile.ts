import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import { kpiQuerySchema, kpiTableQuerySchema } from '../../shared/src/api/kpi.js';
import type { Database } from '../../server/src/db/schema.js';
import { localDate } from '../../server/src/lib/clock.js';
import { getDashboard } from '../../server/src/modules/kpi/kpi.service.js';
import { getKpiTable } from '../../server/src/modules/kpi/kpi.table.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';

/**
 * `npx tsx scripts/bench/dashboard-profile.ts [--file <sqlite>] [--user <id>] [--today YYYY-MM-DD]` opens a
 * dataset read-only, runs the dashboard and the KPI table a few times, and prints the slowest SQL
 * statements of the last run, to find which queries dominate. The first runs warm the page cache, so
 * read the median with several runs.
 */
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    file: { type: 'string', default: path.join(repositoryRoot, 'data', 'bench-dashboard', 'app.sqlite') },
    user: { type: 'string', default: '1' },
    today: { type: 'string', default: '2026-06-15' },
    preset: { type: 'string', default: 'this_year' },
    runs: { type: 'string', default: '3' },
  },
});
const sqlite = new SQLite(values.file, { readonly: true, fileMustExist: true });
let statements: { sql: string; ms: number }[] = [];
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: sqlite }),
  log: (event: LogEvent) => {
    statements.push({ sql: event.query.sql, ms: event.queryDurationMillis });
  },
});
const now = new Date(`${values.today}T04:00:00Z`);
const moment = { now, today: localDate(now, 'Asia/Shanghai'), timeZone: 'Asia/Shanghai' };
const actor = (await loadActor(db, Number(values.user)))!;

async function profile(label: string, run: () => Promise<unknown>): Promise<void> {
  const totals: number[] = [];
  for (let index = 0; index < Number(values.runs); index += 1) {
    statements = [];
    const begin = performance.now();
    await run();
    totals.push(performance.now() - begin);
  }
  const sqlMs = statements.reduce((sum, item) => sum + item.ms, 0);
  const sorted = [...totals].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  console.log(`\n${label}: last run ${totals.at(-1)!.toFixed(1)} ms (median of ${totals.length} runs ${median.toFixed(1)} ms), ${statements.length} statements, ${sqlMs.toFixed(1)} ms in SQL`);
  for (const item of [...statements].sort((a, b) => b.ms - a.ms).slice(0, 12)) console.log(`${item.ms.toFixed(1).padStart(8)} ms  ${item.sql.slice(0, 220)}`);
}

await profile(`dashboard ${values.preset}`, () => getDashboard(db, actor, kpiQuerySchema.parse({ preset: values.preset }), moment));
const yearAgo = new Date(Date.parse(`${values.today}T00:00:00Z`));
yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
const lastYearFrom = new Date(yearAgo.getTime() + 86_400_000).toISOString().slice(0, 10);
await profile(`dashboard ${lastYearFrom} to ${values.today}`, () => getDashboard(db, actor, kpiQuerySchema.parse({ from: lastYearFrom, to: values.today }), moment));
await profile('dashboard this_month', () => getDashboard(db, actor, kpiQuerySchema.parse({ preset: 'this_month' }), moment));
await profile(`KPI table by rep ${values.preset}`, () => getKpiTable(db, actor, kpiTableQuerySchema.parse({ preset: values.preset }), moment));
await profile(`KPI table by team ${values.preset}`, () => getKpiTable(db, actor, kpiTableQuerySchema.parse({ preset: values.preset, groupBy: 'team' }), moment));
await db.destroy();
