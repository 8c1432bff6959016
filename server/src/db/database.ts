import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type Transaction } from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
}

/**
 * Starts every transaction with BEGIN IMMEDIATE, which takes the write lock at the start and waits for it
 * through busy_timeout. A plain BEGIN takes the lock only at the first write. If another process (a second
 * web worker, the job runner) has committed since the transaction's first read, that write fails with
 * SQLITE_BUSY at once instead of waiting, because the transaction's snapshot is stale. Two web workers
 * saving quotes at 20 clients failed about four requests in ten that way.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly options: { database: SqliteDatabase }) {
    super(options);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.options);
  }
}

/** Maximum number of prepared statements kept, one per distinct SQL text. */
const cachedStatements = 500;

/**
 * Wraps the connection so that prepare() reuses statements by SQL text. Kysely prepares every query
 * again, which took about a tenth of the server's CPU in a profile of the customer list under load.
 * A streamed query keeps its statement busy until the last row, so a busy statement gets a fresh copy.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const cached = statements.get(text);
      if (cached && !cached.busy) {
        // Moving the entry to the end keeps the Map in least-recently-used order for eviction.
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
