import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDataset } from './dataset.js';
import { sizeProfile } from './profile.js';

/**
 * `npm run seed:scale -- --size S|M|L [--out <dir>] [--seed <n>]`: generates a benchmark dataset into a
 * fresh `<dir>/app.sqlite` (default data/bench-<size>) and prints its row counts, time and peak memory.
 */
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    out: { type: 'string' },
    seed: { type: 'string' },
  },
});

const profile = sizeProfile(values.size!);
const outDir = path.resolve(values.out ?? path.join('data', `bench-${profile.name}`));
const summary = await generateDataset({
  size: profile.name,
  outDir,
  seed: values.seed === undefined ? undefined : Number(values.seed),
  log: (line) => console.log(line),
});

console.log(`\ndataset ${summary.size}: ${summary.file}`);
console.log(`  ${summary.seconds.toFixed(1)} s (CPU ${summary.cpuSeconds} s, load average ${summary.loadAverageAtStart} at the start), peak RSS ${summary.peakRssMiB} MiB, file ${summary.fileMiB} MiB`);
const total = Object.values(summary.rows).reduce((sum, rows) => sum + rows, 0);
console.log(`  ${total.toLocaleString('en-US')} rows:`);
for (const [table, rows] of Object.entries(summary.rows).sort((a, b) => b[1] - a[1])) console.log(`    ${table.padEnd(28)} ${rows.toLocaleString('en-US').padStart(12)}`);
if (summary.droppedColumns.length > 0) console.log(`  columns the migrations no longer have (not written): ${summary.droppedColumns.join('; ')}`);
if (summary.skipped.length > 0) console.log(`  skipped: ${summary.skipped.join('; ')}`);
