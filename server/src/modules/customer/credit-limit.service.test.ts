import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { createLogger } from '../../logger.js';
import { evaluateCreditLimit, registerExposureSource, registerReturnRateSource } from './credit-limit.service.js';

let db: Db;
let customerId: number;

beforeAll(async () => {
  db = openDatabase(':memory:').db;
  await migrateToLatest(db, createLogger('silent'));
  const now = new Date().toISOString();
  const row = await db
    .insertInto('customer')
    .values({ name: '测试书店', name_key: '测试书店', short_name: null, name_pinyin: 'ceshishudian', name_initials: 'cssd', search_text: '测试书店', type: 'private_store', stage: 'won', stage_changed_at: now, credit_code: null, province_code: '32', city_code: '3201', county_code: '320106', address: null, latitude: null, longitude: null, tags: '[]', source: null, notes: null, owner_id: null, owned_since: null, department_id: null, credit_limit_fen: 100_000_00, released_at: now, release_reason: null, released_by: null, last_followed_up_at: null, created_by: null, created_at: now, updated_at: now, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  customerId = row.id;
});

afterAll(async () => {
  await db.destroy();
});

describe('evaluateCreditLimit', () => {
  it('adds what is owed and open, subtracts expected returns, and flags a document that crosses the limit', async () => {
    registerExposureSource({ name: 'test_owed', component: 'owed', label: '应收未回款', amountFen: async () => 60_000_00 });
    registerExposureSource({ name: 'test_open', component: 'open', label: '未结报价', amountFen: async () => 20_000_00 });
    registerReturnRateSource(async () => 0.1);

    const within = await evaluateCreditLimit(db, customerId, 20_000_00, '2025-06-30');
    expect(within).toMatchObject({ limitFen: 100_000_00, owedFen: 60_000_00, openFen: 20_000_00, expectedReturnsFen: 6_000_00, exposureFen: 74_000_00, projectedFen: 94_000_00, exceeded: false });

    const over = await evaluateCreditLimit(db, customerId, 30_000_00, '2025-06-30');
    expect(over.exceeded).toBe(true);
    expect(over.breakdown.map((item) => item.name)).toEqual(expect.arrayContaining(['test_owed', 'test_open']));
  });
});
