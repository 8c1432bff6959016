import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { listScheduledJobs } from './jobs/index.js';
import { Scheduler } from './jobs/scheduler.js';
import { systemClock, type Clock } from './lib/clock.js';
import type { ChatPlatform } from './platform/chat-platform.js';
import { createChatPlatform } from './platform/create-chat-platform.js';
import { applyOrgSnapshot, fetchOrgSnapshot } from './modules/org/org.service.js';

export interface RunningServer {
  url: string;
  db: Db;
  platform: ChatPlatform;
  stop(): Promise<void>;
}

export function databaseFile(config: Config): string {
  return path.join(config.DATA_DIR, 'app.sqlite');
}

export interface StartOptions {
  clock?: Clock;
  /** False in a worker process: the primary has already migrated the database and synced the org. */
  prepare?: boolean;
  /** False in every worker but one, so that one process polls for jobs (the lease would also allow more). */
  jobs?: boolean;
}

/** Migrates the database and syncs the org: the steps that run once per start, before any request is served. */
export async function prepareDatabase(db: Db, config: Config, logger: Logger, platform: ChatPlatform, clock: Clock): Promise<void> {
  await migrateToLatest(db, logger);
  if (!config.ORG_SYNC_ON_START) return;

  try {
    const snapshot = await fetchOrgSnapshot(platform);
    await applyOrgSnapshot(db, config.PLATFORM, snapshot, clock.now(), logger);
  } catch (error) {
    // The server still starts: users synced earlier can log in, and an admin can retry the sync.
    logger.error({ err: error }, 'org sync on start failed');
  }
}

/** Opens the database, prepares it unless `prepare` is false, listens, and starts the jobs. */
export async function startServer(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  const { db } = openDatabase(databaseFile(config));
  const platform = createChatPlatform(config, logger);
  if (options.prepare ?? true) await prepareDatabase(db, config, logger, platform, clock);

  const { app } = buildApp({ config, db, logger, clock, platform });
  const server = http.createServer(app.callback());
  // Longer than the idle timeout of proxies and HTTP clients in front of us, so the server never closes a
  // keep-alive socket that the other side is about to reuse.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${address.port}`;
  logger.info({ url, platform: config.PLATFORM, version: config.version }, 'server listening');

  const scheduler = new Scheduler(db, clock, logger);
  if (config.JOBS_ENABLED && (options.jobs ?? true)) scheduler.start(listScheduledJobs({ config, db, logger, clock, platform }));

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('server stopping');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await scheduler.stop();
      await db.destroy();
      logger.info('server stopped');
    })();
    return stopping;
  };
  return { url, db, platform, stop };
}
