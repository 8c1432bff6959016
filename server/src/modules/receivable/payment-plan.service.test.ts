import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.js';
import { allocateReceipt, reverseAllocation } from './allocation.service.js';
import { agingTotals, agingTotalsByOwner, cancelPaymentPlansForContract, createPaymentPlansForContract, sumOutstandingForCustomer } from './payment-plan.service.js';
import { insertReceipt } from './receipt.repository.js';
import { insertTestContract, insertTestCustomer, insertTestUser, openMigratedDatabase } from './receivable.test-support.js';

let db: Db;
let ownerId: number;
let customerId: number;
let contractId: number;
let secondContractId: number;
const now = new Date('2026-03-10T02:00:00Z');

beforeEach(async () => {
  db = await openMigratedDatabase();
  ownerId = await insertTestUser(db, '张伟');
  customerId = await insertTestCustomer(db, { ownerId });
  contractId = await insertTestContract(db, { customerId, ownerId });
  secondContractId = await insertTestContract(db, { customerId, ownerId });
});

afterEach(async () => {
  await db.destroy();
});

const installments = [
  { seq: 1, dueDate: '2026-01-15', amountFen: 500_000 },
  { seq: 2, dueDate: '2026-04-15', amountFen: 300_000 },
];

describe('createPaymentPlansForContract', () => {
  it('creates one open plan per installment', async () => {
    const result = await db.transaction().execute((trx) => createPaymentPlansForContract(trx, { contractId, customerId, ownerId, installments, now }));

    expect(result.created).toBe(true);
    const rows = await db.selectFrom('payment_plan').selectAll().orderBy('seq').execute();
    expect(rows.map((row) => [row.seq, row.due_date, row.amount_fen, row.status])).toEqual([
      [1, '2026-01-15', 500_000, 'open'],
      [2, '2026-04-15', 300_000, 'open'],
    ]);
  });

  it('returns the first plans when called again', async () => {
    const first = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const second = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments: [{ seq: 1, dueDate: '2026-05-01', amountFen: 1 }], now });

    expect(second.created).toBe(false);
    expect(second.planIds).toEqual(first.planIds);
    expect(await db.selectFrom('payment_plan').select('id').execute()).toHaveLength(2);
  });

  it('rejects an installment without amount', async () => {
    await expect(createPaymentPlansForContract(db, { contractId: secondContractId, customerId, ownerId, installments: [{ seq: 1, dueDate: '2026-05-01', amountFen: 0 }], now })).rejects.toMatchObject({
      code: 'installment_amount_invalid',
    });
  });
});

describe('sumOutstandingForCustomer', () => {
  it('sums unpaid plans of the customer', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });

    expect(await sumOutstandingForCustomer(db, customerId)).toBe(800_000);
  });

  it('is zero for a customer with nothing', async () => {
    expect(await sumOutstandingForCustomer(db, customerId)).toBe(0);
  });
});

describe('agingTotals', () => {
  it('puts plans into buckets by days overdue', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });

    const totals = await agingTotals(db, { kind: 'all' }, '2026-03-10');

    const byBucket = Object.fromEntries(totals.buckets.map((bucket) => [bucket.bucket, bucket.amountFen]));
    expect(byBucket).toEqual({ not_due: 300_000, d1_30: 0, d31_60: 500_000, d61_90: 0, over_90: 0 });
    expect(totals.overdueFen).toBe(500_000);
    expect(totals.outstandingFen).toBe(800_000);
  });

  it('counts nothing for a rep outside the owner', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const otherRep = await insertTestUser(db, '李娜');

    const totals = await agingTotals(db, { kind: 'users', userIds: [otherRep] }, '2026-03-10');

    expect(totals.outstandingFen).toBe(0);
  });
});

