import type SQLite from 'better-sqlite3';

/**
 * Builds the dataset of the dashboard benchmark straight into SQLite: a 1,000-rep organisation and one
 * year of its records at the volumes the dashboard target is stated for (2,000,000 visits, 200,000
 * contracts, 1,000,000 payment plans), plus the opportunities, receipts, shipments, returns and targets
 * the dashboard also reads. Rows are written with prepared statements in large transactions; the values
 * only need to be plausible for the aggregates (dates, owners, amounts, statuses), not for the screens.
 */

export interface DashboardVolumes {
  reps: number;
  teamSize: number;
  customers: number;
  visits: number;
  opportunities: number;
  contracts: number;
  plansPerContract: number;
  shipments: number;
  returns: number;
}

export const issueVolumes: DashboardVolumes = {
  reps: 1_000,
  teamSize: 12,
  customers: 50_000,
  visits: 2_000_000,
  opportunities: 200_000,
  contracts: 200_000,
  // Five of the seven contract states below carry plans: 200,000 × 5/7 × 7 ≈ 1,000,000 plans.
  plansPerContract: 7,
  shipments: 200_000,
  returns: 20_000,
};

export interface GeneratedOrg {
  executiveId: number;
  /** A team leader and the department they lead. */
  manager: { id: number; departmentId: number };
  /** A rep of that manager's team. */
  rep: { id: number };
}

/** Small deterministic generator (mulberry32), so two runs build the same data. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)) };
}

const dayMs = 86_400_000;

function dateOf(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** Returns an instant of a day at a working hour in Shanghai (01:00–10:00 UTC). */
function instantOf(day: number, random: ReturnType<typeof createRandom>): string {
  return new Date(day * dayMs + random.int(1, 10) * 3_600_000 + random.int(0, 3599) * 1000).toISOString();
}

function inserter(sqlite: SQLite.Database, table: string, columns: string[]) {
  const statement = sqlite.prepare(`insert into ${table} (${columns.join(',')}) values (${columns.map(() => '?').join(',')})`);
  return (values: unknown[]) => statement.run(values);
}

