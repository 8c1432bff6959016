import type { Logger } from 'pino';
import { customerTypes, type CustomerType } from '@shared/customer-rules.js';
import type { Db } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { queueNotice } from '../notification/notification.service.js';
import { putSetting } from '../settings/settings.service.js';
import { customerLink } from './customer-links.js';
import { listStaleCustomers, returnToPool } from './pool.repository.js';
import { poolReturnDate } from './pool-return-schedule.js';
import { recordOwnershipChange } from './pool.service.js';
import { getPoolSettings, returnDaysFor } from './pool.settings.js';

/**
 * The daily pool jobs. A customer nobody followed up for N days (N per customer type) goes back to the
 * pool; its owner is told `noticeDaysBefore` days ahead. Both are safe to rerun: the return is a
 * conditional update and the notice has a dedup key per customer and due date.
 */
export interface PoolJobContext {
  db: Db;
  logger: Logger;
  now: Date;
  publicUrl: string;
  timeZone: string;
}

const batchSize = 500;

export async function returnStaleCustomers(context: PoolJobContext): Promise<{ returned: number }> {
  const settings = await getPoolSettings(context.db);
  let returned = 0;
  for (const type of customerTypes) {
    const days = returnDaysFor(settings, type);
    const cutoff = new Date(context.now.getTime() - days * 86_400_000).toISOString();
    const stale = await listStaleCustomers(context.db, type, cutoff, 10_000);
    for (let start = 0; start < stale.length; start += batchSize) {
      returned += await returnBatch(context, stale.slice(start, start + batchSize), days);
    }
  }
  context.logger.info({ returned }, 'pool auto-return done');
  return { returned };
}

async function returnBatch(context: PoolJobContext, customers: { id: number; name: string; owner_id: number | null }[], days: number): Promise<number> {
  const reason = `超过 ${days} 天未跟进，自动退回公海`;
  return context.db.transaction().execute(async (trx) => {
    let count = 0;
    for (const customer of customers) {
      const ownerId = customer.owner_id;
      if (ownerId === null) continue;
      if (!(await returnToPool(trx, customer.id, ownerId, { reason, by: null, at: context.now.toISOString() }))) continue;
      await recordOwnershipChange(trx, { customerId: customer.id, fromOwnerId: ownerId, toOwnerId: null, actor: null, reason, action: 'customer.auto_return', now: context.now });
      await queueNotice(trx, {
        dedupKey: `customer:${customer.id}:auto-returned:${localDate(context.now, context.timeZone)}`,
        recipientUserId: ownerId,
        content: {
          title: '客户已自动退回公海',
          fields: [
            { label: '客户', value: customer.name },
            { label: '原因', value: reason },
          ],
          text: `您负责的客户“${customer.name}”${reason}。如仍需跟进，可到公海重新领取。`,
          url: customerLink(context.publicUrl, '/customers?view=pool'),
          buttonText: '查看公海',
        },
        now: context.now,
      });
      count += 1;
    }
    return count;
  });
}

/** Tells owners which customers will return to the pool within the notice window, one notice per customer and due date. */
export async function noticeUpcomingReturns(context: PoolJobContext): Promise<{ noticed: number }> {
  const settings = await getPoolSettings(context.db);
  if (settings.noticeDaysBefore === 0) return { noticed: 0 };
  let noticed = 0;
  for (const type of customerTypes) {
    noticed += await noticeType(context, type, returnDaysFor(settings, type), settings.noticeDaysBefore);
  }
  context.logger.info({ noticed }, 'pool return notices queued');
  return { noticed };
}

async function noticeType(context: PoolJobContext, type: CustomerType, days: number, noticeDays: number): Promise<number> {
  const warnCutoff = new Date(context.now.getTime() - Math.max(0, days - noticeDays) * 86_400_000).toISOString();
  const candidates = await listStaleCustomers(context.db, type, warnCutoff, 10_000);
  let count = 0;
  await context.db.transaction().execute(async (trx) => {
    for (const customer of candidates) {
      if (customer.owner_id === null || customer.owned_since === null) continue;
      const { dueDate } = poolReturnDate({ lastFollowedUpAt: customer.last_followed_up_at, ownedSince: customer.owned_since }, days, context.timeZone);
      const queued = await queueNotice(trx, {
        dedupKey: `customer:${customer.id}:return-notice:${dueDate}`,
        recipientUserId: customer.owner_id,
        content: {
          title: '客户即将退回公海',
          fields: [
            { label: '客户', value: customer.name },
            { label: '退回日期', value: dueDate },
          ],
          text: `客户“${customer.name}”已较长时间未跟进，将于 ${dueDate} 自动退回公海。拜访或记录跟进后即可保留。`,
          url: customerLink(context.publicUrl, `/customers/${customer.id}`),
          buttonText: '去跟进',
        },
        now: context.now,
      });
      if (queued) count += 1;
    }
  });
  return count;
}

const lastRunKey = 'customer.pool_job_last_date';

/**
 * The scheduled entry point: runs the return and then the notices once per local day, from 01:00 on so
 * yesterday's late visits are in. The scheduler calls it every few minutes; the lease keeps instances apart
 * and the recorded date makes the other calls of the day no-ops.
 */
export async function runDailyPoolJobs(context: PoolJobContext, options: { force?: boolean } = {}): Promise<{ skipped: boolean; returned: number; noticed: number }> {
  const today = localDate(context.now, context.timeZone);
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: context.timeZone, hour: '2-digit', hourCycle: 'h23' }).format(context.now));
  const lastRun = await context.db.selectFrom('setting').select('value').where('key', '=', lastRunKey).executeTakeFirst();
  if (!options.force && (hour < 1 || (lastRun && JSON.parse(lastRun.value) === today))) return { skipped: true, returned: 0, noticed: 0 };

  const { returned } = await returnStaleCustomers(context);
  const { noticed } = await noticeUpcomingReturns(context);
  await putSetting(context.db, lastRunKey, today, null, context.now);
  return { skipped: false, returned, noticed };
}
