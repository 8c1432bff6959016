import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { openDatabase, type Db } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { systemClock } from '../../server/src/lib/clock.js';
import { sha256Hex } from '../../server/src/lib/hash.js';
import { createLogger } from '../../server/src/logger.js';
import { approveApproval } from '../../server/src/modules/approval/approval.actions.js';
import { listApprovals } from '../../server/src/modules/approval/approval.queries.js';
import { registerApprovalSubject, submitApproval } from '../../server/src/modules/approval/approval.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { createChatPlatform } from '../../server/src/platform/create-chat-platform.js';
import { netAmount } from '../../shared/src/money.js';

/**
 * `npx tsx scripts/bench/approval-engine.ts [--contracts 100000] [--open 10000] [--runs 300]`
 *
 * Builds its own data in a temporary folder: an org of 20 sales teams (a leader and 10 reps each) plus
 * finance, legal and executives; 5,000 customers; `--contracts` contracts with two lines and two
 * installments each; and `--open` of them in review through the real approval engine (submitApproval),
 * so each team leader holds about `open / 20` open tasks. Then it measures, each request one after
 * another on one connection:
 * - approve over HTTP (the real Koa app on 127.0.0.1, auth, validation, version check, engine, audit,
 *   outbox), each request on a different open task of one leader, and the same call in-process;
 * - the leader's 待我审批 list (first page of 20) and its count over HTTP, and the list in-process.
 * The approvals here use a 'bench_contract' subject whose decision handlers do nothing, so the figures
 * are the engine's own; a first-step approval never reaches the contract's final-approval handler anyway.
 */

const { values } = parseArgs({
  options: {
    contracts: { type: 'string', default: '100000' },
    open: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '300' },
    keep: { type: 'boolean', default: false },
  },
});
const contractCount = Number(values.contracts);
const openCount = Number(values.open);
const runs = Number(values.runs);
const teams = 20;
const repsPerTeam = 10;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-approval-'));
const log = (line: string) => console.log(line);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarise(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const fixed = (value: number) => value.toFixed(2).padStart(7);
  return `${label.padEnd(44)} n=${String(sorted.length).padStart(4)}  p50 ${fixed(percentile(sorted, 50))} ms  p95 ${fixed(percentile(sorted, 95))} ms  p99 ${fixed(percentile(sorted, 99))} ms  max ${fixed(sorted.at(-1) ?? 0)} ms`;
}

/** Users, departments and roles as the org sync would store them. */
function createOrg(sqlite: ReturnType<typeof openDatabase>['sqlite']) {
  const now = new Date().toISOString();
  const insertDepartment = sqlite.prepare("insert into department (platform, platform_department_id, name, parent_id, path, sort_order, active, synced_at) values ('dingtalk', ?, ?, ?, ?, 0, 1, ?)");
  const insertUser = sqlite.prepare("insert into app_user (platform, platform_user_id, union_id, name, title, avatar_url, active, left_at, synced_at, created_at) values ('dingtalk', ?, ?, ?, null, null, 1, null, ?, ?)");
  const insertMembership = sqlite.prepare('insert into user_department (user_id, department_id, is_leader) values (?, ?, ?)');
  const insertRole = sqlite.prepare('insert into user_role (user_id, role, granted_by, granted_at) values (?, ?, null, ?)');

  const department = (key: string, name: string, parent: { id: number; path: string } | null) => {
    const id = Number(insertDepartment.run(key, name, parent?.id ?? null, '/', now).lastInsertRowid);
    const pathText = `${parent?.path ?? '/'}${id}/`;
    sqlite.prepare('update department set path = ? where id = ?').run(pathText, id);
    return { id, path: pathText };
  };
  const user = (key: string, name: string, departmentId: number, leader: boolean, roles: string[]) => {
    const id = Number(insertUser.run(key, `union-${key}`, name, now, now).lastInsertRowid);
    insertMembership.run(id, departmentId, leader ? 1 : 0);
    for (const role of roles) insertRole.run(id, role, now);
    return id;
  };

  const root = department('1', '江南文艺出版社', null);
  const distribution = department('2', '发行部', root);
  user('director', '周主任', distribution.id, true, ['manager']);
  const finance = department('3', '财务部', root);
  user('finance-head', '朱经理', finance.id, true, ['finance']);
  const legal = department('4', '法务部', root);
  user('legal-head', '胡主管', legal.id, true, ['legal']);
  user('gm', '陈总', root.id, true, ['executive']);
  user('admin', '许专员', root.id, false, ['admin']);

  const leaders: number[] = [];
  const reps: number[][] = [];
  for (let team = 0; team < teams; team += 1) {
    const unit = department(`team-${team}`, `第 ${team + 1} 片区`, distribution);
    leaders.push(user(`leader-${team}`, `片区经理${team + 1}`, unit.id, true, ['rep', 'manager']));
    reps.push(Array.from({ length: repsPerTeam }, (_, index) => user(`rep-${team}-${index}`, `业务员${team + 1}-${index + 1}`, unit.id, false, ['rep'])));
  }
  return { leaders, reps };
}

