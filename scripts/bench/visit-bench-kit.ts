import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { z } from 'zod';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { sha256Hex } from '../../server/src/lib/hash.js';
import { insertSession } from '../../server/src/modules/auth/session.repository.js';
import { createLogger } from '../../server/src/logger.js';
import { replaceUserRoles } from '../../server/src/modules/org/org.repository.js';
import { applyOrgSnapshot } from '../../server/src/modules/org/org.service.js';
import type { Role } from '../../shared/src/roles.js';
import { orgDepartments, orgUsers } from '../fake-platform/org.js';

/**
 * The visit benchmark's dataset. It has the demo organisation plus 20 generated teams of 50 reps (1,000
 * reps), each rep owning 40 stores around Nanjing. The history covers about two years: 4 visits per rep
 * and working day (2,000,000 visits), plans for the last 45 days, and shelf-check items for the last 30
 * days. Team 1 (苏南1组, led by bench-lead-1) is the 50-rep team of the team-view target. Rows go in with
 * prepared statements in large transactions, into the schema of the app's own migrations.
 */
export interface VisitDataset {
  file: string;
  asOfDate: string;
  visits: number;
  teamLeader: string;
  rep: string;
}

const TEAMS = 20;
const TEAM_SIZE = 50;
const CUSTOMERS_PER_REP = 40;
const VISITS_PER_DAY = 4;
const BENCH_DEPARTMENT_BASE = 1000;

let seed = 20_250_301;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

