import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { Migrator, type Migration } from 'kysely';
import { createLogger } from '../../server/src/logger.js';
import { dayOf } from './calendar.js';
import { GenerationContext } from './context.js';
import { generateCatalog } from './generate-catalog.js';
import { generateCustomers } from './generate-customers.js';
import { generateOrg } from './generate-org.js';
import { createSalesState, generateOpenApprovals, generateSales, writeContractSequences } from './generate-sales.js';
import { generateTargets } from './generate-targets.js';
import { generateVisits } from './generate-visits.js';
import { generateStatementStress } from './generate-receivables.js';
import { localDate } from '../../server/src/lib/clock.js';
import { sizeProfile, type SizeName } from './profile.js';
import { droppedColumns } from './table-writer.js';

/** Key of the dataset's description (DatasetSummary) in its own `setting` table. */
export const DATASET_SETTING_KEY = 'bench_dataset';

export interface DatasetSummary {
  size: SizeName;
  seed: number;
  file: string;
  asOfDate: string;
  generatedAt: string;
  migrations: string[];
  rows: Record<string, number>;
  seconds: number;
  /** User plus system CPU time of the generating process; less sensitive than `seconds` to other work on the machine. */
  cpuSeconds?: number;
  /** One-minute load average when the generation started. */
  loadAverageAtStart?: number;
  peakRssMiB: number;
  fileMiB: number;
  skipped: string[];
  droppedColumns: string[];
  /** The customer and month with the most ledger lines, for the statement benchmark. */
  statementStress: { customerId: number; month: string; lines: number } | null;
  /** Steps in order with their duration in seconds. */
  steps: { name: string; seconds: number }[];
}

export interface GenerateOptions {
  size: SizeName;
  outDir: string;
  seed?: number;
  /** Progress lines; silent when absent. */
  log?: (line: string) => void;
  now?: Date;
}

/**
 * Generates a dataset into a fresh `<outDir>/app.sqlite`: the server's migrations first, then every step
 * as streamed batched inserts with prepared statements. Secondary indexes are dropped during the load and
 * rebuilt at the end, which is several times faster than maintaining them row by row; UNIQUE constraints
 * stay in place, so duplicates still fail. Memory stays bounded: only per-customer and per-rep arrays are
 * kept, never the visits or documents.
 */
