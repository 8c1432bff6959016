import type { Logger } from 'pino';
import { formatYuan } from '@shared/money.js';
import { agingBucketLabels } from '@shared/receivable-rules.js';
import type { Db } from '../../db/database.js';
import { queueNotice } from '../notification/notification.service.js';
import { loadActor } from '../org/org.service.js';
import { listManagerUserIds } from './overdue.repository.js';
import { agingTotals, agingTotalsByOwner } from './payment-plan.service.js';
import { loadMoneyScope } from './receivable-access.js';

/**
 * Queues the weekly digest. Each manager, executive and the finance leader with overdue receivables
 * in their money scope gets one notice: the overdue total, its aging buckets and the three reps with
 * the most overdue. The dedup key carries the digest date, so a rerun that day sends nothing new.
 */
export async function sendOverdueDigests(input: { db: Db; logger: Logger; asOfDate: string; at: Date; publicUrl: string }): Promise<number> {
  let queued = 0;
  for (const userId of await listManagerUserIds(input.db)) {
    const actor = await loadActor(input.db, userId);
    if (!actor) continue;
    const scope = await loadMoneyScope(input.db, actor);
    const totals = await agingTotals(input.db, scope, input.asOfDate);
    if (totals.overdueFen === 0) continue;

    const topOwners = (await agingTotalsByOwner(input.db, scope, input.asOfDate)).filter((row) => row.overdueFen > 0).slice(0, 3);
    const inserted = await queueNotice(input.db, {
      dedupKey: `overdue-digest:${input.asOfDate}:${userId}`,
      recipientUserId: userId,
      content: {
        title: `本周逾期回款 ${formatYuan(totals.overdueFen)}`,
        fields: [
          { label: '逾期笔数', value: String(totals.overdueCount) },
          ...totals.buckets.filter((bucket) => bucket.bucket !== 'not_due' && bucket.amountFen > 0).map((bucket) => ({ label: agingBucketLabels[bucket.bucket], value: formatYuan(bucket.amountFen) })),
          ...(topOwners.length > 0 ? [{ label: '逾期最多', value: topOwners.map((row) => `${row.ownerName ?? '无负责人'} ${formatYuan(row.overdueFen)}`).join('；') }] : []),
        ],
        text: `截至 ${input.asOfDate}，团队应收 ${formatYuan(totals.outstandingFen)}，其中逾期 ${formatYuan(totals.overdueFen)}。`,
        url: `${input.publicUrl.replace(/\/+$/, '')}/receivables?view=team`,
        buttonText: '查看团队应收',
      },
      now: input.at,
    });
    if (inserted) queued += 1;
  }
  input.logger.info({ queued, asOfDate: input.asOfDate }, 'overdue digests queued');
  return queued;
}
