import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchNotifications } from '../../jobs/notification-dispatcher.js';
import { fixedClock } from '../../lib/clock.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { putSetting } from '../settings/settings.service.js';
import { runOverdueScan } from './overdue-scan.js';
import { cancelPaymentPlansForContract } from './payment-plan.service.js';
import { ReceivableTestClient } from './receivable.route-support.js';
import { defaultReceivableSettings } from './receivable.settings.js';

let server: TestServer;
let client: ReceivableTestClient;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  server = await startTestServer();
  client = new ReceivableTestClient(server);
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  // Each test looks only at its own plans: mark every earlier plan as received (cancelled ones are closed already).
  await server.db.updateTable('payment_plan').set((eb) => ({ allocated_fen: eb.ref('amount_fen'), status: 'received' })).where('status', '<>', 'cancelled').execute();
  await server.db.deleteFrom('outbox').execute();
  await fetch(`${server.fakePlatformUrl}/__fake/messages`, { method: 'DELETE' });
});

function scan(at: string, extra: Partial<Parameters<typeof runOverdueScan>[0]> = {}) {
  return runOverdueScan({ db: server.db, logger, at: new Date(at), timeZone: 'Asia/Shanghai', publicUrl: 'https://crm.example.com', ...extra });
}

async function overdueKeys(): Promise<string[]> {
  const rows = await server.db.selectFrom('outbox').select('dedup_key').where('dedup_key', 'like', 'overdue:%').orderBy('dedup_key').execute();
  return rows.map((row) => row.dedup_key);
}

async function userIds(...names: string[]): Promise<number[]> {
  return Promise.all(names.map((name) => server.userId(name)));
}

