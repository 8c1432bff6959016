import { parseArgs } from 'node:util';
import pino from 'pino';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';

/**
 * `npx tsx scripts/bench/dashboard-backfill.ts --file <copy of a dataset>` applies the pending migrations
 * to an existing dataset and prints how long they took, to time the KPI rollup backfill that a real
 * deployment runs once. It writes to the file, so point it at a copy, never at data/bench-*.
 */
const { values } = parseArgs({ options: { file: { type: 'string' } } });
if (!values.file) throw new Error('missing --file: give the path of a copy of app.sqlite');
const { db } = openDatabase(values.file);
const begin = performance.now();
await migrateToLatest(db, pino({ level: 'info' }));
console.log(`migrations applied in ${((performance.now() - begin) / 1000).toFixed(1)} s`);
await db.destroy();
