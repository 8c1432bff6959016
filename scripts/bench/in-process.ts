import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase } from 'kysely';
import { buildApp } from '../../server/src/app.js';
import { loadConfig, type Config } from '../../server/src/config.js';
import { listManualJobs } from '../../server/src/jobs/manual-jobs.js';
import { withStatementCache } from '../../server/src/db/database.js';
import type { Database } from '../../server/src/db/schema.js';
import { systemClock } from '../../server/src/lib/clock.js';
import { createLogger } from '../../server/src/logger.js';
import { createChatPlatform } from '../../server/src/platform/create-chat-platform.js';
import { percentile } from './http-load.js';
import type { LoadRequest } from './http-load.js';

/**
 * The same app as the server, run inside the bench process on its own connection to the dataset, for two
 * figures per request: its time in-process (Koa, validation, services, Kysely, SQLite; no network hop to
 * another process), and the time of the very SQL statements it ran, replayed directly on better-sqlite3.
 * Each request runs inside an outer transaction that is rolled back, so measuring writes leaves the
 * dataset as it was; the app's own transactions become savepoints inside it.
 */

export interface CapturedStatement {
  sql: string;
  parameters: readonly unknown[];
}

export interface InProcessFigures {
  runs: number;
  status: number;
  /** The response of the last failed run, when a run did not succeed. */
  failure: string | null;
  p50Ms: number;
  p95Ms: number;
  /** Statements the request ran (transaction control excluded). */
  statements: number;
  direct: { p50Ms: number; p95Ms: number } | null;
  /** Statements that failed when replayed (none expected; reported so a skewed figure is visible). */
  replayFailures: number;
}

/** SqliteDriver whose transactions are savepoints, so they nest inside the bench's outer transaction. */
class SavepointSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('savepoint bench_app'));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('release bench_app'));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback to bench_app'));
    await connection.executeQuery(CompiledQuery.raw('release bench_app'));
  }
}

/** The server's statement cache goes in too, so in-process figures compile SQL as the server does. */
class SavepointSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;

  constructor(sqlite: SQLite.Database) {
    const database = withStatementCache(sqlite);
    super({ database });
    this.database = database;
  }

  override createDriver(): Driver {
    return new SavepointSqliteDriver({ database: this.database });
  }
}

const MIN_RUNS = 5;
const WARM_UP_MAX_RUNS = 300;
const WARM_UP_BUDGET_MS = 3_000;
const MEASURE_BUDGET_MS = 20_000;

const transactionControl = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

export class InProcessApp {
  private readonly sqlite: SQLite.Database;
  private readonly db: Kysely<Database>;
  private readonly server: http.Server;
  private readonly config: Config;
  private captured: CapturedStatement[] = [];
  private capturing = false;
  readonly url: string;

  private constructor(sqlite: SQLite.Database, db: Kysely<Database>, server: http.Server, url: string, config: Config) {
    this.sqlite = sqlite;
    this.db = db;
    this.server = server;
    this.url = url;
    this.config = config;
  }

