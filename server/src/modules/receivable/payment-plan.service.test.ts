import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.js';
import { agingTotals, agingTotalsByOwner, createPaymentPlansForContract, sumOutstandingForCustomer } from './payment-plan.service.js';
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