/** Writes the dataset; `asOfDate` is the last day of the year of records. */
export function generateDashboardData(sqlite: SQLite.Database, volumes: DashboardVolumes, asOfDate: string, log: (line: string) => void): GeneratedOrg {
  const random = createRandom(20260615);
  const lastDay = Math.floor(Date.parse(`${asOfDate}T00:00:00Z`) / dayMs);
  const firstDay = lastDay - 364;
  const now = new Date().toISOString();
  sqlite.pragma('foreign_keys = OFF');

  // ---- Organisation ----
  const addDepartment = inserter(sqlite, 'department', ['id', 'platform', 'platform_department_id', 'name', 'parent_id', 'path', 'sort_order', 'active', 'synced_at']);
  const addUser = inserter(sqlite, 'app_user', ['id', 'platform', 'platform_user_id', 'union_id', 'name', 'title', 'avatar_url', 'active', 'left_at', 'synced_at', 'created_at']);
  const addMembership = inserter(sqlite, 'user_department', ['user_id', 'department_id', 'is_leader']);
  const addRole = inserter(sqlite, 'user_role', ['user_id', 'role', 'granted_by', 'granted_at']);
  const teams = Math.ceil(volumes.reps / volumes.teamSize);
  const repIds: number[] = [];
  const teamOf = new Map<number, number>();
  let manager = { id: 0, departmentId: 0 };
  sqlite.transaction(() => {
    addDepartment([1, 'dingtalk', 'bench-1', '基准出版社', null, '/1/', 0, 1, now]);
    addDepartment([2, 'dingtalk', 'bench-2', '发行部', 1, '/1/2/', 1, 1, now]);
    addUser([1, 'dingtalk', 'bench-exec', null, '总经理', null, null, 1, null, now, now]);
    addMembership([1, 1, 1]);
    addRole([1, 'executive', null, now]);
    let userId = 2;
    for (let team = 0; team < teams; team += 1) {
      const departmentId = 3 + team;
      addDepartment([departmentId, 'dingtalk', `bench-${departmentId}`, `第${team + 1}组`, 2, `/1/2/${departmentId}/`, team, 1, now]);
      const size = Math.min(volumes.teamSize, volumes.reps - team * volumes.teamSize);
      for (let member = 0; member < size; member += 1) {
        const id = userId++;
        addUser([id, 'dingtalk', `bench-rep-${id}`, null, `业务员${id}`, null, null, 1, null, now, now]);
        addMembership([id, departmentId, member === 0 ? 1 : 0]);
        addRole([id, 'rep', null, now]);
        if (member === 0) addRole([id, 'manager', null, now]);
        if (team === 0 && member === 0) manager = { id, departmentId };
        repIds.push(id);
        teamOf.set(id, departmentId);
      }
    }
  })();
  log(`org: ${repIds.length} reps in ${teams} teams`);

  // ---- Customers ----
  const province = (sqlite.prepare(`select code from region where level = 'province' limit 1`).get() as { code: string }).code;
  const customerOwner: (number | null)[] = [0];
  const customersOf = new Map<number, number[]>();
  const addCustomer = inserter(sqlite, 'customer', ['id', 'name', 'name_key', 'name_pinyin', 'name_initials', 'search_text', 'type', 'stage', 'stage_changed_at', 'province_code', 'tags', 'owner_id', 'owned_since', 'created_at', 'updated_at', 'version']);
  sqlite.transaction(() => {
    for (let id = 1; id <= volumes.customers; id += 1) {
      const owner = random.next() < 0.05 ? null : repIds[random.int(0, repIds.length - 1)]!;
      const created = instantOf(firstDay - 365 + random.int(0, 729), random);
      addCustomer([id, `客户${id}`, `kehu${id}`, `kehu${id}`, 'kh', `客户${id}`, 'private_store', 'won', created, province, '[]', owner, owner === null ? null : created, created, created, 1]);
      customerOwner.push(owner);
      if (owner !== null) customersOf.set(owner, [...(customersOf.get(owner) ?? []), id]);
    }
  })();
  const ownedCustomer = (owner: number) => {
    const list = customersOf.get(owner);
    return list ? list[random.int(0, list.length - 1)]! : 1;
  };
  log(`customers: ${volumes.customers}`);

  // ---- Visits ----
  const addVisit = inserter(sqlite, 'visit', ['customer_id', 'customer_name', 'owner_id', 'purpose', 'status', 'check_in_at', 'check_in_date', 'received_at', 'radius_m', 'location_status', 'flagged', 'created_at', 'updated_at']);
  const visitBatch = 200_000;
  for (let start = 0; start < volumes.visits; start += visitBatch) {
    sqlite.transaction(() => {
      for (let index = start; index < Math.min(volumes.visits, start + visitBatch); index += 1) {
        const owner = repIds[index % repIds.length]!;
        const day = firstDay + random.int(0, 364);
        const at = instantOf(day, random);
        const customerId = ownedCustomer(owner);
        addVisit([customerId, `客户${customerId}`, owner, 'new_title', 'checked_in', at, dateOf(day), at, 500, 'near', 0, at, at]);
      }
    })();
  }
  log(`visits: ${volumes.visits}`);

  // ---- Opportunities ----
  const stages = ['initial_contact', 'needs_confirmed', 'quoting', 'negotiating', 'won', 'lost'] as const;
  const ranks = { initial_contact: 1, needs_confirmed: 2, quoting: 3, negotiating: 4, won: 5, lost: 2 };
  const addOpportunity = inserter(sqlite, 'opportunity', ['customer_id', 'name', 'kind', 'stage', 'max_stage_rank', 'expected_amount_fen', 'expected_close_date', 'close_date', 'owner_id', 'lost_reason', 'closed_at', 'last_activity_at', 'created_by', 'created_at', 'updated_at']);
  sqlite.transaction(() => {
    for (let index = 0; index < volumes.opportunities; index += 1) {
      const owner = repIds[random.int(0, repIds.length - 1)]!;
      const createdDay = firstDay + random.int(0, 364);
      const stage = stages[random.int(0, stages.length - 1)]!;
      const closed = stage === 'won' || stage === 'lost';
      const closeDay = Math.min(lastDay + 90, createdDay + random.int(10, 120));
      const closedAt = closed ? instantOf(Math.min(lastDay, closeDay), random) : null;
      const created = instantOf(createdDay, random);
      addOpportunity([ownedCustomer(owner), `商机${index}`, 'replenishment', stage, ranks[stage], random.int(10, 500) * 10_000, dateOf(closeDay), closed ? closedAt!.slice(0, 10) : dateOf(closeDay), owner, stage === 'lost' ? '价格' : null, closedAt, closedAt ?? created, owner, created, closedAt ?? created]);
    }
  })();
  log(`opportunities: ${volumes.opportunities}`);

  // ---- Contracts and payment plans ----
  const addContract = inserter(sqlite, 'contract', ['id', 'number', 'customer_id', 'type', 'title', 'status', 'owner_id', 'delivery_terms', 'notes', 'total_list_fen', 'total_net_fen', 'total_quantity', 'has_special_discount', 'approved_content_hash', 'approved_at', 'sealed_at', 'sealed_content_hash', 'archive_number', 'void_reason', 'void_from_status', 'voided_at', 'version', 'created_by', 'created_at', 'updated_at']);
  const addPlan = inserter(sqlite, 'payment_plan', ['customer_id', 'contract_id', 'seq', 'due_date', 'amount_fen', 'allocated_fen', 'status', 'overdue_notified_days', 'created_at']);
  const statuses = ['approved', 'sealed', 'archived', 'archived', 'archived', 'voided', 'draft'];
  sqlite.transaction(() => {
    for (let id = 1; id <= volumes.contracts; id += 1) {
      const owner = repIds[random.int(0, repIds.length - 1)]!;
      const customerId = ownedCustomer(owner);
      const day = firstDay + random.int(0, 364);
      const at = instantOf(day, random);
      const status = statuses[random.int(0, statuses.length - 1)]!;
      const approved = status !== 'draft';
      const sealed = status === 'sealed' || status === 'archived';
      const net = random.int(20, 2000) * 1_000;
      addContract([
        id, `HT-2026-${String(id).padStart(6, '0')}`, customerId, 'purchase_sale', '购销合同', status, owner, '', '', net, net, 100, 0,
        approved ? 'hash' : null, approved ? at : null, sealed ? at : null, sealed ? 'hash' : null, status === 'archived' ? `GD-${id}` : null,
        status === 'voided' ? '取消' : null, status === 'voided' ? 'approved' : null, status === 'voided' ? at : null, 1, owner, at, at,
      ]);
      if (!approved || status === 'voided') continue;
      const installment = Math.floor(net / volumes.plansPerContract);
      for (let seq = 1; seq <= volumes.plansPerContract; seq += 1) {
        const amount = seq === volumes.plansPerContract ? net - installment * (volumes.plansPerContract - 1) : installment;
        const dueDay = day + seq * 30;
        const roll = random.next();
        const allocated = dueDay > lastDay ? (roll < 0.2 ? amount : 0) : roll < 0.75 ? amount : roll < 0.85 ? Math.floor(amount / 2) : 0;
        const planStatus = allocated === 0 ? 'open' : allocated === amount ? 'received' : 'partial';
        addPlan([customerId, id, seq, dateOf(dueDay), amount, allocated, planStatus, 0, at]);
      }
    }
  })();
  const plans = (sqlite.prepare('select count(*) as n from payment_plan').get() as { n: number }).n;
  log(`contracts: ${volumes.contracts}, payment plans: ${plans}`);

  // ---- Receipts: one per received or partly received plan that is due ----
  const addReceipt = inserter(sqlite, 'receipt', ['number', 'customer_id', 'received_date', 'amount_fen', 'allocated_fen', 'payer_name', 'method', 'source', 'status', 'created_by', 'created_at']);
  const receivedPlans = sqlite.prepare(`select customer_id, due_date, allocated_fen from payment_plan where allocated_fen > 0`).all() as { customer_id: number; due_date: string; allocated_fen: number }[];
  let receipts = 0;
  sqlite.transaction(() => {
    for (const plan of receivedPlans) {
      const day = Math.min(lastDay, Math.floor(Date.parse(`${plan.due_date}T00:00:00Z`) / dayMs) + random.int(-10, 20));
      receipts += 1;
      addReceipt([`SK-${receipts}`, plan.customer_id, dateOf(Math.max(firstDay, day)), plan.allocated_fen, plan.allocated_fen, '付款单位', 'bank_transfer', 'manual', 'active', 1, now]);
    }
  })();
  log(`receipts: ${receipts}`);

  // ---- Shipments and returns ----
  const addShipment = inserter(sqlite, 'shipment', ['number', 'customer_id', 'shipped_date', 'terms', 'list_amount_fen', 'net_amount_fen', 'total_quantity', 'source', 'created_by', 'created_at']);
  const addReturn = inserter(sqlite, 'return_order', ['number', 'customer_id', 'return_date', 'terms', 'list_amount_fen', 'net_amount_fen', 'total_quantity', 'credited_fen', 'status', 'reason', 'source', 'created_by', 'created_at']);
  sqlite.transaction(() => {
    for (let index = 1; index <= volumes.shipments; index += 1) {
      const customerId = random.int(1, volumes.customers);
      const list = random.int(10, 3000) * 1_000;
      addShipment([`FH-${index}`, customerId, dateOf(firstDay + random.int(0, 364)), 'sale', list, Math.floor(list * 0.62), 100, 'manual', 1, now]);
    }
    for (let index = 1; index <= volumes.returns; index += 1) {
      const customerId = random.int(1, volumes.customers);
      const list = random.int(1, 300) * 1_000;
      addReturn([`TH-${index}`, customerId, dateOf(firstDay + random.int(0, 364)), 'sale', list, Math.floor(list * 0.62), 10, 0, random.next() < 0.9 ? 'confirmed' : 'pending_approval', '滞销', 'manual', 1, now]);
    }
  })();
  log(`shipments: ${volumes.shipments}, returns: ${volumes.returns}`);

  // ---- Targets: every rep and team, every month ----
  const addTarget = inserter(sqlite, 'sales_target', ['month', 'subject_type', 'subject_id', 'metric', 'value', 'set_by', 'set_at']);
  sqlite.transaction(() => {
    for (let day = firstDay; day <= lastDay; day += 31) {
      const month = dateOf(day).slice(0, 7);
      for (const rep of repIds) {
        addTarget([month, 'user', rep, 'contract_amount', 8_000_000, 1, now]);
        addTarget([month, 'user', rep, 'receipts', 7_000_000, 1, now]);
        addTarget([month, 'user', rep, 'visits', 160, 1, now]);
      }
      for (const departmentId of new Set(teamOf.values())) addTarget([month, 'department', departmentId, 'receipts', 80_000_000, 1, now]);
    }
  })();

  sqlite.pragma('foreign_keys = ON');
  sqlite.exec('analyze');
  return { executiveId: 1, manager, rep: { id: repIds[1]! } };
}
