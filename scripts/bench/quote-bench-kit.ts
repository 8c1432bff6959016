import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../server/src/logger.js';
import { openDatabase, type OpenedDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';

/** Small helpers shared by the catalog, funnel and quote benchmarks (scripts/bench/quote-*.ts). */

export interface Timing {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /**
   * The same percentiles of the process's CPU time per run. On a machine shared with other work the wall
   * time includes waiting for a core; the CPU time of this single-threaded, synchronous SQLite work is what
   * the query costs on an idle machine.
   */
  cpu?: { p50Ms: number; p95Ms: number };
}

/** Times `work` `runs` times after `warmup` untimed runs; nearest-rank percentiles in milliseconds. */
export async function timeRuns(work: (run: number) => unknown, runs: number, warmup = Math.ceil(runs / 10)): Promise<Timing> {
  for (let run = 0; run < warmup; run += 1) await work(run);
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    await work(run);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    const cpu = process.cpuUsage(cpuStarted);
    cpuSamples.push((cpu.user + cpu.system) / 1000);
  }
  const cpu = summarize(cpuSamples);
  return { ...summarize(samples), cpu: { p50Ms: cpu.p50Ms, p95Ms: cpu.p95Ms } };
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return { runs: sorted.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1) ?? 0) };
}

export function formatTiming(label: string, timing: Timing, budgetMs: number): string {
  const verdict = (value: number) => (value < budgetMs ? 'within' : 'OVER');
  const cpu = timing.cpu ? `  | CPU p50 ${timing.cpu.p50Ms.toFixed(3).padStart(8)} ms  p95 ${timing.cpu.p95Ms.toFixed(3).padStart(8)} ms (${verdict(timing.cpu.p95Ms)})` : '';
  return `${label.padEnd(44)} wall p50 ${timing.p50Ms.toFixed(3).padStart(8)} ms  p95 ${timing.p95Ms.toFixed(3).padStart(8)} ms (${verdict(timing.p95Ms)})  max ${timing.maxMs.toFixed(3).padStart(8)} ms${cpu}  [${timing.runs} runs, budget ${budgetMs} ms]`;
}

/** Describes the machine a figure was measured on, printed before the figures. */
export function describeMachine(extra: string): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const load = os.loadavg().map((value) => value.toFixed(1)).join(' / ');
  return `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${load}; ${extra}`;
}

/** Opens a fresh, migrated SQLite file in a temp folder, with the server's pragmas (WAL, foreign keys). */
export async function openBenchDatabase(name: string): Promise<OpenedDatabase & { dispose(): void }> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const opened = openDatabase(path.join(folder, 'bench.sqlite'));
  await migrateToLatest(opened.db, createLogger('silent'));
  return {
    ...opened,
    dispose() {
      opened.sqlite.close();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
