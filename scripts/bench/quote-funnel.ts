import { sql } from 'kysely';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { listFunnel } from '../../server/src/modules/opportunity/opportunity.service.js';
import { describeMachine, formatTiming, openBenchDatabase, timeRuns } from './quote-bench-kit.js';

/**
 * The sales funnel for a 1,000-rep organisation with 200,000 opportunities (budget: under 200 ms), through
 * the opportunity service as the API calls it: the executive's whole-company funnel, a regional manager's
 * (about 100 reps below them), a team lead's, and one rep's, each with this year's period and the month and
 * quarter forecasts.
 * Run: npx tsx scripts/bench/quote-funnel.ts [opportunities] [reps]
 *
 * Org and customers are written straight into their tables (this measures the funnel, not org sync or the
 * customer module); opportunities are spread over stages, close dates of three years and reps.
 */

const opportunityCount = Number(process.argv[2] ?? 200_000);
const repCount = Number(process.argv[3] ?? 1_000);
const budgetMs = 200;
const stages = ['initial_contact', 'needs_confirmed', 'quoting', 'negotiating', 'won', 'lost'] as const;
const ranks = { initial_contact: 1, needs_confirmed: 2, quoting: 3, negotiating: 4, won: 5, lost: 3 } as const;

const bench = await openBenchDatabase('funnel');
const { db } = bench;
const now = new Date();
const at = now.toISOString();
console.log(`Funnel — ${describeMachine(`SQLite ${bench.sqlite.prepare('select sqlite_version()').pluck().get() as string}, ${repCount} reps, ${opportunityCount} opportunities`)}`);

