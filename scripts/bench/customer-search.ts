import path from 'node:path';
import { parseArgs } from 'node:util';
import { customerListQuerySchema } from '../../shared/src/api/customer.js';
import { openDatabase } from '../../server/src/db/database.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { listCustomers } from '../../server/src/modules/customer/customer-list.service.js';
import { generateCustomerDataset } from './customer-dataset.js';
import { runLoad, percentile } from './http-load.js';
import { startBenchStack } from './stack.js';

/**
 * `npx tsx scripts/bench/customer-search.ts [--customers 100000] [--reuse]`
 *
 * The customer list under load: 100,000 customers and 300,000 contacts, then
 * 1. in-process: listCustomers (scope, filters, search, sort, one page) for a rep, a manager and an
 *    executive, each query kind run many times; p50/p95 per kind (target p95 < 30 ms);
 * 2. HTTP: GET /api/customers with 20 concurrent clients for 10 s against the server in a child process
 *    (target ≥ 1,000 requests per second).
 */
const { values } = parseArgs({ options: { customers: { type: 'string', default: '100000' }, reuse: { type: 'boolean', default: false }, dir: { type: 'string' } } });
const dir = path.resolve(values.dir ?? 'data/bench-customers');
const log = (line: string) => console.log(line);

if (!values.reuse) {
  const started = Date.now();
  log(`generating ${values.customers} customers into ${dir}`);
  await generateCustomerDataset({ dir, customers: Number(values.customers), contactsPerCustomer: 3, reps: 200, log });
  log(`dataset ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

const queries: Record<string, string> = {
  'default page (updated desc)': '',
  'pinyin initials "xhsd"': 'q=xhsd',
  'full pinyin "xinhua"': 'q=xinhua',
  'Chinese "新华书店"': 'q=新华书店',
  'Chinese rare "翰林书局"': 'q=翰林书局',
  'no match "zzzzqx"': 'q=zzzzqx',
  'mobile prefix': 'q=1300001',
  'type + stage + region filters': 'type=private_store,xinhua_store&stage=target,won&regionCode=32',
  'filters + pinyin search': 'type=library&regionCode=3201&q=tsg',
  'not followed 60 days, oldest first': 'notFollowedDays=60&sort=followup&order=asc',
  'sort by name, page 5': 'sort=name&order=asc&offset=80',
  'pool view': 'view=pool',
  'pool view + search': 'view=pool&q=sd',
};

const { db } = openDatabase(path.join(dir, 'app.sqlite'));
const actors = { rep: 'zhangwei01', manager: 'zhoujianhua01', executive: 'chenguodong01' };
const figures: { who: string; query: string; p50: number; p95: number; rows: number }[] = [];
for (const [who, platformUserId] of Object.entries(actors)) {
  const user = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', platformUserId).executeTakeFirstOrThrow();
  const actor = (await loadActor(db, user.id))!;
  for (const [label, queryString] of Object.entries(queries)) {
    const query = customerListQuerySchema.parse(Object.fromEntries(new URLSearchParams(queryString)));
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run < 60; run += 1) {
      const started = performance.now();
      const page = await listCustomers(db, actor, query, new Date());
      times.push(performance.now() - started);
      rows = page.items.length;
    }
    const measured = times.slice(10).sort((a, b) => a - b); // the first 10 runs warm caches
    figures.push({ who, query: label, p50: percentile(measured, 0.5), p95: percentile(measured, 0.95), rows });
  }
}
await db.destroy();

log('\nin-process listCustomers (50 runs after 10 warm-up), ms');
log(`${'actor'.padEnd(10)}${'query'.padEnd(40)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'rows'.padStart(6)}`);
for (const figure of figures) log(`${figure.who.padEnd(10)}${figure.query.padEnd(40)}${figure.p50.toFixed(2).padStart(8)}${figure.p95.toFixed(2).padStart(8)}${String(figure.rows).padStart(6)}`);
const worst = figures.reduce((max, figure) => (figure.p95 > max.p95 ? figure : max));
log(`worst p95: ${worst.p95.toFixed(2)} ms (${worst.who}, ${worst.query}); target < 30 ms`);

const stack = await startBenchStack({ dataDir: dir, log });
try {
  const { token } = await stack.login(actors.manager);
  // Encoded like a browser sends them: raw UTF-8 in the request line would measure autocannon, not the server.
  const paths = Object.values(queries).map((queryString) => {
    const params = new URLSearchParams(queryString);
    params.set('limit', '20');
    return `/api/customers?${params.toString()}`;
  });
  let next = 0;
  const result = await runLoad({ baseUrl: stack.url, connections: 20, durationSeconds: 10, nextRequest: () => ({ method: 'GET', path: paths[next++ % paths.length]!, headers: { authorization: `Bearer ${token}` } }) });
  log(`\nHTTP GET /api/customers, manager scope, ${paths.length} query kinds in turn, 20 connections, 10 s:`);
  log(`  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, errors ${result.errors}, non-2xx ${result.non2xx}; target ≥ 1000 req/s`);
} finally {
  await stack.stop();
}
