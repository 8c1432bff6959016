import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * Writes a consistent copy of the live database with SQLite's online backup API, while the server keeps
 * running. Usage: npm run backup -- <target file>   (DATA_DIR selects the database, default ./data)
 */
const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run backup -- <target file>, for example npm run backup -- backups/crm-2026-12-04.sqlite');
  process.exit(2);
}

const source = path.join(process.env.DATA_DIR ?? './data', 'app.sqlite');
if (!fs.existsSync(source)) {
  console.error(`Database not found at ${source}. Set DATA_DIR to the folder that contains app.sqlite.`);
  process.exit(1);
}
if (fs.existsSync(target)) {
  console.error(`${target} already exists; choose a new file name so no earlier backup is overwritten.`);
  process.exit(1);
}

fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
const database = new SQLite(source, { readonly: true, fileMustExist: true });
database.pragma('busy_timeout = 5000');
const started = Date.now();
await database.backup(target);
database.close();

const check = new SQLite(target, { readonly: true });
const integrity = check.pragma('integrity_check', { simple: true });
check.close();
if (integrity !== 'ok') {
  console.error(`Backup written to ${target} but its integrity check returned: ${String(integrity)}`);
  process.exit(1);
}
console.log(`Backup of ${source} written to ${target} in ${Date.now() - started} ms (integrity check ok).`);