let started = Date.now();
// Org: company → 10 regions → 10 teams each → 10 reps each; a leader per region and per team.
await db.transaction().execute(async (trx) => {
  const department = async (name: string, parentId: number | null, parentPath: string) => {
    const { id } = await trx.insertInto('department').values({ platform: 'dingtalk', platform_department_id: name, name, parent_id: parentId, path: 'pending', sort_order: 0, active: 1, synced_at: at }).returning('id').executeTakeFirstOrThrow();
    const path = `${parentPath}${id}/`;
    await trx.updateTable('department').set({ path }).where('id', '=', id).execute();
    return { id, path };
  };
  const user = async (name: string, departmentId: number, leader: boolean, role: string) => {
    const { id } = await trx.insertInto('app_user').values({ platform: 'dingtalk', platform_user_id: name, union_id: null, name, title: null, avatar_url: null, active: 1, left_at: null, synced_at: at, created_at: at }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('user_department').values({ user_id: id, department_id: departmentId, is_leader: leader ? 1 : 0 }).execute();
    await trx.insertInto('user_role').values({ user_id: id, role, granted_by: null, granted_at: at }).execute();
    return id;
  };
  const company = await department('company', null, '/');
  await user('executive', company.id, true, 'executive');
  const teamsPerRegion = 10;
  const repsPerTeam = Math.max(1, Math.round(repCount / 100));
  for (let region = 0; region < 10; region += 1) {
    const regionDepartment = await department(`region-${region}`, company.id, company.path);
    await user(`region-lead-${region}`, regionDepartment.id, true, 'manager');
    for (let team = 0; team < teamsPerRegion; team += 1) {
      const teamDepartment = await department(`team-${region}-${team}`, regionDepartment.id, regionDepartment.path);
      for (let rep = 0; rep < repsPerTeam; rep += 1) await user(`rep-${region}-${team}-${rep}`, teamDepartment.id, rep === 0, rep === 0 ? 'manager' : 'rep');
    }
  }
});
const repIds = (await db.selectFrom('app_user').select('id').where('platform_user_id', 'like', 'rep-%').orderBy('id').execute()).map((row) => row.id);

// Customers: the funnel never reads them, but opportunities reference them.
await sql`pragma foreign_keys = off`.execute(db);
const customerCount = Math.max(1, Math.round(opportunityCount / 4));
await db.transaction().execute(async (trx) => {
  for (let start = 1; start <= customerCount; start += 500) {
    const ids = Array.from({ length: Math.min(500, customerCount - start + 1) }, (_, offset) => start + offset);
    // Bench-only shortcut (SQLite json_each): minimal customer rows, written without the customer module.
    await sql`insert into customer (id, name, name_key, name_pinyin, name_initials, search_text, type, stage, stage_changed_at, province_code, tags, created_at, updated_at, version) select value, 'c' || value, 'c' || value, '', '', '', 'private_store', 'target', ${at}, '320000', '[]', ${at}, ${at}, 1 from json_each(${JSON.stringify(ids)})`.execute(trx);
  }
});

const today = now.toISOString().slice(0, 10);
const year = Number(today.slice(0, 4));
await db.transaction().execute(async (trx) => {
  const insertMany = async (rows: Record<string, unknown>[]) => {
    for (let start = 0; start < rows.length; start += 500) await trx.insertInto('opportunity').values(rows.slice(start, start + 500) as never).execute();
  };
  const rows: Record<string, unknown>[] = [];
  for (let index = 0; index < opportunityCount; index += 1) {
    const stage = stages[(index * 7 + (index >> 5)) % stages.length]!;
    const day = new Date(Date.UTC(year - 2, 0, 1) + ((index * 9973) % (3 * 365)) * 86_400_000).toISOString().slice(0, 10);
    rows.push({
      customer_id: (index % customerCount) + 1,
      name: `商机 ${index}`,
      kind: 'replenishment',
      stage,
      max_stage_rank: ranks[stage],
      expected_amount_fen: 100_000 + ((index * 7919) % 5_000_000),
      expected_close_date: day,
      close_date: day,
      owner_id: repIds[index % repIds.length]!,
      competitor: null,
      notes: null,
      lost_reason: stage === 'lost' ? '价格' : null,
      won_contract_id: null,
      closed_at: stage === 'won' || stage === 'lost' ? at : null,
      last_activity_at: at,
      stale_notified_at: null,
      created_by: repIds[index % repIds.length]!,
      created_at: at,
      updated_at: at,
    });
    if (rows.length === 5000) await insertMany(rows.splice(0));
  }
  await insertMany(rows);
});
await sql`pragma foreign_keys = on`.execute(db);
bench.sqlite.exec('analyze');
console.log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const actorOf = async (platformUserId: string) => {
  const row = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', platformUserId).executeTakeFirstOrThrow();
  const actor = await loadActor(db, row.id);
  if (!actor) throw new Error(`no actor ${platformUserId}`);
  return actor;
};
const period = { from: `${year}-01-01`, to: `${year}-12-31` };
const cases: [string, string, object][] = [
  ['executive, whole company, this year', 'executive', period],
  ['executive, whole company, all time', 'executive', {}],
  ['region manager (~100 reps), this year', 'region-lead-3', period],
  ['team lead (~10 reps), this year', 'rep-3-4-0', period],
  ['one rep, this year', 'rep-3-4-5', period],
];
for (const [label, who, query] of cases) {
  const actor = await actorOf(who);
  started = Date.now();
  const timing = await timeRuns(() => listFunnel(db, actor, query, now), 40, 5);
  console.log(formatTiming(label, timing, budgetMs));
}
const plan = (statement: string) => (bench.sqlite.prepare(`explain query plan ${statement}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');
console.log(`plan, all time: ${plan('select stage, max_stage_rank, count(*), sum(expected_amount_fen) from opportunity group by stage, max_stage_rank')}`);
console.log(`plan, one year: ${plan(`select stage, max_stage_rank, count(*), sum(expected_amount_fen) from opportunity where close_date >= '${year}-01-01' and close_date <= '${year}-12-31' group by stage, max_stage_rank`)}`);
bench.dispose();