export async function generateDataset(options: GenerateOptions): Promise<DatasetSummary> {
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  const loadAverageAtStart = os.loadavg()[0]!;
  const log = options.log ?? (() => {});
  const profile = sizeProfile(options.size);
  const seed = options.seed ?? 20_240_901;
  const now = options.now ?? new Date();
  const file = path.resolve(options.outDir, 'app.sqlite');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });

  const { db } = openDatabase(file);
  await migrateToLatest(db, createLogger('silent'));
  await db.destroy();

  const sqlite = new SQLite(file);
  const migrations = (sqlite.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((row) => row.name);
  // Bulk-load settings: rollback journal in memory and no fsync while generating (a failed run is
  // simply generated again). SQLite refuses to go from WAL to MEMORY directly, hence DELETE first.
  sqlite.pragma('journal_mode = DELETE');
  sqlite.pragma('journal_mode = MEMORY');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -262144');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('locking_mode = EXCLUSIVE');
  const droppedIndexes = dropSecondaryIndexes(sqlite);

  const asOfDay = dayOf(localDate(now, 'Asia/Shanghai'));
  const context = new GenerationContext({ sqlite, profile, seed, asOfDay, now });
  const steps: DatasetSummary['steps'] = [];
  const step = (name: string, work: () => void) => {
    const stepStarted = Date.now();
    work();
    context.batch.flush();
    const seconds = (Date.now() - stepStarted) / 1000;
    steps.push({ name, seconds });
    log(`  ${name}: ${seconds.toFixed(1)} s`);
  };

  log(`generating size ${profile.name} into ${file} (as of ${localDate(now, 'Asia/Shanghai')}, seed ${seed})`);
  step('org', () => generateOrg(context));
  step('catalog', () => generateCatalog(context));
  step('customers', () => generateCustomers(context));
  const sales = createSalesState(context);
  step('sales and receivables', () => generateSales(context, sales));
  step('open approvals', () => generateOpenApprovals(context, sales, profile.openApprovals));
  let statementStress: DatasetSummary['statementStress'] = null;
  step('statement worst case', () => {
    statementStress = generateStatementStress(context);
  });
  step('visits', () => generateVisits(context));
  step('targets', () => {
    generateTargets(context);
    writeContractSequences(context, sales);
    writeLastFollowUps(context);
  });

  step('search indexes', () => context.flushStaged());

  const rows = context.rowCounts();
  const summary: Omit<DatasetSummary, 'seconds' | 'peakRssMiB' | 'fileMiB'> = {
    size: profile.name,
    seed,
    file,
    asOfDate: localDate(now, 'Asia/Shanghai'),
    generatedAt: now.toISOString(),
    migrations,
    rows,
    skipped: context.skipped,
    statementStress,
    droppedColumns: [...droppedColumns],
    steps,
  };

  step('indexes', () => {
    for (const statement of droppedIndexes) sqlite.exec(statement);
  });
  step('analyze', () => {
    sqlite.exec('analyze');
  });
  sqlite.prepare(`insert into setting (key, value, updated_by, updated_at) values (?, ?, null, ?)`).run(DATASET_SETTING_KEY, JSON.stringify(summary), now.toISOString());
  sqlite.pragma('locking_mode = NORMAL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.close();

  const final: DatasetSummary = {
    ...summary,
    seconds: (Date.now() - started) / 1000,
    cpuSeconds: Math.round((process.cpuUsage(cpuAtStart).user + process.cpuUsage(cpuAtStart).system) / 1e5) / 10,
    loadAverageAtStart: Math.round(loadAverageAtStart * 100) / 100,
    // The generation is synchronous, so a sampling timer would never run: the kernel's peak is exact.
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    fileMiB: Math.round(fs.statSync(file).size / 2 ** 20),
  };
  const reopened = new SQLite(file);
  reopened.prepare('update setting set value = ? where key = ?').run(JSON.stringify(final), DATASET_SETTING_KEY);
  reopened.close();
  return final;
}

/** Drops every index created by a migration (not the automatic ones behind UNIQUE and PRIMARY KEY) and returns their CREATE statements. */
function dropSecondaryIndexes(sqlite: SQLite.Database): string[] {
  const indexes = sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null`).all() as { name: string; sql: string }[];
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  return indexes.map((index) => index.sql);
}

/** Writes each customer's latest visit into last_followed_up_at, which the pool rule reads. */
function writeLastFollowUps(context: GenerationContext): void {
  const update = context.sqlite.prepare('update customer set last_followed_up_at = ? where id = ?');
  const { customers } = context;
  for (let id = 1; id <= customers.count; id += 1) {
    const last = customers.lastVisitMs[id]!;
    if (last === 0) continue;
    context.batch.reserve();
    update.run(new Date(last).toISOString(), id);
  }
}

/** Reads the summary a dataset was generated with, or undefined for a file that is not a generated dataset. */
export function readDatasetSummary(file: string): DatasetSummary | undefined {
  if (!fs.existsSync(file)) return undefined;
  const sqlite = new SQLite(file, { readonly: true });
  try {
    const row = sqlite.prepare('select value from setting where key = ?').get(DATASET_SETTING_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as DatasetSummary) : undefined;
  } catch {
    return undefined;
  } finally {
    sqlite.close();
  }
}

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server/src/db/migrations');

/**
 * Applies migrations added to the code after a dataset was generated, including ones whose names sort
 * before the dataset's last migration (the server's own migrator refuses those). Afterwards every
 * migration row gets the same timestamp, so the server's migrator reads them in name order, as if applied in one go.
 * A table such a migration creates stays empty. Returns the names applied.
 */
export async function catchUpMigrations(file: string): Promise<string[]> {
  const { db } = openDatabase(file);
  try {
    const migrator = new Migrator({
      db,
      allowUnorderedMigrations: true,
      provider: {
        async getMigrations() {
          const migrations: Record<string, Migration> = {};
          for (const name of fs.readdirSync(migrationsFolder).filter((entry) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(entry)).sort()) {
            migrations[name.replace(/\.(ts|js)$/, '')] = (await import(path.join(migrationsFolder, name))) as Migration;
          }
          return migrations;
        },
      },
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    const applied = (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
    if (applied.length > 0) await db.updateTable('kysely_migration' as never).set({ timestamp: new Date().toISOString() } as never).execute();
    return applied;
  } finally {
    await db.destroy();
  }
}
