import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
}

/** Distinct SQL texts kept prepared; a list endpoint's few shapes times the IN-list lengths it sees. */
const cachedStatements = 500;

/**
 * Hands Kysely a database whose prepare() reuses statements by SQL text. Kysely prepares every query
 * afresh, and on the customer list that compile step took a tenth of the server's CPU (profile of
 * scripts/bench/_prof-http.ts). A statement still stepping through rows (a streamed query) is busy and
 * cannot run twice at once, so a busy one is bypassed with a fresh statement.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const cached = statements.get(text);
      if (cached && !cached.busy) {
        // Re-inserting keeps the Map in least-recently-used order for the eviction below.
        statements.delete(text);
        statements.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (!cached) {
        if (statements.size >= cachedStatements) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}