describe('agingTotalsByOwner', () => {
  it('sums each owner\'s buckets, largest overdue first', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const otherRep = await insertTestUser(db, '李娜');
    const otherCustomer = await insertTestCustomer(db, { ownerId: otherRep });
    const otherContract = await insertTestContract(db, { customerId: otherCustomer, ownerId: otherRep });
    await createPaymentPlansForContract(db, {
      contractId: otherContract,
      customerId: otherCustomer,
      ownerId: otherRep,
      installments: [
        { seq: 1, dueDate: '2025-11-01', amountFen: 900_000 },
        { seq: 2, dueDate: '2026-03-09', amountFen: 100_000 },
        { seq: 3, dueDate: '2026-03-10', amountFen: 50_000 },
      ],
      now,
    });

    const rows = await agingTotalsByOwner(db, { kind: 'all' }, '2026-03-10');

    expect(rows.map((row) => [row.ownerName, row.overdueFen, row.outstandingFen, row.overdueCount])).toEqual([
      ['李娜', 1_000_000, 1_050_000, 2],
      ['张伟', 500_000, 800_000, 1],
    ]);
    const otherBuckets = Object.fromEntries(rows[0]!.buckets.map((bucket) => [bucket.bucket, [bucket.amountFen, bucket.count]]));
    expect(otherBuckets).toEqual({ not_due: [50_000, 1], d1_30: [100_000, 1], d31_60: [0, 0], d61_90: [0, 0], over_90: [900_000, 1] });
  });

  it('lists only owners in the scope', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const otherRep = await insertTestUser(db, '李娜');

    expect(await agingTotalsByOwner(db, { kind: 'users', userIds: [otherRep] }, '2026-03-10')).toEqual([]);
  });
});

