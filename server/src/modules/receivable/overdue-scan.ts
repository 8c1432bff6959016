import type { Logger } from 'pino';
import { formatYuan } from '@shared/money.js';
import { daysOverdue, overdueNoticeDedupKey, overdueTiers, shiftDate, type OverdueAudience, type OverdueTier } from '@shared/receivable-rules.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { queueNotice, type NoticeContent } from '../notification/notification.service.js';
import { findLeaderAbove } from '../org/org.service.js';
import { listUsersWithRole } from '../org/org.repository.js';
import {
  addOverdueOverflow,
  listLeadingExecutiveIds,
  listNotifiedLevels,
  listPendingOverdueOverflow,
  listPlansDueForNotice,
  markOverdueOverflowFlushed,
  markPlansNotified,
  type PlanDueForNotice,
} from './overdue.repository.js';
import { listContractNumbers, listCustomerNames } from './receivable-scope.js';
import { getReceivableSettings } from './receivable.settings.js';

export interface OverdueScanInput {
  db: Db;
  logger: Logger;
  /** The instant the scan runs as of; overdue days are counted in `timeZone`. */
  at: Date;
  timeZone: string;
  publicUrl: string;
  /** Plans per transaction. A crash loses at most the batch in flight, which the next run redoes. */
  batchSize?: number;
  /** Called after each committed batch; tests throw from it to simulate a crash mid-run. */
  afterBatch?: (batchNumber: number) => Promise<void>;
}

export interface OverdueScanResult {
  asOfDate: string;
  plansNotified: number;
  noticesQueued: number;
  summariesQueued: number;
  durationMs: number;
}

/**
 * The daily overdue scan. It looks for unpaid plans whose days overdue reached a threshold they were
 * not yet notified of. For each it queues the notices of the highest such tier (rep at 1 day, rep and
 * department leader at 7, also finance and the general manager at 30, configurable) and records the
 * tier on the plan, in the same transaction.
 *
 * Each notice's outbox dedup key is `overdue:<plan>:<threshold>:<user>`, so a recipient gets at most one
 * notice per plan and threshold ever: a second scan at the same time, or a rerun after a crash between
 * batches, finds the keys taken. Past `maxNoticesPerRecipient` notices in one run, a person's further
 * plans are counted instead and sent as one summary per day, so a rep with hundreds of overdue plans
 * stays within the platforms' per-user daily message limits.
 */
export async function runOverdueScan(input: OverdueScanInput): Promise<OverdueScanResult> {
  const started = Date.now();
  const settings = await getReceivableSettings(input.db);
  const asOfDate = localDate(input.at, input.timeZone);
  const tiers = overdueTiers(settings.overdue);
  const batchSize = input.batchSize ?? 500;
  const recipients = new RecipientResolver();
  const sentPerRecipient = new Map<number, number>();
  const result: OverdueScanResult = { asOfDate, plansNotified: 0, noticesQueued: 0, summariesQueued: 0, durationMs: 0 };
  let batchNumber = 0;

  // Highest tier first, so a plan first seen at 35 days is handled at 30 and is then past the lower tiers.
  const levels = await listNotifiedLevels(input.db);
  for (const tier of [...tiers].reverse()) {
    const cutoffDueDate = shiftDate(asOfDate, -tier.days);
    for (const notifiedDays of levels.filter((level) => level < tier.days)) {
      let after: { dueDate: string; id: number } | null = null;
      for (;;) {
        const plans = await listPlansDueForNotice(input.db, { notifiedDays, cutoffDueDate, after, limit: batchSize });
        if (plans.length === 0) break;
        const last = plans[plans.length - 1]!;
        after = { dueDate: last.due_date, id: last.id };
        await input.db.transaction().execute(async (trx) => {
          const batch = await noticeBatch(trx, plans, tier, { asOfDate, recipients, sentPerRecipient, maxPerRecipient: settings.overdue.maxNoticesPerRecipient, at: input.at, publicUrl: input.publicUrl });
          result.plansNotified += batch.plansNotified;
          result.noticesQueued += batch.noticesQueued;
        });
        batchNumber += 1;
        await input.afterBatch?.(batchNumber);
      }
    }
  }

  result.summariesQueued = await flushOverdueOverflow(input.db, input.at, input.publicUrl);
  result.durationMs = Date.now() - started;
  input.logger.info({ ...result }, 'overdue scan done');
  return result;
}

interface BatchContext {
  asOfDate: string;
  recipients: RecipientResolver;
  sentPerRecipient: Map<number, number>;
  maxPerRecipient: number;
  at: Date;
  publicUrl: string;
}

/**
 * Queues one batch's notices at `tier`. Every plan of the batch has reached the tier (the query's
 * cutoff) and is below it. The plans are marked first in one statement, and only those this run moved
 * get notices.
 */
