import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/database.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { listManualJobs } from '../server/src/jobs/manual-jobs.js';
import { fixedClock, systemClock } from '../server/src/lib/clock.js';
import { createLogger } from '../server/src/logger.js';
import { createChatPlatform } from '../server/src/platform/create-chat-platform.js';
import { databaseFile } from '../server/src/start-server.js';
import { readVersion } from '../server/src/version.js';

/**
 * Runs one job by hand against the configured database, e.g. `npm run job -- overdue --at 2026-12-05T01:00:00Z`.
 * It takes the same lease as the scheduler, so it is safe to run beside a live server.
 */
const [name, ...rest] = process.argv.slice(2);
const atIndex = rest.indexOf('--at');
const atText = atIndex >= 0 ? rest[atIndex + 1] : undefined;

const config = loadConfig(process.env, readVersion());
const logger = createLogger(config.LOG_LEVEL);
const jobs = listManualJobs();
const job = jobs.find((candidate) => candidate.name === name);
if (!job) {
  console.error(`Unknown job "${name ?? ''}". Available: ${jobs.map((candidate) => candidate.name).join(', ')}. Usage: npm run job -- <name> [--at <ISO instant>]`);
  process.exit(2);
}
if (atText !== undefined && Number.isNaN(Date.parse(atText))) {
  console.error(`--at must be an ISO instant such as 2026-12-05T01:00:00Z, got "${atText}"`);
  process.exit(2);
}

const clock = atText ? fixedClock(new Date(atText)) : systemClock;
const { db } = openDatabase(databaseFile(config));
await migrateToLatest(db, logger);
const platform = createChatPlatform(config, logger);
const summary = await job.run({ config, db, logger, clock, platform });
console.log(JSON.stringify({ job: job.name, at: clock.now().toISOString(), ...summary }));
await db.destroy();
