import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { nextMonth, type LedgerEntryKind } from '@shared/receivable-rules.js';
import { postLedgerEntry } from './ledger.service.js';
import { findReceivableCustomer } from './receivable-scope.js';
import { insertTestCustomer, insertTestUser, openMigratedDatabase } from './receivable.test-support.js';
import { computeStatementFigures, loadStatementView, sendStatement } from './statement.service.js';

let db: Db;
let finance: Actor;
let customerId: number;

beforeEach(async () => {
  db = await openMigratedDatabase();
  const financeId = await insertTestUser(db, '高翔');
  finance = { id: financeId, platform: 'dingtalk', platformUserId: 'finance', name: '高翔', roles: ['finance'], departmentIds: [], leaderOfDepartmentIds: [] };
  customerId = await insertTestCustomer(db, { ownerId: await insertTestUser(db, '张伟') });
});

afterEach(async () => {
  await db.destroy();
});

const months = ['2026-01', '2026-02', '2026-03', '2026-04'];
const kinds: LedgerEntryKind[] = ['shipment', 'consignment_settlement', 'return', 'receipt', 'receipt_reversal', 'adjustment'];

const postingArbitrary = fc.record({
  kind: fc.constantFrom(...kinds),
  month: fc.constantFrom(...months),
  day: fc.integer({ min: 1, max: 28 }),
  amountFen: fc.integer({ min: 1, max: 50_000_000 }),
  negativeAdjustment: fc.boolean(),
});

/** Interleaves postings with statement sends: a send freezes a month, later postings into it move on. */
const scriptArbitrary = fc.array(fc.oneof(postingArbitrary.map((posting) => ({ type: 'post' as const, ...posting })), fc.constantFrom(...months).map((month) => ({ type: 'send' as const, month }))), { minLength: 1, maxLength: 40 });

describe('statement figures', () => {
  it('hold the balance identity across months', async () => {
    await fc.assert(
      fc.asyncProperty(scriptArbitrary, async (script) => {
        await db.deleteFrom('statement_line').execute();
        await db.deleteFrom('statement').execute();
        await db.deleteFrom('receivable_entry').execute();
        const customer = (await findReceivableCustomer(db, customerId))!;
        const frozen = new Map<string, unknown>();

        let sourceId = 0;
        for (const step of script) {
          if (step.type === 'post') {
            sourceId += 1;
            const amount = step.kind === 'adjustment' && step.negativeAdjustment ? -step.amountFen : step.amountFen;
            await postLedgerEntry(db, { customerId, kind: step.kind, sourceId, documentNumber: `D${sourceId}`, entryDate: `${step.month}-${String(step.day).padStart(2, '0')}`, amountFen: amount, description: '测试', now: new Date() });
            continue;
          }
          const alreadySent = await db.selectFrom('statement').select('id').where('month', '=', step.month).executeTakeFirst();
          if (alreadySent) continue;
          await sendStatement(db, finance, { customerId, month: step.month }, { now: new Date(), today: '2026-12-31', publicUrl: 'https://crm.example.com' });
          frozen.set(step.month, (await loadStatementView(db, customer, step.month, { limit: 1000, offset: 0 })).statement.figures);
        }

        let expectedOpening = 0;
        for (let month = '2025-12'; month <= '2026-06'; month = nextMonth(month)) {
          const view = await loadStatementView(db, customer, month, { limit: 1000, offset: 0 });
          const figures = view.statement.figures;
          expect(figures.openingBalanceFen).toBe(expectedOpening);
          expect(figures.closingBalanceFen).toBe(figures.openingBalanceFen + figures.shippedFen - figures.returnedFen - figures.receivedFen + figures.adjustedFen);
          const lineSum = view.lines.reduce((sum, line) => sum + line.amountFen, 0);
          expect(figures.openingBalanceFen + lineSum).toBe(figures.closingBalanceFen);
          if (frozen.has(month)) expect(figures).toEqual(frozen.get(month));
          expectedOpening = figures.closingBalanceFen;
        }
        const total = await db.selectFrom('receivable_entry').select((eb) => eb.fn.sum<number>('amount_fen').as('sum')).executeTakeFirstOrThrow();
        expect(expectedOpening).toBe(Number(total.sum ?? 0));
      }),
      { numRuns: 60 },
    );
  });

  it('books an entry dated in a sent month into the next month', async () => {
    await postLedgerEntry(db, { customerId, kind: 'shipment', sourceId: 1, documentNumber: 'FH1', entryDate: '2026-01-10', amountFen: 10_000, description: '发货', now: new Date() });
    await sendStatement(db, finance, { customerId, month: '2026-01' }, { now: new Date(), today: '2026-02-01', publicUrl: 'https://crm.example.com' });

    await postLedgerEntry(db, { customerId, kind: 'receipt', sourceId: 2, documentNumber: 'HK1', entryDate: '2026-01-20', amountFen: 4_000, description: '回款', now: new Date() });

    expect(await computeStatementFigures(db, customerId, '2026-01')).toMatchObject({ closingBalanceFen: 10_000 });
    expect(await computeStatementFigures(db, customerId, '2026-02')).toMatchObject({ openingBalanceFen: 10_000, receivedFen: 4_000, closingBalanceFen: 6_000 });
  });

  it('refuses to send a month twice', async () => {
    await sendStatement(db, finance, { customerId, month: '2026-01' }, { now: new Date(), today: '2026-02-01', publicUrl: 'https://crm.example.com' });

    await expect(sendStatement(db, finance, { customerId, month: '2026-01' }, { now: new Date(), today: '2026-02-01', publicUrl: 'https://crm.example.com' })).rejects.toMatchObject({ code: 'statement_already_sent' });
  });
});
