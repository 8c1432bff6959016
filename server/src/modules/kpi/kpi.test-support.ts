import type { Db } from '../../db/database.js';

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
