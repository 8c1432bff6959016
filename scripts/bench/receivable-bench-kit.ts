import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase, type Db } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { createLogger } from '../../server/src/logger.js';
import { replaceUserRoles } from '../../server/src/modules/org/org.repository.js';
import { applyOrgSnapshot } from '../../server/src/modules/org/org.service.js';
import type { PlatformDepartment, PlatformUser } from '../../server/src/platform/chat-platform.js';
import type { Role } from '../../shared/src/roles.js';

/**
 * Datasets of the receivable benchmarks, written with prepared statements in large transactions on a
 * schema made by the app's own migrations: an organisation of `teams` × `teamSize` reps under team
 * leaders, plus finance and a general manager; customers per rep; one contract per customer with
 * monthly installments over the last three years and the next one. Older plans are mostly received,
 * recent ones partly, future ones open, as a publisher's book would look.
 */
export interface ReceivableDatasetOptions {
  dir: string;
  teams: number;
  teamSize: number;
  customersPerRep: number;
  installmentsPerContract: number;
  log: (line: string) => void;
}

export interface ReceivableDataset {
  file: string;
  asOfDate: string;
  plans: number;
  customers: number;
  reps: number;
}

let seed = 20_260_301;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

function orgSnapshot(teams: number, teamSize: number): { departments: PlatformDepartment[]; users: PlatformUser[]; roles: Map<string, Role[]> } {
  const departments: PlatformDepartment[] = [{ id: '1', name: '基准出版社', parentId: null, leaderUserIds: ['bench-gm'], order: 0 }];
  const users: PlatformUser[] = [];
  const roles = new Map<string, Role[]>();
  const user = (userId: string, name: string, departmentIds: string[], leaderOf: string[], userRoles: Role[]) => {
    users.push({ userId, name, title: null, avatarUrl: null, unionId: null, departmentIds, leaderOfDepartmentIds: leaderOf, active: true });
    roles.set(userId, userRoles);
  };
  user('bench-gm', '总经理', ['1'], ['1'], ['executive']);
  departments.push({ id: '2', name: '财务部', parentId: '1', leaderUserIds: ['bench-finance-1'], order: 1 });
  for (let index = 1; index <= 3; index += 1) user(`bench-finance-${index}`, `财务${index}`, ['2'], index === 1 ? ['2'] : [], ['finance']);
  for (let team = 1; team <= teams; team += 1) {
    const id = String(100 + team);
    departments.push({ id, name: `发行${team}组`, parentId: '1', leaderUserIds: [`bench-lead-${team}`], order: team + 1 });
    user(`bench-lead-${team}`, `组长${team}`, [id], [id], ['rep', 'manager']);
    for (let member = 1; member <= teamSize; member += 1) user(`bench-rep-${(team - 1) * teamSize + member}`, `业务员${(team - 1) * teamSize + member}`, [id], [], ['rep']);
  }
  return { departments, users, roles };
}