describe('cancelPaymentPlansForContract', () => {
  const voidedAt = new Date('2026-03-12T03:00:00Z');

  async function receiptOf(amountFen: number): Promise<number> {
    return insertReceipt(db, {
      number: `SK-TEST-${amountFen}-${Math.random().toString(36).slice(2, 8)}`,
      customer_id: customerId,
      received_date: '2026-03-05',
      amount_fen: amountFen,
      allocated_fen: 0,
      payer_name: '测试书店',
      method: 'bank_transfer',
      bank_reference: null,
      note: null,
      source: 'manual',
      status: 'active',
      created_by: ownerId,
      created_at: now.toISOString(),
      reversed_at: null,
      reversed_by: null,
      reversal_reason: null,
    });
  }

  async function plans() {
    return db.selectFrom('payment_plan').select(['id', 'seq', 'status', 'allocated_fen', 'cancelled_fen', 'cancelled_at']).where('contract_id', '=', contractId).orderBy('seq').execute();
  }

  it('cancels every plan without money', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });

    const changed = await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: '客户取消采购', now: voidedAt });

    expect(changed.map((plan) => [plan.seq, plan.status, plan.cancelledFen])).toEqual([
      [1, 'cancelled', 500_000],
      [2, 'cancelled', 300_000],
    ]);
    expect((await plans()).map((plan) => plan.cancelled_at)).toEqual([voidedAt.toISOString(), voidedAt.toISOString()]);
    expect((await agingTotals(db, { kind: 'all' }, '2026-03-12')).outstandingFen).toBe(0);
    expect((await agingTotalsByOwner(db, { kind: 'all' }, '2026-03-12'))).toEqual([]);
    expect(await sumOutstandingForCustomer(db, customerId)).toBe(0);
  });

  it('writes one audit entry per plan', async () => {
    const { planIds } = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });

    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: '客户取消采购', now: voidedAt });

    const entries = await db.selectFrom('audit_log').select(['entity_id', 'data', 'actor_user_id']).where('action', '=', 'payment_plan.cancelled').orderBy('id').execute();
    expect(entries.map((entry) => Number(entry.entity_id))).toEqual(planIds);
    expect(entries.map((entry) => entry.actor_user_id)).toEqual([ownerId, ownerId]);
    expect(JSON.parse(entries[0]!.data)).toMatchObject({ contractId, seq: 1, amountFen: 500_000, allocatedFen: 0, cancelledFen: 500_000, reason: '客户取消采购' });
  });

  it('keeps allocated money and cancels the rest', async () => {
    const { planIds } = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const receiptId = await receiptOf(200_000);
    await allocateReceipt(db, { receiptId, allocations: [{ planId: planIds[0]!, amountFen: 200_000 }], method: 'manual', actorUserId: ownerId, now });

    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: '合同终止', now: voidedAt });

    expect((await plans()).map((plan) => [plan.status, plan.allocated_fen, plan.cancelled_fen])).toEqual([
      ['cancelled', 200_000, 300_000],
      ['cancelled', 0, 300_000],
    ]);
    const receipt = await db.selectFrom('receipt').select('allocated_fen').where('id', '=', receiptId).executeTakeFirstOrThrow();
    expect(receipt.allocated_fen).toBe(200_000);
  });

  it('leaves a received plan received', async () => {
    const { planIds } = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const receiptId = await receiptOf(500_000);
    await allocateReceipt(db, { receiptId, allocations: [{ planId: planIds[0]!, amountFen: 500_000 }], method: 'manual', actorUserId: ownerId, now });

    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: '合同终止', now: voidedAt });

    const [first, second] = await plans();
    expect([first!.status, first!.allocated_fen, first!.cancelled_fen, first!.cancelled_at]).toEqual(['received', 500_000, 0, voidedAt.toISOString()]);
    expect([second!.status, second!.cancelled_fen]).toEqual(['cancelled', 300_000]);
  });

  it('changes nothing when called again', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: null, now: voidedAt });

    const again = await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: null, now: new Date('2026-03-13T03:00:00Z') });

    expect(again).toEqual([]);
    expect((await plans()).map((plan) => plan.cancelled_at)).toEqual([voidedAt.toISOString(), voidedAt.toISOString()]);
    const entries = await db.selectFrom('audit_log').select('id').where('action', '=', 'payment_plan.cancelled').execute();
    expect(entries).toHaveLength(2);
  });

  it('cancels a reversed allocation instead of reopening the plan', async () => {
    const { planIds } = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    const receiptId = await receiptOf(700_000);
    await allocateReceipt(
      db,
      { receiptId, allocations: [{ planId: planIds[0]!, amountFen: 500_000 }, { planId: planIds[1]!, amountFen: 200_000 }], method: 'manual', actorUserId: ownerId, now },
    );
    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: '合同终止', now: voidedAt });
    const allocations = await db.selectFrom('allocation').select(['id', 'plan_id']).where('receipt_id', '=', receiptId).orderBy('plan_id').execute();

    for (const allocation of allocations) await reverseAllocation(db, { allocationId: allocation.id, actorUserId: ownerId, reason: '退款给客户', now: voidedAt });

    expect((await plans()).map((plan) => [plan.status, plan.allocated_fen, plan.cancelled_fen])).toEqual([
      ['cancelled', 0, 500_000],
      ['cancelled', 0, 300_000],
    ]);
    expect((await agingTotals(db, { kind: 'all' }, '2026-03-12')).outstandingFen).toBe(0);
    const receipt = await db.selectFrom('receipt').select('allocated_fen').where('id', '=', receiptId).executeTakeFirstOrThrow();
    expect(receipt.allocated_fen).toBe(0);
  });

  it('rejects allocating to a cancelled plan', async () => {
    const { planIds } = await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: null, now: voidedAt });
    const receiptId = await receiptOf(100_000);

    const attempt = allocateReceipt(db, { receiptId, allocations: [{ planId: planIds[0]!, amountFen: 100_000 }], method: 'manual', actorUserId: ownerId, now });

    await expect(attempt).rejects.toMatchObject({ code: 'plan_cancelled' });
  });

  it('leaves other contracts\' plans open', async () => {
    await createPaymentPlansForContract(db, { contractId, customerId, ownerId, installments, now });
    await createPaymentPlansForContract(db, { contractId: secondContractId, customerId, ownerId, installments, now });

    await cancelPaymentPlansForContract(db, { contractId, actorUserId: ownerId, reason: null, now: voidedAt });

    const other = await db.selectFrom('payment_plan').select('status').where('contract_id', '=', secondContractId).execute();
    expect(other.map((plan) => plan.status)).toEqual(['open', 'open']);
    expect(await sumOutstandingForCustomer(db, customerId)).toBe(800_000);
  });
});
