import { randomUUID } from 'node:crypto';
import type { JobDeps } from './index.js';
import { acquireLease, releaseLease } from './job-lease.js';
import { notifyStaleOpportunities } from '../modules/opportunity/opportunity.stale.js';
import { rebuildSearchTokens } from '../modules/book/book.repository.js';
import { dispatchNotifications } from './notification-dispatcher.js';
import { applyOrgSnapshot, fetchOrgSnapshot } from '../modules/org/org.service.js';
import { notifyOverdueProjectItems } from '../modules/project/project-overdue.job.js';
import { runDailyPoolJobs } from '../modules/customer/pool-return.job.js';
import { rebuildSearchTerms } from '../modules/customer/customer-search.repository.js';
import { buildSearchTerms } from '../modules/customer/customer.rules.js';
import { runDailyReceivableJobs } from '../modules/receivable/overdue-job.js';

export interface ManualJob {
  name: string;
  /** Lease name shared with the scheduler, so a manual run and a scheduled one never overlap. */
  leaseName: string;
  run(deps: JobDeps): Promise<Record<string, unknown>>;
}

function withLease(leaseName: string, body: (deps: JobDeps) => Promise<Record<string, unknown>>) {
  return async (deps: JobDeps) => {
    const holder = `manual-${randomUUID()}`;
    if (!(await acquireLease(deps.db, leaseName, holder, deps.clock.now(), 600_000))) {
      return { skipped: true, reason: `job ${leaseName} is running elsewhere` };
    }
    try {
      return await body(deps);
    } finally {
      await releaseLease(deps.db, leaseName, holder);
    }
  };
}

/** Jobs an operator can run with `npm run job -- <name>`. Feature modules add theirs here. */
export function listManualJobs(): ManualJob[] {
  return [
    {
      name: 'dispatch',
      leaseName: 'notification-dispatch',
      run: withLease('notification-dispatch', async (deps) => ({ sent: await dispatchNotifications(deps) })),
    },
    {
      name: 'org-sync',
      leaseName: 'org-sync',
      run: withLease('org-sync', async (deps) => {
        const snapshot = await fetchOrgSnapshot(deps.platform);
        return { ...(await applyOrgSnapshot(deps.db, deps.config.PLATFORM, snapshot, deps.clock.now(), deps.logger)) };
      }),
    },
    {
      name: 'customer-pool',
      leaseName: 'customer-pool-daily',
      run: withLease('customer-pool-daily', async (deps) => ({ ...(await runDailyPoolJobs({ db: deps.db, logger: deps.logger, now: deps.clock.now(), publicUrl: deps.config.PUBLIC_URL, timeZone: deps.config.TIME_ZONE }, { force: true })) })),
    },
    { name: 'overdue', leaseName: 'receivable-overdue', run: withLease('receivable-overdue', async (deps) => ({ ...(await runDailyReceivableJobs({ db: deps.db, logger: deps.logger, now: deps.clock.now(), publicUrl: deps.config.PUBLIC_URL, timeZone: deps.config.TIME_ZONE }, { force: true })) })) },
    {
      name: 'customer-search-index',
      leaseName: 'customer-search-index',
      run: withLease('customer-search-index', async (deps) => ({ customers: await deps.db.transaction().execute((trx) => rebuildSearchTerms(trx, buildSearchTerms)) })),
    },
    { name: 'project-overdue', leaseName: 'project-overdue', run: withLease('project-overdue', async (deps) => ({ ...(await notifyOverdueProjectItems(deps, deps.clock.now())) })) },
    { name: 'opportunity-stale', leaseName: 'opportunity-stale', run: withLease('opportunity-stale', async (deps) => ({ ...(await notifyStaleOpportunities({ db: deps.db, publicUrl: deps.config.PUBLIC_URL }, deps.clock.now())) })) },
    { name: 'book-search-index', leaseName: 'book-search-index', run: withLease('book-search-index', async (deps) => ({ titles: await deps.db.transaction().execute((trx) => rebuildSearchTokens(trx)) })) },
  ];
}

export { withLease };
