import { createCustomerRequestSchema } from '@shared/api/customer.js';
import type { Db } from '../../db/database.js';
import type { TestServer } from '../../test-support/test-server.js';
import { createCustomer } from '../customer/customer-profile.service.js';
import { actorOf } from '../project/project.test-support.js';

/**
 * Record factories for KPI tests. They insert rows with chosen dates straight into the owning modules'
 * tables, because the figures under test depend on dates (created, approved, shipped, received) that the
 * modules' own services stamp with the current time.
 */

let serial = 0;
function next(): number {
  serial += 1;
  return serial;
}

export async function insertVisit(db: Db, input: { ownerId: number; customerId: number; date: string }): Promise<number> {
  const at = `${input.date}T02:00:00.000Z`;
  const row = await db
    .insertInto('visit')
    .values({
      customer_id: input.customerId,
      customer_name: '测试客户',
      owner_id: input.ownerId,
      purpose: 'other',
      status: 'checked_in',
      check_in_at: at,
      check_in_date: input.date,
      received_at: at,
      delayed_upload: 0,
      latitude: null,
      longitude: null,
      accuracy_m: null,
      coordinate_system: null,
      address: null,
      location_failure: null,
      distance_m: null,
      radius_m: 500,
      location_status: 'customer_unlocated',
      flagged: 0,
      flag_reason: null,
      set_customer_location: 0,
      plan_id: null,
      notes: '',
      outcome: '',
      next_step: '',
      follow_up_date: null,
      follow_up_done_at: null,
      check_out_at: null,
      duration_minutes: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const stageRank = { initial_contact: 1, needs_confirmed: 2, quoting: 3, negotiating: 4, won: 5, lost: 2 } as const;

export async function insertOpportunity(
  db: Db,
  input: { ownerId: number; customerId: number; createdAt: string; stage: keyof typeof stageRank; closedAt?: string; amountFen?: number; closeDate?: string },
): Promise<number> {
  const closed = input.stage === 'won' || input.stage === 'lost';
  const closeDate = input.closeDate ?? (input.closedAt ?? input.createdAt).slice(0, 10);
  const row = await db
    .insertInto('opportunity')
    .values({
      customer_id: input.customerId,
      name: `测试商机${next()}`,
      kind: 'replenishment',
      stage: input.stage,
      max_stage_rank: stageRank[input.stage],
      expected_amount_fen: input.amountFen ?? 1_000_000,
      expected_close_date: closeDate,
      close_date: closeDate,
      owner_id: input.ownerId,
      competitor: null,
      notes: null,
      lost_reason: input.stage === 'lost' ? '价格没有优势' : null,
      won_contract_id: null,
      closed_at: closed ? input.closedAt! : null,
      last_activity_at: input.closedAt ?? input.createdAt,
      stale_notified_at: null,
      created_by: input.ownerId,
      created_at: input.createdAt,
      updated_at: input.closedAt ?? input.createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertContract(db: Db, input: { ownerId: number; customerId: number; approvedAt: string; totalNetFen: number; status?: string }): Promise<number> {
  const status = input.status ?? 'approved';
  const sealed = status === 'sealed' || status === 'archived';
  const row = await db
    .insertInto('contract')
    .values({
      number: `HT-2026-${String(next()).padStart(6, '0')}`,
      customer_id: input.customerId,
      type: 'purchase_sale',
      title: '测试购销合同',
      status,
      owner_id: input.ownerId,
      opportunity_id: null,
      project_id: null,
      quote_id: null,
      start_date: null,
      end_date: null,
      delivery_terms: '',
      notes: '',
      total_list_fen: input.totalNetFen,
      total_net_fen: input.totalNetFen,
      total_quantity: 100,
      has_special_discount: 0,
      approval_id: null,
      approved_content_hash: 'test-approved-hash',
      approved_at: input.approvedAt,
      sealed_at: sealed ? input.approvedAt : null,
      sealed_by: sealed ? input.ownerId : null,
      seal_type: sealed ? 'contract_seal' : null,
      sealed_content_hash: sealed ? 'test-approved-hash' : null,
      seal_note: null,
      archived_at: status === 'archived' ? input.approvedAt : null,
      archived_by: status === 'archived' ? input.ownerId : null,
      archive_number: status === 'archived' ? `GD-TEST-${next()}` : null,
      archive_location: null,
      void_reason: status === 'voided' ? '客户取消' : null,
      void_from_status: status === 'voided' ? 'approved' : null,
      void_approval_id: null,
      voided_at: status === 'voided' ? input.approvedAt : null,
      version: 1,
      created_by: input.ownerId,
      created_at: input.approvedAt,
      updated_at: input.approvedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertShipment(db: Db, input: { customerId: number; createdBy: number; date: string; listFen: number; netFen: number }): Promise<number> {
  const row = await db
    .insertInto('shipment')
    .values({
      number: `FH-TEST-${next()}`,
      customer_id: input.customerId,
      contract_id: null,
      shipped_date: input.date,
      terms: 'sale',
      list_amount_fen: input.listFen,
      net_amount_fen: input.netFen,
      total_quantity: 10,
      source: 'manual',
      note: null,
      created_by: input.createdBy,
      created_at: `${input.date}T02:00:00.000Z`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertReturn(db: Db, input: { customerId: number; createdBy: number; date: string; listFen: number; netFen: number; status?: 'confirmed' | 'pending_approval' }): Promise<number> {
  const status = input.status ?? 'confirmed';
  const row = await db
    .insertInto('return_order')
    .values({
      number: `TH-TEST-${next()}`,
      customer_id: input.customerId,
      contract_id: null,
      shipment_id: null,
      return_date: input.date,
      terms: 'sale',
      list_amount_fen: input.listFen,
      net_amount_fen: input.netFen,
      total_quantity: 2,
      credited_fen: 0,
      status,
      approval_id: null,
      reason: '破损',
      source: 'manual',
      created_by: input.createdBy,
      created_at: `${input.date}T02:00:00.000Z`,
      confirmed_at: status === 'confirmed' ? `${input.date}T02:00:00.000Z` : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertReceipt(db: Db, input: { customerId: number; createdBy: number; date: string; amountFen: number; status?: 'active' | 'reversed' }): Promise<number> {
  const status = input.status ?? 'active';
  const row = await db
    .insertInto('receipt')
    .values({
      number: `SK-TEST-${next()}`,
      customer_id: input.customerId,
      received_date: input.date,
      amount_fen: input.amountFen,
      allocated_fen: 0,
      payer_name: '测试付款人',
      method: 'bank_transfer',
      bank_reference: null,
      note: null,
      source: 'manual',
      status,
      created_by: input.createdBy,
      created_at: `${input.date}T02:00:00.000Z`,
      reversed_at: status === 'reversed' ? `${input.date}T03:00:00.000Z` : null,
      reversed_by: status === 'reversed' ? input.createdBy : null,
      reversal_reason: status === 'reversed' ? '录入错误' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertPlan(db: Db, input: { customerId: number; contractId: number; dueDate: string; amountFen: number; allocatedFen?: number }): Promise<number> {
  const allocated = input.allocatedFen ?? 0;
  const row = await db
    .insertInto('payment_plan')
    .values({
      customer_id: input.customerId,
      contract_id: input.contractId,
      consignment_settlement_id: null,
      seq: next(),
      due_date: input.dueDate,
      amount_fen: input.amountFen,
      allocated_fen: allocated,
      status: allocated === 0 ? 'open' : allocated >= input.amountFen ? 'received' : 'partial',
      overdue_notified_days: 0,
      created_at: `${input.dueDate}T02:00:00.000Z`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves a customer's creation time, e.g. to put it before or after the period under test. */
export async function setCustomerCreatedAt(db: Db, customerId: number, createdAt: string): Promise<void> {
  await db.updateTable('customer').set({ created_at: createdAt }).where('id', '=', customerId).execute();
}

/**
 * A hand-computed fixture for March 2026 (today 2026-03-10, Asia/Shanghai). 张伟 and 李娜 are reps of
 * 华东片区 led by 王磊 (刘洋, also a rep there, has no records); 孙丽 is a rep of 华北片区; 陈国栋 is
 * the executive. Records dated outside March, voided, reversed or pending are there to be left out.
 */
export async function seedMarchFixture(server: TestServer): Promise<void> {
  const userIds: Record<string, number> = {};
  for (const user of ['zhangwei01', 'lina01', 'sunli01', 'zhuhongmei01']) userIds[user] = await server.userId(user);
  const db = server.db;
  const customer = async (owner: string, name: string, createdAt: string, toPool = false): Promise<number> => {
    const actor = await actorOf(server, owner);
    const created = await createCustomer(db, actor, createCustomerRequestSchema.parse({ name, type: 'library', regionCode: '320102', toPool }), new Date());
    await setCustomerCreatedAt(db, created.id, createdAt);
    return created.id;
  };
  const zhang = userIds.zhangwei01!;
  const li = userIds.lina01!;
  const sun = userIds.sunli01!;

  const cZ1 = await customer('zhangwei01', '苏州市图书馆', '2026-03-02T02:00:00.000Z');
  const cZ2 = await customer('zhangwei01', '无锡市图书馆', '2026-02-20T02:00:00.000Z');
  // 2026-03-01 00:30 in Shanghai, still February in UTC: counts for March.
  await customer('zhangwei01', '常州市图书馆', '2026-02-28T16:30:00.000Z');
  const cL1 = await customer('lina01', '南通市图书馆', '2026-03-05T02:00:00.000Z');
  // 2026-04-01 00:30 in Shanghai: April.
  await customer('lina01', '扬州市图书馆', '2026-03-31T16:30:00.000Z');
  const cS1 = await customer('sunli01', '天津图书馆', '2026-03-03T02:00:00.000Z');
  const cP = await customer('wanglei01', '镇江市图书馆', '2026-03-04T02:00:00.000Z', true);

  await insertVisit(db, { ownerId: zhang, customerId: cZ1, date: '2026-03-02' });
  await insertVisit(db, { ownerId: zhang, customerId: cZ1, date: '2026-03-05' });
  await insertVisit(db, { ownerId: zhang, customerId: cZ2, date: '2026-03-06' });
  await insertVisit(db, { ownerId: zhang, customerId: cZ2, date: '2026-02-27' });
  await insertVisit(db, { ownerId: li, customerId: cL1, date: '2026-03-03' });
  await insertVisit(db, { ownerId: li, customerId: cZ1, date: '2026-03-04' });
  await insertVisit(db, { ownerId: sun, customerId: cS1, date: '2026-03-03' });

  await insertOpportunity(db, { ownerId: zhang, customerId: cZ1, createdAt: '2026-03-01T03:00:00.000Z', stage: 'quoting', closeDate: '2026-03-25' });
  await insertOpportunity(db, { ownerId: zhang, customerId: cZ1, createdAt: '2026-02-10T03:00:00.000Z', stage: 'won', closedAt: '2026-03-03T03:00:00.000Z' });
  await insertOpportunity(db, { ownerId: zhang, customerId: cZ2, createdAt: '2026-03-04T03:00:00.000Z', stage: 'lost', closedAt: '2026-03-06T03:00:00.000Z' });
  await insertOpportunity(db, { ownerId: li, customerId: cL1, createdAt: '2026-03-02T03:00:00.000Z', stage: 'won', closedAt: '2026-03-08T03:00:00.000Z' });
  await insertOpportunity(db, { ownerId: sun, customerId: cS1, createdAt: '2026-03-02T03:00:00.000Z', stage: 'initial_contact', closeDate: '2026-04-30' });

  const kZ1 = await insertContract(db, { ownerId: zhang, customerId: cZ1, approvedAt: '2026-03-03T03:00:00.000Z', totalNetFen: 1_000_000 });
  await insertContract(db, { ownerId: zhang, customerId: cZ1, approvedAt: '2026-02-25T03:00:00.000Z', totalNetFen: 500_000 });
  await insertContract(db, { ownerId: zhang, customerId: cZ2, approvedAt: '2026-03-05T03:00:00.000Z', totalNetFen: 200_000, status: 'voided' });
  await insertContract(db, { ownerId: li, customerId: cL1, approvedAt: '2026-03-09T03:00:00.000Z', totalNetFen: 300_000, status: 'sealed' });
  const kS1 = await insertContract(db, { ownerId: sun, customerId: cS1, approvedAt: '2026-03-01T03:00:00.000Z', totalNetFen: 700_000, status: 'archived' });

  const finance = userIds.zhuhongmei01!;
  await insertShipment(db, { customerId: cZ1, createdBy: finance, date: '2026-03-02', listFen: 2_000_000, netFen: 1_200_000 });
  await insertShipment(db, { customerId: cL1, createdBy: finance, date: '2026-03-04', listFen: 1_000_000, netFen: 600_000 });
  await insertShipment(db, { customerId: cL1, createdBy: finance, date: '2026-02-20', listFen: 500_000, netFen: 300_000 });
  await insertShipment(db, { customerId: cS1, createdBy: finance, date: '2026-03-05', listFen: 800_000, netFen: 480_000 });
  await insertReturn(db, { customerId: cZ1, createdBy: finance, date: '2026-03-06', listFen: 200_000, netFen: 120_000 });
  await insertReturn(db, { customerId: cZ1, createdBy: finance, date: '2026-03-07', listFen: 100_000, netFen: 60_000, status: 'pending_approval' });
  await insertReceipt(db, { customerId: cZ1, createdBy: finance, date: '2026-03-03', amountFen: 500_000 });
  await insertReceipt(db, { customerId: cZ1, createdBy: finance, date: '2026-03-04', amountFen: 100_000, status: 'reversed' });
  await insertReceipt(db, { customerId: cL1, createdBy: finance, date: '2026-03-09', amountFen: 300_000 });
  await insertReceipt(db, { customerId: cP, createdBy: finance, date: '2026-03-05', amountFen: 50_000 });
  await insertPlan(db, { customerId: cZ1, contractId: kZ1, dueDate: '2026-03-01', amountFen: 400_000, allocatedFen: 100_000 });
  await insertPlan(db, { customerId: cZ1, contractId: kZ1, dueDate: '2026-03-20', amountFen: 200_000 });
  await insertPlan(db, { customerId: cS1, contractId: kS1, dueDate: '2026-02-15', amountFen: 250_000 });

  await server.request('PUT', '/api/targets', {
    token: await server.login('wanglei01'),
    body: { month: '2026-03', items: [{ subjectType: 'user', subjectId: zhang, metric: 'contract_amount', value: 2_000_000 }, { subjectType: 'user', subjectId: zhang, metric: 'receipts', value: 400_000 }] },
  });
}