export async function generateReceivableDataset(options: ReceivableDatasetOptions): Promise<ReceivableDataset> {
  const file = path.join(options.dir, 'app.sqlite');
  fs.mkdirSync(options.dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const now = new Date();
  const asOfDate = localDate(now, 'Asia/Shanghai');

  const { db } = openDatabase(file);
  await migrateToLatest(db, createLogger('silent'));
  const snapshot = orgSnapshot(options.teams, options.teamSize);
  await applyOrgSnapshot(db, 'dingtalk', { departments: snapshot.departments, users: snapshot.users }, now, createLogger('silent'));
  const userRows = await db.selectFrom('app_user').select(['id', 'platform_user_id']).execute();
  for (const row of userRows) await replaceUserRoles(db, row.id, snapshot.roles.get(row.platform_user_id) ?? [], null, now);
  const repIds = userRows.filter((row) => row.platform_user_id.startsWith('bench-rep-')).map((row) => row.id);
  const province = await db.selectFrom('region').select('code').where('level', '=', 'province').limit(1).executeTakeFirstOrThrow();
  await db.destroy();

  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const stamp = now.toISOString();

  const insertCustomer = sqlite.prepare(`insert into customer (name, name_key, short_name, name_pinyin, name_initials, search_text, type, stage, stage_changed_at, credit_code, province_code, address, tags, owner_id, owned_since, created_at, updated_at, version)
    values (?, ?, null, 'shudian', 'sd', ?, 'private_store', 'won', ?, null, ?, '基准地址', '[]', ?, ?, ?, ?, 1)`);
  const insertContract = sqlite.prepare(`insert into contract (number, customer_id, type, title, status, owner_id, delivery_terms, notes, total_list_fen, total_net_fen, total_quantity, has_special_discount, approved_content_hash, approved_at, version, created_by, created_at, updated_at)
    values (?, ?, 'purchase_sale', '年度供货合同', 'approved', ?, '', '', ?, ?, 100, 0, 'bench', ?, 1, ?, ?, ?)`);
  const insertPlan = sqlite.prepare(`insert into payment_plan (customer_id, contract_id, consignment_settlement_id, seq, due_date, amount_fen, allocated_fen, status, overdue_notified_days, created_at)
    values (?, ?, null, ?, ?, ?, ?, ?, 0, ?)`);

  let customers = 0;
  let plans = 0;
  // The last three installments are still to come; the rest lie in the past.
  const firstDue = addDays(asOfDate, -(options.installmentsPerContract - 3) * 30);
  const write = sqlite.transaction((ownerId: number) => {
    for (let index = 0; index < options.customersPerRep; index += 1) {
      customers += 1;
      const name = `基准书店${customers}`;
      const customerId = Number(insertCustomer.run(name, `bench-${customers}`, name, stamp, province.code, ownerId, stamp, stamp, stamp).lastInsertRowid);
      const installmentFen = 100_000 + Math.floor(random() * 900_000);
      const total = installmentFen * options.installmentsPerContract;
      const contractId = Number(insertContract.run(`HT-2025-${String(customers).padStart(6, '0')}`, customerId, ownerId, total, total, stamp, ownerId, stamp, stamp).lastInsertRowid);
      // Each contract starts on its own day, so due dates spread over every day of the range.
      const offset = Math.floor(random() * 30);
      for (let seq = 1; seq <= options.installmentsPerContract; seq += 1) {
        const dueDate = addDays(firstDue, (seq - 1) * 30 + offset);
        const age = Date.parse(asOfDate) - Date.parse(dueDate);
        const roll = random();
        let allocated = 0;
        if (age > 120 * 86_400_000) allocated = roll < 0.97 ? installmentFen : roll < 0.985 ? Math.floor(installmentFen / 2) : 0;
        else if (age > 0) allocated = roll < 0.5 ? installmentFen : roll < 0.7 ? Math.floor(installmentFen / 3) : 0;
        const status = allocated === 0 ? 'open' : allocated === installmentFen ? 'received' : 'partial';
        insertPlan.run(customerId, contractId, seq, dueDate, installmentFen, allocated, status, stamp);
        plans += 1;
      }
    }
  });
  for (const [index, repId] of repIds.entries()) {
    write(repId);
    if ((index + 1) % 100 === 0) options.log(`  ${index + 1} / ${repIds.length} reps, ${plans} plans`);
  }
  sqlite.exec('analyze');
  sqlite.close();
  return { file, asOfDate, plans, customers, reps: repIds.length };
}

/**
 * Marks every overdue unpaid plan as notified at the tiers it had reached yesterday, as if yesterday's
 * scan ran: today's scan then has only the plans crossing a threshold today, its daily load.
 */
export function markNotifiedAsOfYesterday(file: string, asOfDate: string): void {
  const sqlite = new SQLite(file);
  const yesterday = addDays(asOfDate, -1);
  sqlite.prepare(`update payment_plan set overdue_notified_days = case when due_date <= ? then 30 when due_date <= ? then 7 when due_date <= ? then 1 else 0 end where status in ('open', 'partial')`).run(addDays(yesterday, -30), addDays(yesterday, -7), addDays(yesterday, -1));
  sqlite.exec("delete from outbox where dedup_key like 'overdue%'; delete from overdue_overflow");
  sqlite.close();
}

/** The latest migration that changed the indexes the receivable benchmarks measure. */
const requiredMigration = '0057_payment_plan_cancelled';

/**
 * Checks that a reused dataset has the migrations the receivable queries rely on for their indexes,
 * and applies every pending migration when `migrate` is set, as a deployment would. Without this, a
 * dataset made before an index migration measures the new queries without their indexes.
 */
export async function prepareReusedDataset(file: string, migrate: boolean, log: (line: string) => void): Promise<void> {
  if (migrate) {
    const { db } = openDatabase(file);
    const started = performance.now();
    await migrateToLatest(db, createLogger('silent'));
    await db.destroy();
    log(`migrated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return;
  }
  const reader = new SQLite(file, { readonly: true });
  const applied = reader.prepare('select 1 from kysely_migration where name = ?').get(requiredMigration);
  reader.close();
  if (!applied) {
    throw new Error(`${file} lacks migration ${requiredMigration}, so the unpaid-plan indexes are missing: pass --migrate to apply pending migrations, or --regenerate`);
  }
}


export function openBenchDatabase(file: string): Db {
  return openDatabase(file).db;
}

export function timeIt<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  return work().then((result) => ({ result, ms: performance.now() - started }));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