describe('runOverdueScan', () => {
  it('does not count a plan due today at 23:59 local time', async () => {
    const { planIds } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-03-10', amountFen: 10_000 }]);

    // 2026-03-10T15:59Z is 23:59 on 10 March in Shanghai.
    const result = await scan('2026-03-10T15:59:00Z');

    expect(result.asOfDate).toBe('2026-03-10');
    expect(await overdueKeys()).toEqual([]);
    expect(planIds).toHaveLength(1);
  });

  it('counts it at 00:00 local although UTC is still on the due date', async () => {
    const { planIds } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-03-10', amountFen: 10_000 }]);
    const [rep] = await userIds('zhangwei01');

    const result = await scan('2026-03-10T16:00:00Z');

    expect(result.asOfDate).toBe('2026-03-11');
    expect(await overdueKeys()).toEqual([`overdue:${planIds[0]}:1:${rep}`]);
  });

  it('widens the audience at 7 and 30 days', async () => {
    const { planIds } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 10_000 }]);
    const planId = planIds[0]!;
    const [rep, leader, financeLead, accountant, generalManager] = await userIds('zhangwei01', 'wanglei01', 'zhuhongmei01', 'gaoxiang01', 'chenguodong01');

    await scan('2026-01-02T02:00:00Z');
    await scan('2026-01-08T02:00:00Z');
    await scan('2026-01-31T02:00:00Z');

    expect(await overdueKeys()).toEqual(
      [
        `overdue:${planId}:1:${rep}`,
        `overdue:${planId}:7:${rep}`,
        `overdue:${planId}:7:${leader}`,
        `overdue:${planId}:30:${rep}`,
        `overdue:${planId}:30:${leader}`,
        `overdue:${planId}:30:${financeLead}`,
        `overdue:${planId}:30:${accountant}`,
        `overdue:${planId}:30:${generalManager}`,
      ].sort(),
    );
  });

  it('sends only the highest threshold for a plan first seen late', async () => {
    const { planIds } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 10_000 }]);

    await scan('2026-02-05T02:00:00Z');

    const keys = await overdueKeys();
    expect(keys).toHaveLength(5);
    expect(keys.every((key) => key.startsWith(`overdue:${planIds[0]}:30:`))).toBe(true);
  });

  it('skips plans that are fully received', async () => {
    const { customerId } = await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 10_000 }]);
    await client.call('gaoxiang01', 'POST', '/receivables/receipts', { customerId, receivedDate: '2026-01-01', amountFen: 10_000, payerName: '客户', method: 'bank_transfer' });

    await scan('2026-01-10T02:00:00Z');

    expect(await overdueKeys()).toEqual([]);
  });

  it('skips plans of a voided contract', async () => {
    const { contractId } = await client.customerWithPlans('zhangwei01', [
      { seq: 1, dueDate: '2026-01-01', amountFen: 10_000 },
      { seq: 2, dueDate: '2026-01-05', amountFen: 20_000 },
    ]);
    await cancelPaymentPlansForContract(server.db, { contractId, actorUserId: null, reason: '合同作废', now: new Date('2026-01-01T10:00:00Z') });

    await scan('2026-01-02T02:00:00Z');
    await scan('2026-01-12T02:00:00Z');
    await scan('2026-02-10T02:00:00Z');

    expect(await overdueKeys()).toEqual([]);
  });

  it('queues each notice once when two scans run at the same time', async () => {
    for (let index = 0; index < 6; index += 1) await client.customerWithPlans('lina01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 10_000 + index }]);

    const results = await Promise.all([scan('2026-01-09T02:00:00Z', { batchSize: 2 }), scan('2026-01-09T02:00:00Z', { batchSize: 2 })]);

    // 6 plans × (rep + leader) at the 7-day threshold, split between the two runs.
    expect(results[0].noticesQueued + results[1].noticesQueued).toBe(12);
    expect(await overdueKeys()).toHaveLength(12);
  });

  it('sends each notice once after a crash mid-run and a rerun', async () => {
    for (let index = 0; index < 5; index += 1) await client.customerWithPlans('lina01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 20_000 + index }]);
    const crash = async (batch: number) => {
      if (batch === 2) throw new Error('simulated crash');
    };

    await expect(scan('2026-01-02T02:00:00Z', { batchSize: 2, afterBatch: crash })).rejects.toThrow('simulated crash');
    const partial = (await overdueKeys()).length;
    await scan('2026-01-02T02:00:00Z', { batchSize: 2 });
    await scan('2026-01-02T02:00:00Z', { batchSize: 2 });

    expect(partial).toBe(4);
    expect(await overdueKeys()).toHaveLength(5);
    await dispatchNotifications({ db: server.db, platform: server.server.platform, clock: fixedClock(new Date()), logger });
    const response = await fetch(`${server.fakePlatformUrl}/__fake/messages?userid=lina01`);
    const { messages } = (await response.json()) as { messages: { body: unknown }[] };
    expect(messages).toHaveLength(5);
  });

  it('folds notices past the per-person limit into a summary', async () => {
    await putSetting(server.db, 'receivable', { ...defaultReceivableSettings, overdue: { ...defaultReceivableSettings.overdue, maxNoticesPerRecipient: 2 } }, null, new Date());
    for (let index = 0; index < 4; index += 1) await client.customerWithPlans('hejing01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 30_000 + index }]);

    const result = await scan('2026-01-02T02:00:00Z');
    await putSetting(server.db, 'receivable', defaultReceivableSettings, null, new Date());

    expect(result.noticesQueued).toBe(2);
    expect(result.summariesQueued).toBe(1);
    expect(result.plansNotified).toBe(4);
    const summary = await server.db.selectFrom('outbox').select('payload').where('dedup_key', 'like', 'overdue-summary:2026-01-02:%').executeTakeFirstOrThrow();
    expect(JSON.parse(summary.payload).title).toBe('另有 2 笔回款逾期');
  });

  it('carries customer, contract, amount, days and the plan link', async () => {
    const { planIds } = await client.customerWithPlans('zhangwei01', [{ seq: 2, dueDate: '2026-01-01', amountFen: 123_456 }], { name: '温州新华书店有限公司' });

    await scan('2026-01-08T02:00:00Z');

    const row = await server.db.selectFrom('outbox').select('payload').where('dedup_key', 'like', `overdue:${planIds[0]}:7:%`).executeTakeFirstOrThrow();
    const payload = JSON.parse(row.payload) as { fields: { label: string; value: string }[]; url: string };
    const fields = Object.fromEntries(payload.fields.map((field) => [field.label, field.value]));
    expect(fields['客户']).toBe('温州新华书店有限公司');
    expect(fields['合同']).toMatch(/^HT-2026-/);
    expect(fields['逾期金额']).toBe('¥1,234.56');
    expect(fields['逾期天数']).toBe('7 天');
    expect(payload.url).toBe(`https://crm.example.com/receivables/plans/${planIds[0]}`);
  });
});

describe('sendOverdueDigests', () => {
  it('sends managers one digest a day', async () => {
    await client.customerWithPlans('zhangwei01', [{ seq: 1, dueDate: '2026-01-01', amountFen: 50_000 }]);
    const { sendOverdueDigests } = await import('./overdue-digest.js');
    const input = { db: server.db, logger, asOfDate: '2026-03-02', at: new Date('2026-03-02T01:00:00Z'), publicUrl: 'https://crm.example.com' };

    const first = await sendOverdueDigests(input);
    const second = await sendOverdueDigests(input);

    expect(first).toBeGreaterThan(0);
    expect(second).toBe(0);
    const recipients = await server.db.selectFrom('outbox').select('recipient_user_id').where('dedup_key', 'like', 'overdue-digest:2026-03-02:%').execute();
    const ids = recipients.map((row) => row.recipient_user_id);
    const [teamLeader, legalLeader, officeAdmin] = await userIds('wanglei01', 'huming01', 'handong01');
    expect(ids).toContain(teamLeader);
    expect(ids).not.toContain(legalLeader);
    expect(ids).not.toContain(officeAdmin);
  });
});