  static async start(file: string, env: Record<string, string>): Promise<InProcessApp> {
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    let app: InProcessApp | undefined;
    const db = new Kysely<Database>({
      dialect: new SavepointSqliteDialect(sqlite),
      log: (event) => {
        if (!app?.capturing || event.level !== 'query') return;
        if (transactionControl.test(event.query.sql)) return;
        app.captured.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    const config = loadConfig({ ...env, PORT: '0' }, 'bench');
    const logger = createLogger(process.env.BENCH_APP_LOG_LEVEL ?? 'silent');
    const { app: koa } = buildApp({ config, db, logger, clock: systemClock, platform: createChatPlatform(config, logger) });
    const server = http.createServer(koa.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    app = new InProcessApp(sqlite, db, server, `http://127.0.0.1:${port}`, config);
    return app;
  }

  /**
   * Sends `runs` requests after unmeasured warm-up ones (each from `nextRequest`, each rolled back), then
   * replays the statements of the last one `runs` times directly on better-sqlite3, prepared once, inside a
   * rolled-back transaction.
   */
  async measure(nextRequest: () => LoadRequest, runs: number): Promise<InProcessFigures> {
    const timings: number[] = [];
    let status = 0;
    let failure: string | null = null;
    // The freshly loaded app runs several times slower for its first hundred or so requests, until V8 has
    // optimised the hot paths (the child server is warm from its load runs): warm up, and discard those.
    const warmUpStarted = performance.now();
    for (let run = 0; run < WARM_UP_MAX_RUNS && performance.now() - warmUpStarted < WARM_UP_BUDGET_MS; run += 1) {
      this.sqlite.exec('begin immediate');
      try {
        const request = nextRequest();
        await (await fetch(`${this.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body })).arrayBuffer();
      } finally {
        if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
      }
    }

    // A slow endpoint stops after MEASURE_BUDGET_MS once it has MIN_RUNS samples, so one report cannot hold up the run.
    const measureStarted = performance.now();
    for (let run = 0; run < runs; run += 1) {
      if (run >= MIN_RUNS && performance.now() - measureStarted > MEASURE_BUDGET_MS) break;
      const request = nextRequest();
      this.captured = [];
      this.capturing = true;
      // Immediate: the write lock is taken before the app reads, so a write never meets a newer snapshot.
      this.sqlite.exec('begin immediate');
      const started = performance.now();
      try {
        const response = await fetch(`${this.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
        const text = await response.text();
        status = response.status;
        if (status >= 400) failure = `HTTP ${status}: ${text.slice(0, 200)}`;
      } finally {
        timings.push(performance.now() - started);
        this.capturing = false;
        if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
      }
    }
    timings.sort((a, b) => a - b);

    const statements = this.captured;
    let replayFailures = 0;
    let direct: InProcessFigures['direct'] = null;
    if (statements.length > 0) {
      const prepared = statements.map((statement) => {
        try {
          return { statement: this.sqlite.prepare(statement.sql), parameters: statement.parameters };
        } catch {
          replayFailures += 1;
          return null;
        }
      });
      const replayTimings: number[] = [];
      const replayStarted = performance.now();
      for (let run = 0; run < runs; run += 1) {
        if (run >= MIN_RUNS && performance.now() - replayStarted > MEASURE_BUDGET_MS) break;
        this.sqlite.exec('begin immediate');
        const started = performance.now();
        for (const item of prepared) {
          if (!item) continue;
          try {
            if (item.statement.reader) item.statement.all(...(item.parameters as unknown[]));
            else item.statement.run(...(item.parameters as unknown[]));
          } catch {
            if (run === 0) replayFailures += 1;
          }
        }
        replayTimings.push(performance.now() - started);
        this.sqlite.exec('rollback');
      }
      replayTimings.sort((a, b) => a - b);
      direct = { p50Ms: percentile(replayTimings, 0.5), p95Ms: percentile(replayTimings, 0.95) };
    }
    return { runs: timings.length, status, failure, p50Ms: percentile(timings, 0.5), p95Ms: percentile(timings, 0.95), statements: statements.length, direct, replayFailures };
  }

  /** Names of the manual jobs the server offers (`npm run job -- <name>`). */
  static jobNames(): string[] {
    return listManualJobs().map((job) => job.name);
  }

  /** Runs a manual job `runs` times as of `at`, each run rolled back, and returns its durations. */
  async measureJob(name: string, at: Date, runs: number): Promise<{ p50Ms: number; p95Ms: number; result: Record<string, unknown> }> {
    const job = listManualJobs().find((candidate) => candidate.name === name);
    if (!job) throw new Error(`no manual job named ${name}`);
    const logger = createLogger('silent');
    const timings: number[] = [];
    let result: Record<string, unknown> = {};
    for (let run = 0; run < runs; run += 1) {
      this.sqlite.exec('begin immediate');
      const started = performance.now();
      try {
        result = await job.run({ config: this.config, db: this.db, logger, clock: { now: () => at }, platform: createChatPlatform(this.config, logger) });
      } finally {
        timings.push(performance.now() - started);
        if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
      }
    }
    timings.sort((a, b) => a - b);
    return { p50Ms: percentile(timings, 0.5), p95Ms: percentile(timings, 0.95), result };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.db.destroy();
  }
}
