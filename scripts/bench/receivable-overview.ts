import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import { resolveScope } from '../../server/src/access/scope.js';
import type { Database } from '../../server/src/db/schema.js';
import { localDate } from '../../server/src/lib/clock.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { agingTotals, agingTotalsByOwner } from '../../server/src/modules/receivable/payment-plan.service.js';
import { getReceivableOverview } from '../../server/src/modules/receivable/plan-query.service.js';
import { median } from './receivable-bench-kit.js';

/**
 * `npx tsx scripts/bench/receivable-overview.ts [--file data/bench-M/app.sqlite] [--user zhuhongmei01] [--runs 20]`
 *
 * Times the receivables overview service (what GET /api/receivables/overview runs, without Koa) and the
 * two aging functions the dashboard calls, for one user on an existing dataset, and lists each SQL
 * statement with its median time. Opens the file read-only, so it runs on the shared bench datasets;
 * the dataset must already carry the migrations of the code being measured.
 */
const { values } = parseArgs({
  options: {
    file: { type: 'string', default: 'data/bench-M/app.sqlite' },
    user: { type: 'string', default: 'zhuhongmei01' },
    runs: { type: 'string', default: '20' },
    'as-of': { type: 'string' },
  },
});
const file = path.resolve(values.file);
const runs = Number(values.runs);
const asOfDate = values['as-of'] ?? localDate(new Date(), 'Asia/Shanghai');

const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
const statementTimes = new Map<string, number[]>();
let capturing = false;
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: sqlite }),
  log: (event: LogEvent) => {
    if (!capturing || event.level !== 'query') return;
    const key = event.query.sql.replace(/\s+/g, ' ');
    const times = statementTimes.get(key) ?? [];
    times.push(event.queryDurationMillis);
    statementTimes.set(key, times);
  },
});

const user = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', values.user).executeTakeFirst();
if (!user) throw new Error(`user ${values.user} not found in ${file}: pass --user with a platform user id from app_user`);
const actor = await loadActor(db, user.id);
if (!actor) throw new Error(`user ${values.user} is inactive in ${file}`);
const scope = await resolveScope(db, actor, 'money');

const counts = sqlite.prepare(`select count(*) as plans, sum(status in ('open','partial')) as unpaid from payment_plan`).get() as { plans: number; unpaid: number };
console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`);
console.log(`dataset: ${file}, ${counts.plans} plans (${counts.unpaid} unpaid); user ${values.user}, scope ${scope.kind === 'all' ? 'all' : `${scope.userIds.length} users`}; as of ${asOfDate}`);

async function measure(label: string, work: () => Promise<unknown>): Promise<void> {
  for (let run = 0; run < 3; run += 1) await work();
  statementTimes.clear();
  capturing = true;
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  capturing = false;
  const sorted = [...times].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
  console.log(`\n${label}: p50 ${median(times).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${runs} runs, ${statementTimes.size} distinct statements`);
  const rows = [...statementTimes.entries()].map(([sql, durations]) => ({ sql, ms: median(durations) })).sort((a, b) => b.ms - a.ms);
  for (const row of rows) console.log(`  ${row.ms.toFixed(1).padStart(7)} ms  ${row.sql.slice(0, 160)}`);
}

await measure('overview service', () => getReceivableOverview(db, actor, asOfDate));
await measure('agingTotals (dashboard)', () => agingTotals(db, scope, asOfDate));
await measure('agingTotalsByOwner (dashboard)', () => agingTotalsByOwner(db, scope, asOfDate));
await db.destroy();