/** Customers and contracts written in bulk; `inReview` of them are left in review for the engine. */
function createContracts(sqlite: ReturnType<typeof openDatabase>['sqlite'], reps: number[][]): { inReview: { id: number; ownerId: number; net: number }[] } {
  const now = new Date().toISOString();
  const province = (sqlite.prepare("select code from region where level = 'province' limit 1").get() as { code: string }).code;
  const allReps = reps.flat();
  const insertCustomer = sqlite.prepare(
    `insert into customer (name, name_key, short_name, name_pinyin, name_initials, search_text, type, stage, stage_changed_at, credit_code, province_code,
       city_code, county_code, address, latitude, longitude, tags, source, notes, owner_id, owned_since, department_id, credit_limit_fen, released_at,
       release_reason, last_followed_up_at, created_by, created_at, updated_at, version)
     values (?, ?, null, 'shudian', 'sd', ?, 'private_store', 'won', ?, null, ?, null, null, null, null, null, '[]', null, null, ?, ?, null, null, null, null, null, null, ?, ?, 1)`,
  );
  const customersByRep = new Map<number, number[]>();
  for (let index = 0; index < 5_000; index += 1) {
    const ownerId = allReps[index % allReps.length]!;
    const name = `测试书店${index + 1}`;
    const id = Number(insertCustomer.run(name, `${name}-${index}`, name, now, province, ownerId, now, now, now).lastInsertRowid);
    customersByRep.set(ownerId, [...(customersByRep.get(ownerId) ?? []), id]);
  }

  const insertContract = sqlite.prepare(
    `insert into contract (number, customer_id, type, title, status, owner_id, delivery_terms, notes, total_list_fen, total_net_fen, total_quantity,
       has_special_discount, approved_content_hash, approved_at, version, created_by, created_at, updated_at)
     values (?, ?, 'purchase_sale', ?, ?, ?, '', '', ?, ?, ?, 0, ?, ?, 1, ?, ?, ?)`,
  );
  const insertLine = sqlite.prepare(
    'insert into contract_line (contract_id, seq, book_id, isbn, title, list_price_fen, quantity, discount, floor_discount, is_special_discount, list_amount_fen, net_amount_fen) values (?, ?, null, null, ?, ?, ?, ?, null, 0, ?, ?)',
  );
  const insertInstallment = sqlite.prepare('insert into contract_installment (contract_id, seq, due_date, amount_fen, percent_bp, note) values (?, ?, ?, ?, null, \'\')');

  const inReview: { id: number; ownerId: number; net: number }[] = [];
  const reviewEvery = Math.max(1, Math.floor(contractCount / openCount));
  for (let index = 0; index < contractCount; index += 1) {
    const ownerId = allReps[index % allReps.length]!;
    const customers = customersByRep.get(ownerId)!;
    const review = index % reviewEvery === 0 && inReview.length < openCount;
    const quantity = 100 + (index % 50) * 10;
    const price = 2_800 + (index % 40) * 100;
    const net = netAmount(price, quantity, 6_500) * 2;
    const status = review ? 'in_review' : ['approved', 'sealed', 'archived', 'draft'][index % 4]!;
    const approvedHash = status === 'draft' || status === 'in_review' ? null : sha256Hex(`contract-${index}`);
    const sealed = status === 'sealed' || status === 'archived';
    const id = Number(
      insertContract.run(`HT-2026-${String(index + 1).padStart(6, '0')}`, customers[index % customers.length], `年度供货合同 ${index + 1}`, sealed ? 'approved' : status, ownerId, price * quantity * 2, net, quantity * 2, approvedHash, approvedHash ? now : null, ownerId, now, now)
        .lastInsertRowid,
    );
    for (const seq of [1, 2]) insertLine.run(id, seq, `图书 ${seq}`, price, quantity, 6_500, price * quantity, net / 2);
    insertInstallment.run(id, 1, '2026-09-30', net / 2);
    insertInstallment.run(id, 2, '2026-12-31', net - net / 2);
    if (review) inReview.push({ id, ownerId, net });
  }
  return { inReview };
}

