import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from './database.js';

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Loads every `NNNN_name.ts` file of the migrations folder. Modules add a file each, so no central list
 * has to be edited when a module adds tables.
 */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(migrationsFolder)).filter((file) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(file)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const module = (await import(path.join(migrationsFolder, file))) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

/** Applies pending migrations. Migrations are forward-only: there is no down path in production. */
export async function migrateToLatest(db: Db, logger: Logger): Promise<void> {
  // A database made before a lower-numbered file was added (a demo folder, a bench dataset) still takes
  // the new file instead of refusing to start; every migration is written to stand on its own.
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') logger.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) throw error;
}
