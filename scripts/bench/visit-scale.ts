import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/src/db/database.js';
import { addDays } from '../../server/src/lib/clock.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { getTeamView } from '../../server/src/modules/visit/team-view.service.js';
import { sumVisitsByRepAndDay } from '../../server/src/modules/visit/team-view.repository.js';
import { percentile, runLoad, type LoadResult } from './http-load.js';
import { startBenchStack } from './stack.js';
import { generateVisitDataset, openBenchSession, readVisitDataset } from './visit-bench-kit.js';

/**
 * `npx tsx scripts/bench/visit-scale.ts [--visits 2000000] [--regenerate] [--dir data/bench-visits] [--seconds 10]`
 *
 * Generating 2,000,000 visits takes minutes, so an existing dataset in --dir is reused unless it is
 * smaller than --visits, was made under other migrations, or --regenerate is given.
 * The visit targets at scale: with 2,000,000 visits (1,000 reps, two years), over HTTP on 127.0.0.1
 * against the server in a child process,
 * 1. check-in (POST /api/visits, a new Idempotency-Key each) and visit save (PUT /api/visits/:id with
 *    contacts, 5 shelf-check titles and check-out) at 1 and 10 concurrent clients: target p95 < 50 ms;
 * 2. the team view of a 50-rep team over the last 30 days: target p95 < 200 ms, also timed in-process
 *    with the query plan of its main aggregate.
 */
const { values } = parseArgs({ options: { visits: { type: 'string', default: '2000000' }, regenerate: { type: 'boolean', default: false }, dir: { type: 'string' }, seconds: { type: 'string', default: '10' } } });
const dir = path.resolve(values.dir ?? 'data/bench-visits');
const seconds = Number(values.seconds);
const log = (line: string) => console.log(line);

const file = path.join(dir, 'app.sqlite');
let asOfDate: string;
const migrationsFolder = path.resolve('server/src/db/migrations');
const migrationNames = fs
  .readdirSync(migrationsFolder)
  .filter((name) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(name))
  .map((name) => name.replace(/\.(ts|js)$/, ''))
  .sort();
