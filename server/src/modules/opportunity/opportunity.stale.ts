import { opportunityStageLabels, opportunityStageSchema } from '@shared/api/opportunity.js';
import { formatYuan } from '@shared/money.js';
import type { Db } from '../../db/database.js';
import { daysBetween, localDate } from '../../lib/clock.js';
import { queueNotice } from '../notification/notification.service.js';
import { findLeaderAbove } from '../org/org.service.js';
import { listCustomerNames } from '../customer/customer.service.js';
import { listStaleNotYetNotified, updateOpportunity, type OpportunityRow } from './opportunity.repository.js';
import { getStaleDays } from './opportunity.settings.js';

const timeZone = 'Asia/Shanghai';
const batchSize = 200;
/** Notices go out in office hours only, so a flag raised overnight reaches people in the morning. */
const officeHours = { from: 9, to: 18 };

/** The scheduled entry point: checks the hour in Asia/Shanghai, then flags. */
export async function runStaleOpportunityJob(deps: { db: Db; publicUrl: string }, now: Date): Promise<{ flagged: number }> {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hour12: false }).format(now));
  if (hour < officeHours.from || hour >= officeHours.to) return { flagged: 0 };
  return notifyStaleOpportunities(deps, now);
}

/**
 * Tells owners, and the leader of each owner's department, about open opportunities with no activity for
 * the configured number of days. One notice per quiet spell: the opportunity remembers when it was flagged,
 * and new activity starts a new spell. Safe on several instances: dedup keys make a repeat a no-op.
 */
export async function notifyStaleOpportunities(deps: { db: Db; publicUrl: string }, now: Date): Promise<{ flagged: number }> {
  const staleDays = await getStaleDays(deps.db);
  const before = new Date(now.getTime() - staleDays * 86_400_000).toISOString();
  let flagged = 0;

  for (;;) {
    const rows = await listStaleNotYetNotified(deps.db, before, batchSize);
    if (rows.length === 0) return { flagged };
    const names = await listCustomerNames(deps.db, rows.map((row) => row.customer_id));
    const leaders = new Map<number, { id: number } | undefined>();
    for (const row of rows) {
      if (!leaders.has(row.owner_id)) leaders.set(row.owner_id, await findLeaderAbove(deps.db, row.owner_id, 1));
    }

    await deps.db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const content = staleNotice(row, names.get(row.customer_id) ?? '', now, deps.publicUrl);
        const spell = `opportunity-stale:${row.id}:${row.last_activity_at}`;
        await queueNotice(trx, { dedupKey: `${spell}:owner`, recipientUserId: row.owner_id, content, now });
        const leader = leaders.get(row.owner_id);
        if (leader) {
          await queueNotice(trx, { dedupKey: `${spell}:leader`, recipientUserId: leader.id, content: { ...content, title: `${row.owner_name}的商机久未跟进：${row.name}` }, now });
        }
        await updateOpportunity(trx, row.id, { stale_notified_at: now.toISOString() });
      }
    });
    flagged += rows.length;
  }
}

function staleNotice(row: OpportunityRow, customerName: string, now: Date, publicUrl: string) {
  const quietDays = daysBetween(localDate(new Date(row.last_activity_at), timeZone), localDate(now, timeZone));
  return {
    title: `商机久未跟进：${row.name}`,
    fields: [
      { label: '客户', value: customerName },
      { label: '阶段', value: opportunityStageLabels[opportunityStageSchema.parse(row.stage)] },
      { label: '预计金额', value: formatYuan(row.expected_amount_fen) },
      { label: '预计成交', value: row.expected_close_date },
      { label: '负责人', value: row.owner_name },
    ],
    text: `已 ${quietDays} 天没有拜访、报价或阶段变化，请安排跟进或更新商机状态。`,
    url: `${publicUrl.replace(/\/+$/, '')}/#/opportunities/${row.id}`,
    buttonText: '查看商机',
  };
}
