import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { getSetting, putSetting } from '../settings/settings.service.js';
import { z } from 'zod';
import { warnConsignmentWindows } from './consignment.service.js';
import { sendOverdueDigests } from './overdue-digest.js';
import { runOverdueScan, type OverdueScanResult } from './overdue-scan.js';
import { getReceivableSettings } from './receivable.settings.js';

export interface ReceivableJobContext {
  db: Db;
  logger: Logger;
  now: Date;
  timeZone: string;
  publicUrl: string;
}

const lastRunKey = 'receivable.daily_job_last_date';

/** 'HH:MM' and ISO weekday (1 = Monday) of an instant in a time zone. */
export function localClock(instant: Date, timeZone: string): { time: string; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' }).formatToParts(instant);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  return { time: `${part('hour')}:${part('minute')}`, weekday: weekdays.indexOf(part('weekday')) + 1 };
}

export interface DailyReceivableResult {
  ran: boolean;
  asOfDate: string;
  scan?: OverdueScanResult;
  digests?: number;
  consignmentWarnings?: number;
}

/**
 * The daily receivable run: overdue scan, the managers' weekly digest on its weekday, and consignment
 * return-window warnings. The scheduler calls it every minute; it runs once a local day at or after the
 * configured time. It records the day only when everything finished, so a run that crashed is redone,
 * and its notices are deduplicated. `force` (the manual job) runs regardless of time and record.
 */
export async function runDailyReceivableJobs(context: ReceivableJobContext, options: { force?: boolean } = {}): Promise<DailyReceivableResult> {
  const settings = await getReceivableSettings(context.db);
  const asOfDate = localDate(context.now, context.timeZone);
  const clock = localClock(context.now, context.timeZone);

  if (!options.force) {
    if (clock.time < settings.overdue.runAt) return { ran: false, asOfDate };
    const last = await getSetting(context.db, lastRunKey, z.string(), '');
    if (last === asOfDate) return { ran: false, asOfDate };
  }

  const scan = await runOverdueScan({ db: context.db, logger: context.logger, at: context.now, timeZone: context.timeZone, publicUrl: context.publicUrl });
  const digests = clock.weekday === settings.overdue.digestWeekday ? await sendOverdueDigests({ db: context.db, logger: context.logger, asOfDate, at: context.now, publicUrl: context.publicUrl }) : 0;
  const consignmentWarnings = await warnConsignmentWindows(context.db, { today: asOfDate, now: context.now, publicUrl: context.publicUrl });

  if (!options.force) await putSetting(context.db, lastRunKey, asOfDate, null, context.now);
  return { ran: true, asOfDate, scan, digests, consignmentWarnings };
}