async function openSession(db: Db, userId: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await db
    .insertInto('session')
    .values({
      token_hash: sha256Hex(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      idle_expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
      revoked_at: null,
      revoke_reason: null,
    })
    .execute();
  return token;
}

async function openApprovalsOf(db: Db, leaderId: number): Promise<{ id: number; version: number }[]> {
  return db
    .selectFrom('approval_task')
    .innerJoin('approval_instance', 'approval_instance.id', 'approval_task.instance_id')
    .select(['approval_instance.id', 'approval_instance.version'])
    .where('approval_task.assignee_id', '=', leaderId)
    .where('approval_task.status', '=', 'pending')
    .orderBy('approval_task.id')
    .execute();
}

async function timeRequest(url: string, init: RequestInit): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

async function main(): Promise<void> {
  const started = Date.now();
  const { db, sqlite } = openDatabase(path.join(dataDir, 'app.sqlite'));
  const logger = createLogger('silent');
  await migrateToLatest(db, logger);

  const org = createOrg(sqlite);
  const { inReview } = sqlite.transaction(() => createContracts(sqlite, org.reps))();
  log(`data: ${contractCount.toLocaleString('en-US')} contracts, ${inReview.length.toLocaleString('en-US')} to submit (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  registerApprovalSubject('bench_contract', { onApproved: async () => undefined, onRejected: async () => undefined, onWithdrawn: async () => undefined });
  const submitStarted = Date.now();
  for (let start = 0; start < inReview.length; start += 500) {
    await db.transaction().execute(async (trx) => {
      for (const contract of inReview.slice(start, start + 500)) {
        await submitApproval(trx, {
          templateCode: 'sales_contract',
          subjectType: 'bench_contract',
          subjectId: contract.id,
          submitterId: contract.ownerId,
          subject: { title: `合同 ${contract.id}`, amountFen: contract.net, hasSpecialDiscount: false, contractType: 'purchase_sale', summaryFields: [{ label: '合同金额', value: String(contract.net) }], url: `/contracts/${contract.id}` },
          contentHash: sha256Hex(`content-${contract.id}`),
          now: new Date(),
        });
      }
    });
  }
  const counts = (table: string) => (sqlite.prepare(`select count(*) as count from ${table}`).get() as { count: number }).count;
  const openTasks = (sqlite.prepare("select count(*) as count from approval_task where status = 'pending'").get() as { count: number }).count;
  log(`submitted ${inReview.length.toLocaleString('en-US')} approvals in ${((Date.now() - submitStarted) / 1000).toFixed(1)} s: ${openTasks.toLocaleString('en-US')} open tasks, ${counts('approval_history').toLocaleString('en-US')} history rows, ${counts('audit_log').toLocaleString('en-US')} audit rows, ${counts('outbox').toLocaleString('en-US')} outbox rows`);
  sqlite.pragma('optimize');

  const config = loadConfig({
    NODE_ENV: 'production',
    PUBLIC_URL: 'http://127.0.0.1:1',
    PLATFORM: 'dingtalk',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    DINGTALK_CORP_ID: 'bench',
    DINGTALK_APP_KEY: 'bench',
    DINGTALK_APP_SECRET: 'bench',
    DINGTALK_AGENT_ID: '1',
    JOBS_ENABLED: 'false',
  });
  const { app } = buildApp({ config, db, logger, clock: systemClock, platform: createChatPlatform(config, logger), staticDir: dataDir });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const [httpLeader, serviceLeader] = org.leaders;
  const token = await openSession(db, httpLeader!);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const before = await openApprovalsOf(db, httpLeader!);
  log(`leader under test holds ${before.length} open tasks; ${runs} approvals each way`);

  // Warm-up: JIT, prepared statements and page cache, on tasks not measured.
  for (const task of before.slice(0, 20)) await timeRequest(`${base}/api/approvals/${task.id}/approve`, { method: 'POST', headers, body: JSON.stringify({ version: task.version }) });
  for (let index = 0; index < 20; index += 1) await timeRequest(`${base}/api/approvals?box=pending&limit=20`, { headers });

  const listSamples: number[] = [];
  const countSamples: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    listSamples.push((await timeRequest(`${base}/api/approvals?box=pending&limit=20`, { headers })).ms);
    countSamples.push((await timeRequest(`${base}/api/approvals/counts`, { headers })).ms);
  }

  const approveSamples: number[] = [];
  let failures = 0;
  for (const task of before.slice(20, 20 + runs)) {
    const result = await timeRequest(`${base}/api/approvals/${task.id}/approve`, { method: 'POST', headers, body: JSON.stringify({ version: task.version, comment: '同意' }) });
    if (result.status !== 200) failures += 1;
    approveSamples.push(result.ms);
  }

  const actor = (await loadActor(db, serviceLeader!))!;
  const serviceTasks = await openApprovalsOf(db, serviceLeader!);
  const serviceApprove: number[] = [];
  for (const task of serviceTasks.slice(0, runs)) {
    const begun = performance.now();
    await approveApproval(db, actor, task.id, { version: task.version }, new Date());
    serviceApprove.push(performance.now() - begun);
  }
  const serviceList: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const begun = performance.now();
    await listApprovals(db, actor, { box: 'pending', limit: 20 });
    serviceList.push(performance.now() - begun);
  }

  const cpus = os.cpus();
  log('');
  log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; SQLite ${(sqlite.prepare('select sqlite_version() as v').get() as { v: string }).v}`);
  // Other processes competing for the cores skew every figure, so the load during the run is printed with them.
  log(`load average (1, 5, 15 min) at the end: ${os.loadavg().map((value) => value.toFixed(1)).join(', ')}`);
  log(`dataset: ${counts('contract').toLocaleString('en-US')} contracts, ${openTasks.toLocaleString('en-US')} open approvals at the start`);
  log(summarise('POST /api/approvals/:id/approve (HTTP)', approveSamples) + (failures > 0 ? `  (${failures} non-200)` : ''));
  log(summarise('approveApproval (in-process)', serviceApprove));
  log(summarise('GET /api/approvals?box=pending (HTTP)', listSamples));
  log(summarise('GET /api/approvals/counts (HTTP)', countSamples));
  log(summarise('listApprovals pending (in-process)', serviceList));
  log('targets: approve p95 < 50 ms; task list p95 < 30 ms');

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
  if (values.keep) log(`data kept in ${dataDir}`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
  if (failures > 0) process.exitCode = 1;
}

await main();