async function noticeBatch(trx: DbExecutor, plans: PlanDueForNotice[], tier: OverdueTier, context: BatchContext) {
  const moved = await markPlansNotified(trx, plans.map((plan) => plan.id), tier.days);
  const [customers, contractNumbers] = await Promise.all([listCustomerNames(trx, plans.map((plan) => plan.customer_id)), listContractNumbers(trx, plans.map((plan) => plan.contract_id))]);
  const overflow = new Map<number, { count: number; amountFen: number }>();
  let noticesQueued = 0;
  let plansNotified = 0;

  for (const plan of plans) {
    // A plan without recipients (no owner) is marked all the same, so it does not come back every batch.
    if (!moved.has(plan.id)) continue;
    plansNotified += 1;
    const days = daysOverdue(plan.due_date, context.asOfDate);

    const customer = customers.get(plan.customer_id);
    const outstandingFen = plan.amount_fen - plan.allocated_fen;
    const content = overdueNotice({
      planId: plan.id,
      customerName: customer?.name ?? `客户 #${plan.customer_id}`,
      ownerName: customer?.ownerName ?? '（无负责人）',
      contractNumber: plan.contract_id === null ? '实销结算' : contractNumbers.get(plan.contract_id) ?? `#${plan.contract_id}`,
      seq: plan.seq,
      dueDate: plan.due_date,
      outstandingFen,
      days,
      publicUrl: context.publicUrl,
    });

    for (const userId of await context.recipients.forTier(trx, tier, customer?.ownerId ?? null)) {
      const sent = context.sentPerRecipient.get(userId) ?? 0;
      if (sent >= context.maxPerRecipient) {
        const folded = overflow.get(userId) ?? { count: 0, amountFen: 0 };
        overflow.set(userId, { count: folded.count + 1, amountFen: folded.amountFen + outstandingFen });
        continue;
      }
      if (await queueNotice(trx, { dedupKey: overdueNoticeDedupKey(plan.id, tier.days, userId), recipientUserId: userId, content, now: context.at })) {
        context.sentPerRecipient.set(userId, sent + 1);
        noticesQueued += 1;
      }
    }
  }

  for (const [userId, folded] of overflow) {
    await addOverdueOverflow(trx, { asOfDate: context.asOfDate, userId, planCount: folded.count, amountFen: folded.amountFen });
  }
  return { plansNotified, noticesQueued };
}

/**
 * Sends one summary per person and day for the notices folded past the per-person limit. Runs at the
 * end of every scan, so a scan that crashed after some batches has its counts sent by the next one.
 */
async function flushOverdueOverflow(db: Db, at: Date, publicUrl: string): Promise<number> {
  let summaries = 0;
  for (const row of await listPendingOverdueOverflow(db)) {
    await db.transaction().execute(async (trx) => {
      if (!(await markOverdueOverflowFlushed(trx, { asOfDate: row.as_of_date, userId: row.user_id, planCount: row.plan_count }, at.toISOString()))) return;
      const queued = await queueNotice(trx, {
        dedupKey: `overdue-summary:${row.as_of_date}:${row.user_id}:${row.flush_count + 1}`,
        recipientUserId: row.user_id,
        content: {
          title: `另有 ${row.plan_count} 笔回款逾期`,
          fields: [
            { label: '笔数', value: String(row.plan_count) },
            { label: '逾期金额合计', value: formatYuan(row.amount_fen) },
            { label: '日期', value: row.as_of_date },
          ],
          text: '为避免消息过多，这些逾期提醒已合并为一条，请到应收页面按账龄查看。',
          url: `${publicUrl.replace(/\/+$/, '')}/receivables?bucket=overdue`,
          buttonText: '查看逾期回款',
        },
        now: at,
      });
      if (queued) summaries += 1;
    });
  }
  return summaries;
}

export function overdueNotice(plan: { planId: number; customerName: string; ownerName: string; contractNumber: string; seq: number; dueDate: string; outstandingFen: number; days: number; publicUrl: string }): NoticeContent {
  return {
    title: `回款逾期 ${plan.days} 天：${plan.customerName}`,
    fields: [
      { label: '客户', value: plan.customerName },
      { label: '合同', value: plan.contractNumber },
      { label: '期次', value: `第 ${plan.seq} 期，${plan.dueDate} 到期` },
      { label: '逾期金额', value: formatYuan(plan.outstandingFen) },
      { label: '逾期天数', value: `${plan.days} 天` },
      { label: '负责人', value: plan.ownerName },
    ],
    text: `${plan.customerName} 第 ${plan.seq} 期回款已逾期 ${plan.days} 天，尚欠 ${formatYuan(plan.outstandingFen)}，请尽快跟进催收。`,
    url: `${plan.publicUrl.replace(/\/+$/, '')}/receivables/plans/${plan.planId}`,
    buttonText: '查看回款计划',
  };
}

/**
 * Recipients of a plan's notice at a tier, cached for the run: the owner, their leader, finance, the
 * general manager. Queries go through the executor passed in, which is the batch's transaction: SQLite has
 * one connection, and a query outside the open transaction would wait for it forever.
 */
class RecipientResolver {
  private readonly leaders = new Map<number, number | null>();
  private finance: number[] | undefined;
  private executives: number[] | undefined;

  async forTier(db: DbExecutor, tier: OverdueTier, ownerId: number | null): Promise<number[]> {
    const ids = new Set<number>();
    for (const audience of tier.audience) {
      for (const id of await this.audience(db, audience, ownerId)) ids.add(id);
    }
    return [...ids];
  }

  private async audience(db: DbExecutor, audience: OverdueAudience, ownerId: number | null): Promise<number[]> {
    if (audience === 'rep') return ownerId === null ? [] : [ownerId];
    if (audience === 'leader') {
      if (ownerId === null) return [];
      if (!this.leaders.has(ownerId)) this.leaders.set(ownerId, (await findLeaderAbove(db, ownerId, 1))?.id ?? null);
      const leader = this.leaders.get(ownerId);
      return leader ? [leader] : [];
    }
    if (audience === 'finance') {
      this.finance ??= (await listUsersWithRole(db, 'finance')).map((user) => user.id);
      return this.finance;
    }
    if (!this.executives) {
      const leading = await listLeadingExecutiveIds(db);
      this.executives = leading.length > 0 ? leading : (await listUsersWithRole(db, 'executive')).map((user) => user.id);
    }
    return this.executives;
  }
}
