import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

describe('openDatabase', () => {
  const folders: string[] = [];

  afterEach(() => {
    for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  });

  function freshFile(): string {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-db-'));
    folders.push(folder);
    return path.join(folder, 'app.sqlite');
  }

  it('takes the write lock when a transaction begins', async () => {
    const file = freshFile();
    const { db } = openDatabase(file);
    await sql`create table counter (value integer not null)`.execute(db);
    await sql`insert into counter (value) values (0)`.execute(db);

    // Another process, played by a second connection that does not wait for locks.
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');

    let otherWrite: unknown = null;
    await db.transaction().execute(async (trx) => {
      await sql`select value from counter`.execute(trx);
      try {
        other.prepare('update counter set value = value + 1').run();
      } catch (error) {
        otherWrite = error;
      }
      await sql`update counter set value = value + 10`.execute(trx);
    });

    expect((otherWrite as { code?: string } | null)?.code).toBe('SQLITE_BUSY');
    expect(other.prepare('select value from counter').get()).toEqual({ value: 10 });
    other.close();
    await db.destroy();
  });

  it('reuses a prepared statement for the same SQL', async () => {
    const { db, sqlite } = openDatabase(freshFile());
    const prepare = sqlite.prepare.bind(sqlite);
    let prepared = 0;
    sqlite.prepare = ((source: string) => {
      prepared += 1;
      return prepare(source);
    }) as typeof sqlite.prepare;

    for (let run = 0; run < 3; run += 1) await sql`select ${run} as value`.execute(db);

    expect(prepared).toBe(1);
    await db.destroy();
  });
});
