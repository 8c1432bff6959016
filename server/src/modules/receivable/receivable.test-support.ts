import pino from 'pino';
import { openDatabase, type Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';

/**
 * Factories for receivable tests that need a migrated database but not the HTTP app: users and
 * customers are inserted directly, because the org sync and customer services are other modules' concern.
 */
export async function openMigratedDatabase(): Promise<Db> {
  const { db } = openDatabase(':memory:');
  await migrateToLatest(db, pino({ level: 'silent' }));
  return db;
}

let userCounter = 0;

export async function insertTestUser(db: Db, name = '测试用户'): Promise<number> {
  userCounter += 1;
  const now = new Date().toISOString();
  const row = await db
    .insertInto('app_user')
    .values({ platform: 'dingtalk', platform_user_id: `test-user-${userCounter}-${Math.random().toString(36).slice(2, 8)}`, union_id: null, name, title: null, avatar_url: null, active: 1, left_at: null, synced_at: now, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let customerCounter = 0;

export async function insertTestCustomer(db: Db, input: { ownerId: number | null; name?: string; creditCode?: string | null }): Promise<number> {
  customerCounter += 1;
  const now = new Date().toISOString();
  const province = await db.selectFrom('region').select('code').where('level', '=', 'province').limit(1).executeTakeFirstOrThrow();
  const name = input.name ?? `测试书店${customerCounter}`;
  const row = await db
    .insertInto('customer')
    .values({
      name,
      name_key: `${name}-${customerCounter}-${Math.random().toString(36).slice(2, 8)}`,
      short_name: null,
      name_pinyin: 'ceshishudian',
      name_initials: 'csd',
      search_text: name,
      type: 'private_store',
      stage: 'won',
      stage_changed_at: now,
      credit_code: input.creditCode ?? null,
      province_code: province.code,
      city_code: null,
      county_code: null,
      address: '测试地址 1 号',
      latitude: null,
      longitude: null,
      tags: '[]',
      source: null,
      notes: null,
      owner_id: input.ownerId,
      owned_since: input.ownerId === null ? null : now,
      department_id: null,
      credit_limit_fen: null,
      released_at: null,
      release_reason: null,
      last_followed_up_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

let contractCounter = 0;

export async function insertTestContract(db: Db, input: { customerId: number; ownerId: number; totalNetFen?: number; status?: string }): Promise<number> {
  contractCounter += 1;
  const now = new Date().toISOString();
  const row = await db
    .insertInto('contract')
    .values({
      number: `HT-2026-${String(100000 + contractCounter + Math.floor(Math.random() * 800000)).slice(0, 6)}`,
      customer_id: input.customerId,
      type: 'purchase_sale',
      title: '测试购销合同',
      status: input.status ?? 'approved',
      owner_id: input.ownerId,
      opportunity_id: null,
      project_id: null,
      quote_id: null,
      start_date: null,
      end_date: null,
      delivery_terms: '',
      notes: '',
      total_list_fen: input.totalNetFen ?? 1_000_000,
      total_net_fen: input.totalNetFen ?? 1_000_000,
      total_quantity: 100,
      has_special_discount: 0,
      approval_id: null,
      approved_content_hash: 'test',
      approved_at: now,
      sealed_at: null,
      sealed_by: null,
      seal_type: null,
      sealed_content_hash: null,
      seal_note: null,
      archived_at: null,
      archived_by: null,
      archive_number: null,
      archive_location: null,
      void_reason: null,
      void_from_status: null,
      void_approval_id: null,
      voided_at: null,
      version: 1,
      created_by: input.ownerId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