const existing = !values.regenerate && fs.existsSync(file) ? readVisitDataset(file, migrationNames) : null;
if (existing && existing.visits >= Number(values.visits)) {
  asOfDate = existing.asOfDate;
  log(`reusing ${file} (${existing.visits} visits; --regenerate makes a new one)`);
} else {
  const started = Date.now();
  log(`generating ${values.visits} visits into ${dir}`);
  const dataset = await generateVisitDataset({ dir, visits: Number(values.visits), log });
  asOfDate = dataset.asOfDate;
  log(`dataset ready: ${dataset.visits} visits in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const reader = new SQLite(file, { readonly: true });
const counts = reader.prepare('select (select count(*) from visit) as visits, (select count(*) from customer) as customers, (select count(*) from visit_plan) as plans').get() as Record<string, number>;
log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}; data: ${counts.visits} visits, ${counts.customers} customers, ${counts.plans} plans`);
const rep = reader.prepare("select id from app_user where platform_user_id = 'bench-rep-1'").get() as { id: number };
const stores = reader.prepare('select id, latitude, longitude from customer where owner_id = ?').all(rep.id) as { id: number; latitude: number; longitude: number }[];
reader.close();

const stack = await startBenchStack({ dataDir: dir, log });
const figures: { label: string; result: LoadResult; targetMs: number }[] = [];
try {
  const repToken = await openBenchSession(file, 'bench-rep-1');
  const leadToken = await openBenchSession(file, 'bench-lead-1');
  const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

  let storeIndex = 0;
  const checkInRequest = () => {
    const store = stores[(storeIndex += 1) % stores.length]!;
    const body = { customerId: store.id, purpose: 'shelf_check', location: { latitude: store.latitude + 0.0003, longitude: store.longitude, accuracyMeters: 15, coordinateSystem: 'gcj02', address: null } };
    return { method: 'POST' as const, path: '/api/visits', headers: { ...headers(repToken), 'idempotency-key': randomUUID() }, body: JSON.stringify(body) };
  };
  for (const connections of [1, 10]) {
    figures.push({ label: `check-in, ${connections} client(s)`, result: await runLoad({ baseUrl: stack.url, connections, durationSeconds: seconds, nextRequest: checkInRequest }), targetMs: 50 });
  }

  const recent = new SQLite(file, { readonly: true });
  const openVisits = (recent.prepare("select id from visit where owner_id = ? and status = 'checked_in' order by id desc limit 500").all(rep.id) as { id: number }[]).map((row) => row.id);
  recent.close();
  const saveBody = JSON.stringify({
    purpose: 'shelf_check',
    contacts: [{ name: '周店长' }],
    notes: '新书陈列在入口平台，江南当代文学书系缺两个品种',
    outcome: '同意补货 20 册',
    nextStep: '周五前寄送补货单',
    followUpDate: addDays(asOfDate, 5),
    shelfChecks: ['9787539968322', '9787539968179', '9787539968216', '9787539968100', '9787539968094'].map((isbn, index) => ({ isbn, onShelf: index !== 2, facingCount: index })),
    checkOut: true,
  });
  let saveIndex = 0;
  const saveRequest = () => ({ method: 'PUT' as const, path: `/api/visits/${openVisits[(saveIndex += 1) % openVisits.length]}`, headers: { ...headers(repToken), 'idempotency-key': randomUUID() }, body: saveBody });
  for (const connections of [1, 10]) {
    figures.push({ label: `visit save, ${connections} client(s)`, result: await runLoad({ baseUrl: stack.url, connections, durationSeconds: seconds, nextRequest: saveRequest }), targetMs: 50 });
  }

  const from = addDays(asOfDate, -30);
  const teamPath = `/api/visits/team?from=${from}&to=${addDays(asOfDate, -1)}`;
  figures.push({ label: 'team view, 50 reps × 30 days', result: await runLoad({ baseUrl: stack.url, connections: 1, durationSeconds: seconds, nextRequest: () => ({ method: 'GET', path: teamPath, headers: headers(leadToken) }) }), targetMs: 200 });

  await measureInProcess(from, addDays(asOfDate, -1));
} finally {
  await stack.stop();
}

log('\n| measurement | requests | req/s | p50 ms | p95 ms | p99 ms | non-2xx | target p95 |');
log('|---|---|---|---|---|---|---|---|');
for (const { label, result, targetMs } of figures) {
  log(`| ${label} | ${result.requests} | ${result.requestsPerSecond} | ${result.p50Ms} | ${result.p95Ms} | ${result.p99Ms} | ${result.non2xx} | < ${targetMs} ms ${result.p95Ms < targetMs && result.non2xx === 0 ? 'met' : 'MISSED'} |`);
}

/** The team view through the service, without HTTP, and the plan SQLite picks for its main aggregate. */
async function measureInProcess(from: string, to: string): Promise<void> {
  const { db, sqlite } = openDatabase(file);
  const user = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', 'bench-lead-1').executeTakeFirstOrThrow();
  const actor = (await loadActor(db, user.id))!;
  const times: number[] = [];
  let reps = 0;
  for (let run = 0; run < 40; run += 1) {
    const started = performance.now();
    const view = await getTeamView(db, actor, { from, to });
    times.push(performance.now() - started);
    reps = view.reps.length;
  }
  times.sort((a, b) => a - b);
  log(`team view in-process (${reps} reps, ${from}…${to}): p50 ${percentile(times, 0.5)} ms, p95 ${percentile(times, 0.95)} ms over ${times.length} runs`);

  const memberIds = (await db.selectFrom('user_department').select('user_id').where('department_id', 'in', db.selectFrom('department').select('id').where('name', '=', '苏南1组')).execute()).map((row) => row.user_id);
  // The same statement as sumVisitsByRepAndDay, to show which index SQLite uses for it.
  const compiled = db
    .selectFrom('visit')
    .select((eb) => ['owner_id', 'check_in_date', eb.fn.countAll().as('visits'), eb.fn.count('customer_id').distinct().as('customers')])
    .where('owner_id', 'in', memberIds)
    .where('check_in_date', '>=', from)
    .where('check_in_date', '<=', to)
    .groupBy(['owner_id', 'check_in_date'])
    .compile();
  const plan = sqlite.prepare(`explain query plan ${compiled.sql}`).all(...compiled.parameters) as { detail: string }[];
  log(`query plan of the per-rep, per-day aggregate: ${plan.map((row) => row.detail).join('; ')}`);
  log(`rows aggregated for the team: ${(await sumVisitsByRepAndDay(db, memberIds, from, to)).reduce((sum, row) => sum + Number(row.visits), 0)}`);
  await db.destroy();
}