export async function generateVisitDataset(options: { dir: string; visits: number; log: (line: string) => void }): Promise<VisitDataset> {
  const file = path.join(options.dir, 'app.sqlite');
  fs.mkdirSync(options.dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  const now = new Date();
  const asOfDate = localDate(now, 'Asia/Shanghai');

  const { db } = openDatabase(file);
  await migrateToLatest(db, createLogger('silent'));
  await writeOrg(db, now);
  await db.destroy();

  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const reps = sqlite.prepare("select id from app_user where platform_user_id like 'bench-rep-%' order by id").all() as { id: number }[];
  const customers = writeCustomers(sqlite, reps, now);
  options.log(`  ${reps.length} reps, ${customers.size * CUSTOMERS_PER_REP} customers`);

  const days = Math.ceil(options.visits / (reps.length * VISITS_PER_DAY));
  // Bulk loading is several times faster without the secondary indexes. They are rebuilt afterwards from
  // their own definitions, so the benchmark measures exactly the indexes the migrations create.
  const indexes = sqlite.prepare("select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('visit', 'visit_plan', 'visit_shelf_item')").all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  const visits = writeVisits(sqlite, reps, customers, asOfDate, days, options.log);
  options.log(`  rebuilding ${indexes.length} indexes`);
  for (const index of indexes) sqlite.exec(index.sql);
  sqlite.prepare("insert into setting (key, value, updated_by, updated_at) values ('bench.visit_dataset', ?, null, ?)").run(JSON.stringify({ asOfDate, visits }), now.toISOString());
  options.log('  analyze');
  sqlite.exec('analyze');
  sqlite.close();
  return { file, asOfDate, visits, teamLeader: 'bench-lead-1', rep: 'bench-rep-1' };
}

/**
 * Opens a session for a generated user. The fake open platform serves only the demo organisation, so
 * the generated reps cannot log in through it, and their sessions are written the way login writes them.
 */
/**
 * Reads the description of a visit dataset in `file`. Returns null when the file contains another kind of
 * data or was migrated by another set of migrations, because the server refuses to start on it.
 */
export function readVisitDataset(file: string, migrationNames: string[]): { asOfDate: string; visits: number } | null {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    const applied = (sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((row) => row.name);
    if (applied.join(',') !== migrationNames.join(',')) return null;
    const row = sqlite.prepare("select value from setting where key = 'bench.visit_dataset'").get() as { value: string } | undefined;
    return row ? z.object({ asOfDate: z.string(), visits: z.number() }).parse(JSON.parse(row.value)) : null;
  } catch {
    // Another benchmark's file or an older schema: not reusable.
    return null;
  } finally {
    sqlite.close();
  }
}

export async function openBenchSession(file: string, platformUserId: string): Promise<string> {
  const { db } = openDatabase(file);
  const user = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', platformUserId).executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertSession(db, { tokenHash: sha256Hex(token), userId: user.id, now, idleExpiresAt: new Date(now.getTime() + 86_400_000), expiresAt: new Date(now.getTime() + 86_400_000) });
  await db.destroy();
  return token;
}

async function writeOrg(db: ReturnType<typeof openDatabase>['db'], now: Date): Promise<void> {
  const teams = Array.from({ length: TEAMS }, (_, team) => ({ id: String(BENCH_DEPARTMENT_BASE + team + 1), name: `苏南${team + 1}组`, parentId: '3', order: 100 + team, leaderUserIds: [`bench-lead-${team + 1}`] }));
  const reps = teams.flatMap((team, teamIndex) =>
    Array.from({ length: TEAM_SIZE }, (_, index) => ({ userid: `bench-rep-${teamIndex * TEAM_SIZE + index + 1}`, name: `业务员${teamIndex * TEAM_SIZE + index + 1}`, departmentId: team.id })),
  );
  const demoUser = (user: (typeof orgUsers)[number]) => ({ userId: user.userid, name: user.name, title: user.title, avatarUrl: null, unionId: user.unionid, departmentIds: user.departmentIds.map(String), leaderOfDepartmentIds: user.leaderOf.map(String), active: true });

  await applyOrgSnapshot(
    db,
    'dingtalk',
    {
      departments: [
        ...orgDepartments.map((department) => ({ id: String(department.id), name: department.name, parentId: department.parentId === null ? null : String(department.parentId), order: department.order, leaderUserIds: orgUsers.filter((user) => user.leaderOf.includes(department.id)).map((user) => user.userid) })),
        ...teams,
      ],
      users: [
        ...orgUsers.map(demoUser),
        ...teams.map((team, index) => ({ userId: `bench-lead-${index + 1}`, name: `组长${index + 1}`, title: '组长', avatarUrl: null, unionId: null, departmentIds: [team.id], leaderOfDepartmentIds: [team.id], active: true })),
        ...reps.map((rep) => ({ userId: rep.userid, name: rep.name, title: '业务员', avatarUrl: null, unionId: null, departmentIds: [rep.departmentId], leaderOfDepartmentIds: [], active: true })),
      ],
    },
    now,
    createLogger('silent'),
  );

  const roles = new Map<string, Role[]>(orgUsers.map((user) => [user.userid, user.roles]));
  teams.forEach((_, index) => roles.set(`bench-lead-${index + 1}`, ['manager']));
  for (const rep of reps) roles.set(rep.userid, ['rep']);
  for (const user of await db.selectFrom('app_user').select(['id', 'platform_user_id']).execute()) {
    await replaceUserRoles(db, user.id, roles.get(user.platform_user_id) ?? [], null, now);
  }
}

function writeCustomers(sqlite: SQLite.Database, reps: { id: number }[], now: Date): Map<number, { id: number; name: string; latitude: number; longitude: number }[]> {
  const insert = sqlite.prepare(`insert into customer (name, name_key, name_pinyin, name_initials, search_text, type, stage, stage_changed_at, province_code, city_code, county_code,
    latitude, longitude, tags, owner_id, owned_since, created_at, updated_at, version) values (?, ?, ?, ?, ?, 'private_store', 'won', ?, '32', '3201', '320102', ?, ?, '[]', ?, ?, ?, ?, 1)`);
  const byRep = new Map<number, { id: number; name: string; latitude: number; longitude: number }[]>();
  const at = now.toISOString();
  sqlite.transaction(() => {
    for (const rep of reps) {
      const owned = [];
      for (let index = 0; index < CUSTOMERS_PER_REP; index += 1) {
        const name = `金陵书苑${rep.id}-${index + 1}号店`;
        const latitude = 31.9 + random() * 0.3;
        const longitude = 118.6 + random() * 0.4;
        const result = insert.run(name, `bench${rep.id}x${index}`, 'jinlingshuyuan', 'jlsy', name, at, latitude, longitude, rep.id, at, at, at);
        owned.push({ id: Number(result.lastInsertRowid), name, latitude, longitude });
      }
      byRep.set(rep.id, owned);
    }
  })();
  return byRep;
}

function writeVisits(
  sqlite: SQLite.Database,
  reps: { id: number }[],
  customers: Map<number, { id: number; name: string; latitude: number; longitude: number }[]>,
  asOfDate: string,
  days: number,
  log: (line: string) => void,
): number {
  const insertVisit = sqlite.prepare(`insert into visit (customer_id, customer_name, owner_id, purpose, status, check_in_at, check_in_date, received_at, delayed_upload, latitude, longitude,
    accuracy_m, coordinate_system, address, location_failure, distance_m, radius_m, location_status, flagged, flag_reason, set_customer_location, plan_id, notes, outcome, next_step,
    follow_up_date, follow_up_done_at, check_out_at, duration_minutes, created_at, updated_at)
    values (?, ?, ?, ?, 'checked_out', ?, ?, ?, 0, ?, ?, 20, 'gcj02', null, null, ?, 500, ?, ?, ?, 0, ?, '陈列良好，店长同意补货', '同意补货 20 册', ?, ?, ?, ?, ?, ?, ?)`);
  const insertPlan = sqlite.prepare(`insert into visit_plan (owner_id, customer_id, customer_name, plan_date, purpose, note, status, visit_id, created_by, created_at, updated_at)
    values (?, ?, ?, ?, 'shelf_check', '', ?, null, ?, ?, ?)`);
  const linkPlan = sqlite.prepare('update visit_plan set visit_id = ? where id = ?');
  const insertShelf = sqlite.prepare(`insert into visit_shelf_item (visit_id, isbn, book_id, title, on_shelf, facing_count, note) values (?, ?, null, null, ?, ?, '')`);
  const purposes = ['new_title', 'shelf_check', 'shelf_check', 'collection', 'reconciliation', 'other'];
  const isbns = ['9787539968322', '9787539968179', '9787539968216', '9787539968100', '9787539968094'];

  let total = 0;
  const writeDay = sqlite.transaction((date: string, dayIndex: number) => {
    for (const rep of reps) {
      const owned = customers.get(rep.id)!;
      for (let slot = 0; slot < VISITS_PER_DAY; slot += 1) {
        const customer = owned[(dayIndex * VISITS_PER_DAY + slot) % owned.length]!;
        const checkIn = new Date(Date.parse(`${date}T09:00:00+08:00`) + slot * 110 * 60_000).toISOString();
        const checkOut = new Date(Date.parse(checkIn) + 40 * 60_000).toISOString();
        const far = random() < 0.05;
        const planId = dayIndex < 45 ? Number(insertPlan.run(rep.id, customer.id, customer.name, date, 'visited', rep.id, checkIn, checkIn).lastInsertRowid) : null;
        const followUp = random() < 0.2 ? addDays(date, 7) : null;
        const visitId = Number(
          insertVisit.run(customer.id, customer.name, rep.id, purposes[slot % purposes.length], checkIn, date, checkIn, customer.latitude + 0.001, customer.longitude, far ? 2400 : 110, far ? 'far' : 'near', far ? 1 : 0, far ? '客户约在分店见面' : null, planId, followUp ? '寄送征订单' : '', followUp, followUp && followUp < asOfDate ? checkOut : null, checkOut, 40, checkIn, checkOut).lastInsertRowid,
        );
        if (planId !== null) linkPlan.run(visitId, planId);
        if (dayIndex < 30) for (const isbn of isbns.slice(0, 3)) insertShelf.run(visitId, isbn, random() < 0.8 ? 1 : 0, 1);
        total += 1;
      }
    }
  });

  // Newest day first, so the recent days (plans, shelf checks) are the ones every run has.
  let dayIndex = 0;
  for (let offset = 1; dayIndex < days; offset += 1) {
    const date = addDays(asOfDate, -offset);
    if (new Date(`${date}T00:00:00Z`).getUTCDay() === 0) continue;
    writeDay(date, dayIndex);
    dayIndex += 1;
    if (dayIndex % 50 === 0) log(`  ${total} visits (${date})`);
  }
  return total;
}
