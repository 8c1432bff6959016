import cluster, { type Worker } from 'node:cluster';
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { systemClock } from './lib/clock.js';
import { createChatPlatform } from './platform/create-chat-platform.js';
import { databaseFile, prepareDatabase } from './start-server.js';

/**
 * Several server processes on one port (WEB_WORKERS). Node runs JavaScript on one core per process, so
 * one process leaves the other cores of the machine idle however many requests wait. The primary
 * migrates and syncs the org once, then forks the workers, which share the listening socket through
 * node:cluster. SQLite in WAL mode lets every worker read at once, and writers take turns on the
 * database lock (busy_timeout). Each worker keeps its own in-memory caches (platform access tokens,
 * statements, search hints), so the platform receives one token request per worker.
 */

/** Environment variable that gives each worker its index; index 0 runs the scheduled jobs. */
const workerIndexVariable = 'WEB_WORKER_INDEX';

/** A worker that exits within this time of starting counts as a failed start. */
const failedStartMs = 10_000;
/** After this many failed starts in a row the primary gives up instead of restarting forever. */
const maxFailedStarts = 5;

export function isWebWorker(): boolean {
  return cluster.isWorker;
}

export function webWorkerIndex(): number {
  return Number(process.env[workerIndexVariable] ?? 0);
}

/** Runs the primary: prepares the database, forks the workers, restarts crashed ones, and stops them all on SIGTERM. */
export async function runWebWorkers(config: Config, logger: Logger): Promise<void> {
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const { db } = openDatabase(databaseFile(config));
  await prepareDatabase(db, config, logger, createChatPlatform(config, logger), systemClock);
  await db.destroy();

  let stopping = false;
  let failedStarts = 0;
  const startedAt = new Map<Worker, number>();

  const fork = (index: number) => {
    const worker = cluster.fork({ [workerIndexVariable]: String(index) });
    startedAt.set(worker, Date.now());
    worker.on('exit', (code, signal) => {
      const livedMs = Date.now() - (startedAt.get(worker) ?? 0);
      startedAt.delete(worker);
      if (stopping) return;

      failedStarts = livedMs < failedStartMs ? failedStarts + 1 : 0;
      logger.error({ workerIndex: index, code, signal, livedMs }, 'web worker exited; starting a new one');
      if (failedStarts >= maxFailedStarts) {
        logger.fatal({ failedStarts }, 'web workers keep failing at start; stopping the server');
        process.exit(1);
      }
      setTimeout(() => fork(index), 1000);
    });
  };
  for (let index = 0; index < config.WEB_WORKERS; index++) fork(index);
  logger.info({ workers: config.WEB_WORKERS, port: config.PORT }, 'web workers started');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      logger.info({ signal }, 'shutdown requested; stopping web workers');
      const workers = [...startedAt.keys()];
      if (workers.length === 0) process.exit(0);
      let running = workers.length;
      for (const worker of workers) {
        worker.once('exit', () => {
          running -= 1;
          if (running === 0) process.exit(0);
        });
        worker.process.kill('SIGTERM');
      }
    });
  }
}
