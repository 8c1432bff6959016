import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import type { ChatPlatform } from '../platform/chat-platform.js';
import { dispatchNotifications } from './notification-dispatcher.js';
import type { ScheduledJob } from './scheduler.js';
import { runStaleOpportunityJob } from '../modules/opportunity/opportunity.stale.js';
import { runDailyPoolJobs } from '../modules/customer/pool-return.job.js';
import { reassignTasksOfLeavers, remindWaitingApprovers } from '../modules/approval/approval.jobs.js';
import { runProjectOverdueJob } from '../modules/project/project-overdue.job.js';
import { runDailyReceivableJobs } from '../modules/receivable/overdue-job.js';

export interface JobDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  platform: ChatPlatform;
}

/** Lists every scheduled job of the server. Feature modules add their jobs here. */
export function listScheduledJobs(deps: JobDeps): ScheduledJob[] {
  return [
    {
      name: 'notification-dispatch',
      everyMs: 2_000,
      leaseMs: 120_000,
      run: async () => {
        await dispatchNotifications(deps);
      },
    },
    { name: 'customer-pool-daily', everyMs: 10 * 60_000, leaseMs: 600_000, run: async (now) => void (await runDailyPoolJobs({ db: deps.db, logger: deps.logger, now, publicUrl: deps.config.PUBLIC_URL, timeZone: deps.config.TIME_ZONE })) },
    { name: 'project-overdue', everyMs: 10 * 60_000, leaseMs: 120_000, run: (now) => runProjectOverdueJob(deps, now) },
    { name: 'approval-reminders', everyMs: 10 * 60_000, leaseMs: 300_000, run: async () => void (await remindWaitingApprovers(deps)) },
    { name: 'receivable-overdue', everyMs: 60_000, leaseMs: 600_000, run: async (now) => void (await runDailyReceivableJobs({ db: deps.db, logger: deps.logger, now, publicUrl: deps.config.PUBLIC_URL, timeZone: deps.config.TIME_ZONE })) },
    { name: 'approval-leaver-reassign', everyMs: 5 * 60_000, leaseMs: 300_000, run: async () => void (await reassignTasksOfLeavers(deps)) },
    { name: 'opportunity-stale', everyMs: 30 * 60_000, leaseMs: 300_000, run: async (now) => void (await runStaleOpportunityJob({ db: deps.db, publicUrl: deps.config.PUBLIC_URL }, now)) },
  ];
}
