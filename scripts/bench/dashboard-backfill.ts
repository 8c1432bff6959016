import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Migrator, type Migration } from 'kysely';
import { openDatabase } from '../../server/src/db/database.js';
import { rebuildKpiRollups } from '../../server/src/db/migrations/0065_kpi_rollups.js';

/**
 * `npx tsx scripts/bench/dashboard-backfill.ts --file <copy of a dataset>` applies the pending migrations
 * to an existing dataset one at a time and prints how long each took, to time the KPI rollup backfill
 * that a real deployment runs once. `--rebuild` also recomputes the rollups from scratch on a dataset
 * that has them already, which is the backfill's work without the table and index creation. It writes
 * to the file, so point it at a copy, never at data/bench-*.
 */
const { values } = parseArgs({ options: { file: { type: 'string' }, rebuild: { type: 'boolean', default: false } } });
if (!values.file) throw new Error('missing --file: give the path of a copy of app.sqlite');

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/src/db/migrations');
const { db } = openDatabase(values.file);
const migrator = new Migrator({
  db,
  allowUnorderedMigrations: true,
  provider: {
    async getMigrations() {
      const migrations: Record<string, Migration> = {};
      for (const name of fs.readdirSync(migrationsFolder).filter((entry) => /^\d{4}_[a-z0-9_]+\.ts$/.test(entry)).sort()) {
        migrations[name.replace(/\.ts$/, '')] = (await import(path.join(migrationsFolder, name))) as Migration;
      }
      return migrations;
    },
  },
});

const begin = performance.now();
for (;;) {
  const stepStarted = performance.now();
  const { error, results } = await migrator.migrateUp();
  if (error) throw error;
  if (!results || results.length === 0) break;
  for (const result of results) console.log(`${result.migrationName}: ${result.status}, ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
}
console.log(`all pending migrations applied in ${((performance.now() - begin) / 1000).toFixed(1)} s`);

if (values.rebuild) {
  const rebuildStarted = performance.now();
  await db.transaction().execute((trx) => rebuildKpiRollups(trx));
  console.log(`KPI rollups rebuilt in ${((performance.now() - rebuildStarted) / 1000).toFixed(1)} s`);
}
await db.destroy();
