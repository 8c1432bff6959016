import type SQLite from 'better-sqlite3';

/**
 * Prepared INSERT for one table, built from the columns the table really has, so the generator keeps
 * working while modules add columns. A value for a column the table lacks is dropped and reported once.
 * A NOT NULL column without a default that the generator does not fill stops the run with its name.
 */
export class TableWriter {
  readonly table: string;
  readonly available: boolean;
  private statement: SQLite.Statement | undefined;
  private readonly sqlite: SQLite.Database;
  private readonly columns: Set<string>;
  private readonly requiredColumns: string[];
  private prepared = false;
  rows = 0;

  constructor(sqlite: SQLite.Database, table: string) {
    this.sqlite = sqlite;
    this.table = table;
    const info = sqlite.prepare(`select name, "notnull" as not_null, dflt_value, pk from pragma_table_info(?)`).all(table.startsWith('stage_') ? table.slice(6) : table) as {
      name: string;
      not_null: number;
      dflt_value: string | null;
      pk: number;
    }[];
    this.available = info.length > 0;
    this.columns = new Set(info.map((column) => column.name));
    this.requiredColumns = info.filter((column) => column.not_null === 1 && column.dflt_value === null && column.pk === 0).map((column) => column.name);
  }

  hasColumn(name: string): boolean {
    return this.columns.has(name);
  }

  /** Inserts one row; the first row fixes which of its keys the statement binds. */
  insert(row: Record<string, unknown>): void {
    if (!this.prepared) this.prepare(row);
    this.statement!.run(row);
    this.rows += 1;
  }

  private prepare(sample: Record<string, unknown>): void {
    if (!this.available) throw new Error(`table ${this.table} does not exist; check that its migration ran before generating`);
    const provided = Object.keys(sample);
    const missing = this.requiredColumns.filter((column) => !provided.includes(column));
    if (missing.length > 0) {
      throw new Error(
        `table ${this.table} has NOT NULL columns the scale generator does not fill: ${missing.join(', ')}. ` +
          `Add them to the row built for ${this.table} under scripts/seed-scale/.`,
      );
    }
    const bound = provided.filter((column) => this.columns.has(column));
    const dropped = provided.filter((column) => !this.columns.has(column));
    if (dropped.length > 0) droppedColumns.push(`${this.table}.${dropped.join(`, ${this.table}.`)}`);
    this.statement = this.sqlite.prepare(
      `insert into "${this.table}" (${bound.map((column) => `"${column}"`).join(', ')}) values (${bound.map((column) => `@${column}`).join(', ')})`,
    );
    this.prepared = true;
  }
}

/** Columns the generator fills that the current migrations do not have; printed in the summary. */
export const droppedColumns: string[] = [];

export function tableExists(sqlite: SQLite.Database, table: string): boolean {
  return sqlite.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(table) !== undefined;
}

/**
 * Keeps one transaction open and commits it every `batchSize` rows, so a long load neither keeps one
 * giant transaction open nor pays a commit per row. Call `flush` before reading back or closing.
 */
export class Batcher {
  private pending = 0;
  private open = false;
  private readonly begin: SQLite.Statement;
  private readonly commit: SQLite.Statement;

  constructor(
    sqlite: SQLite.Database,
    private readonly batchSize = 50_000,
  ) {
    this.begin = sqlite.prepare('begin');
    this.commit = sqlite.prepare('commit');
  }

  /** Call before writing `rows` rows. */
  reserve(rows = 1): void {
    if (this.pending >= this.batchSize) this.flush();
    if (!this.open) {
      this.begin.run();
      this.open = true;
    }
    this.pending += rows;
  }

  flush(): void {
    if (!this.open) return;
    this.commit.run();
    this.open = false;
    this.pending = 0;
  }
}
