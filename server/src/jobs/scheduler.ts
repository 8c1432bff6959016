import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { acquireLease, releaseLease } from './job-lease.js';

export interface ScheduledJob {
  name: string;
  /** Milliseconds between runs. Daily jobs use a short interval and decide themselves whether today's run is due. */
  everyMs: number;
  /** Upper bound of one run; the lease lasts this long, so a crashed run is retried after it. */
  leaseMs: number;
  run(now: Date): Promise<void>;
}

/**
 * Runs registered jobs on timers in this process. Every run first takes the job's lease row, so only one
 * instance runs a job at a time even when several servers share the database.
 */
export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly holder = `scheduler-${randomUUID()}`;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(jobs: ScheduledJob[]): void {
    for (const job of jobs) {
      const timer = setInterval(() => this.trigger(job), job.everyMs);
      timer.unref();
      this.timers.push(timer);
      this.trigger(job);
    }
    this.logger.info({ jobs: jobs.map((job) => job.name) }, 'scheduler started');
  }

  private trigger(job: ScheduledJob): void {
    if (this.stopped) return;
    const run = this.runOnce(job).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async runOnce(job: ScheduledJob): Promise<void> {
    const now = this.clock.now();
    try {
      if (!(await acquireLease(this.db, job.name, this.holder, now, job.leaseMs))) return;
      try {
        await job.run(now);
      } finally {
        await releaseLease(this.db, job.name, this.holder);
      }
    } catch (error) {
      this.logger.error({ err: error, job: job.name }, 'scheduled job failed');
    }
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
