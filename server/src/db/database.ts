import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type DbTransaction = Transaction<Database>;
/** A database handle or an open transaction: repositories accept either so services can compose them. */
export type DbExecutor = Db | DbTransaction;

export interface OpenedDatabase {
  db: Db;
  sqlite: SQLite.Database;
}

/**
 * Opens the SQLite file (or ':memory:') with the pragmas the server relies on:
 * WAL so readers never block the writer, foreign keys enforced, and a busy timeout so a second process
 * (backup, job runner) waits instead of failing.
 */
export function openDatabase(file: string): OpenedDatabase {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, sqlite };
}
