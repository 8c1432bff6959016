import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { computeQuote } from '../../shared/src/quote-rules.js';
import { catchUpMigrations, generateDataset, readDatasetSummary, type DatasetSummary } from '../seed-scale/dataset.js';
import { sizeProfile } from '../seed-scale/profile.js';
import { describeEnvironment, formatEnvironment } from './environment.js';
import { measureH5 } from './h5-load.js';
import { runLoad, percentile, type LoadRequest } from './http-load.js';
import { InProcessApp } from './in-process.js';
import { readEmbeddedResults, renderReport, type RunResult, type ScenarioResult } from './report.js';
import { scenarios, ScenarioUnavailable, type Actor, type OpenApiIndex, type ScenarioContext } from './scenarios.js';
import { startBenchStack, type BenchStack } from './stack.js';

/**
 * `npm run bench -- [--size S|M|L] [--smoke] [--duration N] [--module-scripts]`: measures the key endpoints over HTTP, the
 * report queries in-process beside their SQL run directly, the jobs, and the H5, and writes the figures
 * with the machine, Node, dataset and command into docs/benchmarks.md. `--smoke` runs a tiny dataset
 * for a second per level and writes to a temporary file, so CI keeps this code working.
 */

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const migrationsFolder = path.join(repositoryRoot, 'server/src/db/migrations');

const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
    'data-dir': { type: 'string' },
    'skip-h5': { type: 'boolean', default: false },
    'module-scripts': { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
  },
});

const smoke = values.smoke!;
const profile = sizeProfile(values.size ?? (smoke ? 'smoke' : 'S'));
const durationSeconds = Number(values.duration ?? (smoke ? 1 : 5));
const connectionLevels = (values.connections ?? (smoke ? '1,20' : '1,20,100')).split(',').map(Number);
const inProcessRuns = Number(values.runs ?? (smoke ? 5 : 50));
// A smoke run works in a folder of its own, so two runs on one machine (two CI jobs) never share a dataset.
const smokeDir = smoke ? fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-smoke-')) : undefined;
const dataDir = path.resolve(values['data-dir'] ?? smokeDir ?? path.join(repositoryRoot, 'data', `bench-${profile.name}`));
const reportFile = path.resolve(values.out ?? (smokeDir ? path.join(smokeDir, 'report.md') : path.join(repositoryRoot, 'docs/benchmarks.md')));
const log = (line: string) => console.log(line);

function currentMigrations(): string[] {
  return fs
    .readdirSync(migrationsFolder)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.(ts|js)$/.test(file))
    .map((file) => file.replace(/\.(ts|js)$/, ''))
    .sort();
}

/** Returns the dataset of this size, generating it first when missing, made by other migrations, or requested with --regenerate. */
async function ensureDataset(): Promise<{ summary: DatasetSummary; generated: boolean; addedMigrations: string[] }> {
  const file = path.join(dataDir, 'app.sqlite');
  const existing = readDatasetSummary(file);
  const migrations = currentMigrations();
  // Migrations added since the generation are applied to the dataset here (indexes, new columns with
  // defaults). A dataset whose migrations were renamed or removed no longer matches the code.
  const missing = existing ? existing.migrations.filter((name) => !migrations.includes(name)) : [];
  const stale = existing && (existing.size !== profile.name || missing.length > 0);
  if (existing && !stale && !values.regenerate) {
    const added = await catchUpMigrations(file);
    log(`dataset ${existing.size} from ${existing.generatedAt}: ${file}${added.length > 0 ? ` (applied the migrations added since: ${added.join(', ')})` : ''}`);
    return { summary: existing, generated: false, addedMigrations: added };
  }
  if (!existing) log(`no dataset at ${file}; generating size ${profile.name}`);
  else if (stale) log(`dataset at ${file} was generated for another size or for migrations that no longer exist (${missing.join(', ') || existing.size}); generating it again`);
  else log(`generating a fresh dataset at ${file} (--regenerate)`);
  return { summary: await generateDataset({ size: profile.name, outDir: dataDir, log }), generated: true, addedMigrations: [] };
}

async function fetchOpenApi(url: string): Promise<OpenApiIndex> {
  const response = await fetch(`${url}/api/openapi.json`);
  if (!response.ok) throw new Error(`GET /api/openapi.json failed with HTTP ${response.status}; is the server built from this checkout?`);
  const document = (await response.json()) as { paths?: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[] }>> };
  const paths = document.paths ?? {};
  return {
    has: (method, pathName) => Boolean(paths[pathName]?.[method.toLowerCase()]),
    findGet: (pattern) =>
      Object.entries(paths)
        .filter(([pathName, methods]) => pattern.test(pathName) && methods.get)
        .map(([pathName, methods]) => ({
          path: pathName,
          parameters: (methods.get!.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => ({ name: parameter.name, required: parameter.required === true })),
        }))
        .sort((a, b) => a.path.length - b.path.length),
  };
}

/** Finds the leader whose department subtree contains the number of reps closest to 50 (the team-view target's team). */
function findTeamManager(data: SQLite.Database): { platformUserId: string; reps: number } {
  const leaders = data
    .prepare(
      `select u.platform_user_id, count(distinct m.user_id) as reps
       from user_department l join app_user u on u.id = l.user_id join department root on root.id = l.department_id
       join department sub on sub.path like root.path || '%' join user_department m on m.department_id = sub.id
       join user_role r on r.user_id = m.user_id and r.role = 'rep'
       where l.is_leader = 1 and u.platform_user_id not like 'bench%'
       group by u.platform_user_id`,
    )
    .all() as { platform_user_id: string; reps: number }[];
  leaders.sort((a, b) => Math.abs(a.reps - 50) - Math.abs(b.reps - 50));
  const best = leaders[0];
  return best ? { platformUserId: best.platform_user_id, reps: best.reps } : { platformUserId: 'wanglei01', reps: 0 };
}

/** A request slower than this at one level is not run with more clients. */
const SLOW_REQUEST_MS = 1000;

/**
 * Waits until the server responds to /api/health quickly again. Requests the load generator gave up on at the
 * end of a run are still executed by the server, and the next figures must not share the CPU with them.
 */
/** CPU seconds used so far by a process and all its descendants, from /proc; null where /proc is missing. */
function cpuSecondsOfTree(rootPid: number): number | null {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const stats = new Map<number, { parent: number; seconds: number }>();
  for (const pid of entries) {
    try {
      // Fields after the command name (which may contain spaces) start at ") ": state, ppid, … utime is
      // the 14th field of the line and stime the 15th, in clock ticks (100 per second on Linux).
      const line = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(pid), { parent: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let total = 0;
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, stat] of stats) {
      if (!tree.has(pid) && tree.has(stat.parent)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  for (const pid of tree) total += stats.get(pid)?.seconds ?? 0;
  return total;
}

/**
 * Waits until the server has finished the requests a load run left queued. A quick health check is not
 * enough: a worker interleaves it with the queued requests, and with several workers it may reach an idle
 * one. So the server's process tree must use under a tenth of a core over half a second.
 */
async function waitUntilIdle(url: string, serverPid: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  let previous = cpuSecondsOfTree(serverPid);
  if (previous === null) {
    await waitForQuickHealth(url, deadline);
    return;
  }
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = cpuSecondsOfTree(serverPid)!;
    if (current - previous < 0.05) return;
    previous = current;
  }
  log('  the server was still busy 180 s after the run; the next figures may be skewed');
}

async function waitForQuickHealth(url: string, deadline: number): Promise<void> {
  let quick = 0;
  while (Date.now() < deadline && quick < 2) {
    const started = performance.now();
    await (await fetch(`${url}/api/health`)).arrayBuffer();
    quick = performance.now() - started < 50 ? quick + 1 : 0;
    if (quick < 2) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (quick < 2) log('  the server was still busy 180 s after the run; the next figures may be skewed');
}

async function probe(url: string, request: LoadRequest): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(`${url}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  } catch (error) {
    return `the first request failed: ${(error as Error).message}`;
  }
  const text = await response.text();
  if (response.ok) return null;
  let reason = text.slice(0, 200);
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error) reason = `${body.error.code}: ${body.error.message}`;
  } catch {
    // Not JSON: the raw text is the reason.
  }
  return `the first request answered HTTP ${response.status} (${reason})`;
}

/** Files of this suite; every other `scripts/bench/<module>-*.ts` is a module's own benchmark script. */
const suiteFiles = new Set(['approval-supply.ts', 'environment.ts', 'h5-load.ts', 'http-load.ts', 'in-process.ts', 'index.ts', 'report.ts', 'scenarios.ts', 'stack.ts', 'targets.ts']);
/** Scripts that need arguments naming a dataset copy, so the suite cannot run them on its own. */
const toolFiles = new Set(['dashboard-backfill.ts']);

/**
 * Runs the modules' own benchmark scripts one after another (each builds its own data, as its header
 * comment states) and keeps their output as printed, so their figures appear in the report beside this suite's.
 */
function runModuleScripts(): RunResult['moduleScripts'] {
  const folder = path.join(repositoryRoot, 'scripts/bench');
  const files = fs
    .readdirSync(folder)
    .filter((file) => /^[a-z]+-[a-z0-9-]+\.ts$/.test(file) && !suiteFiles.has(file) && !toolFiles.has(file))
    // A runnable script states its command in its header; kits and data builders do not.
    .filter((file) => fs.readFileSync(path.join(folder, file), 'utf8').slice(0, 3000).includes(`npx tsx scripts/bench/${file}`))
    .sort();
  const results: RunResult['moduleScripts'] = [];
  for (const file of files) {
    const command = `npx tsx scripts/bench/${file}`;
    log(`module script: ${command}`);
    const started = Date.now();
    const child = spawnSync(path.join(repositoryRoot, 'node_modules/.bin/tsx'), [`scripts/bench/${file}`], { cwd: repositoryRoot, encoding: 'utf8', timeout: 300_000 });
    const output = `${child.stdout ?? ''}${child.stderr ? `\n${child.stderr}` : ''}`.trim();
    results.push({ file, command, seconds: Math.round((Date.now() - started) / 100) / 10, exitCode: child.status, output: output.split('\n').slice(-60).join('\n') });
  }
  return results;
}

function measureQuoteRecompute(runs: number): RunResult['micro'][number] {
  const lines = Array.from({ length: 500 }, (_, index) => ({ listPriceFen: 2_800 + (index % 40) * 150, quantity: 1 + (index % 12), discount: 6_000 + (index % 9) * 150, floorDiscount: index % 7 === 0 ? 6_500 : null }));
  for (let warm = 0; warm < 20; warm += 1) computeQuote(lines);
  const timings: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    computeQuote(lines);
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return { key: 'quote-recompute-500', title: 'Quote total recomputation, 500 lines (shared/src/quote-rules.ts, Node)', p50Ms: percentile(timings, 0.5), p95Ms: percentile(timings, 0.95), runs };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadStart = os.loadavg();
  const { summary, generated, addedMigrations } = await ensureDataset();
  const file = path.join(dataDir, 'app.sqlite');
  const data = new SQLite(file);
  data.pragma('busy_timeout = 10000');
  const environment = describeEnvironment((data.prepare('select sqlite_version() as version').get() as { version: string }).version);
  log(formatEnvironment(environment, `size ${summary.size} (${file})`));

  const notes: string[] = [];
  if (addedMigrations.length > 0) notes.push(`Migrations added after the dataset was generated were applied to it before the run: ${addedMigrations.map((name) => `\`${name}\``).join(', ')}. A table such a migration creates is empty in this dataset.`);
  if (loadStart[0]! > environment.cores) notes.push(`The machine was busy when the run started (load average ${loadStart[0]!.toFixed(2)} on ${environment.cores} cores): other work competed with the server and the load generator, so throughput is lower and tails are longer than on an idle machine.`);

  let stack: BenchStack | undefined;
  let app: InProcessApp | undefined;
  const results: ScenarioResult[] = [];
  const jobs: RunResult['jobs'] = [];
  let h5: RunResult['h5'] = { unavailable: 'skipped (--skip-h5)' };
  try {
    stack = await startBenchStack({ dataDir, log });
    const openApi = await fetchOpenApi(stack.url);
    const actors = new Map<string, Actor>();
    const context: ScenarioContext = {
      stack,
      data,
      file,
      asOfDate: summary.asOfDate,
      openApi,
      teamManager: findTeamManager(data),
      statementStress: summary.statementStress ?? null,
      log,
      async actor(platformUserId) {
        let actor = actors.get(platformUserId);
        if (!actor) {
          const user = data.prepare('select id, name from app_user where platform_user_id = ?').get(platformUserId) as { id: number; name: string } | undefined;
          if (!user) throw new ScenarioUnavailable(`user ${platformUserId} is not in the dataset`);
          const session = await stack!.login(platformUserId);
          actor = { platformUserId, id: user.id, name: user.name, token: session.token };
          actors.set(platformUserId, actor);
        }
        return actor;
      },
    };
    app = await InProcessApp.start(file, stack.env);

    for (const scenario of scenarios) {
      const result: ScenarioResult = { key: scenario.key, title: scenario.title, endpoint: null, describe: null, unavailable: null, load: [], loadNote: null, inProcess: null };
      results.push(result);
      try {
        const prepared = await scenario.prepare(context);
        result.endpoint = prepared.endpoint;
        result.describe = prepared.describe;
        const failure = await probe(stack.url, prepared.next());
        if (failure) throw new ScenarioUnavailable(failure);

        if (scenario.load) {
          for (const connections of connectionLevels) {
            // The single-client level shows the time of one request on its own. More clients of a request slower
            // than a second only queue behind each other, and they keep the server busy long after the run.
            const single = result.load[0];
            if (single && (single.requests === 0 || single.p50Ms > SLOW_REQUEST_MS)) {
              result.loadNote = `levels above ${single.connections} client${single.connections === 1 ? '' : 's'} skipped: one request on its own takes ${single.requests === 0 ? `over ${durationSeconds} s` : `${Math.round(single.p50Ms)} ms`}, so more clients would only queue`;
              log(`${scenario.key.padEnd(26)} ${result.loadNote}`);
              break;
            }
            await prepared.beforeRun?.(connections, durationSeconds);
            const load = await runLoad({ baseUrl: stack.url, connections, durationSeconds, nextRequest: prepared.next });
            result.load.push(load);
            log(`${scenario.key.padEnd(26)} ${String(connections).padStart(3)} clients: ${String(load.requestsPerSecond).padStart(6)} req/s  p50 ${load.p50Ms} ms  p95 ${load.p95Ms} ms  p99 ${load.p99Ms} ms  non-2xx ${load.non2xx}  errors ${load.errors}`);
            await waitUntilIdle(stack.url, stack.serverPid);
          }
        }
        await prepared.beforeRun?.(1, 1);
        result.inProcess = await app.measure(prepared.next, inProcessRuns);
        const direct = result.inProcess.direct;
        log(`${scenario.key.padEnd(26)} in-process: p50 ${result.inProcess.p50Ms} ms  p95 ${result.inProcess.p95Ms} ms (HTTP ${result.inProcess.status})  direct SQL: ${direct ? `p50 ${direct.p50Ms} ms  p95 ${direct.p95Ms} ms` : 'none'} (${result.inProcess.statements} statements)`);
      } catch (error) {
        if (!(error instanceof ScenarioUnavailable)) throw error;
        result.unavailable = error.message;
        log(`${scenario.key.padEnd(26)} not available: ${error.message}`);
      }
    }

    const jobNames = InProcessApp.jobNames();
    for (const name of ['overdue', 'customer-pool']) {
      if (!jobNames.includes(name)) {
        notes.push(`Job \`${name}\` is not among the manual jobs yet, so it was not timed.`);
        continue;
      }
      // As of 09:00 the day after the dataset's date: the daily run, which finds the plans crossing a threshold that day.
      const at = new Date(Date.parse(`${summary.asOfDate}T01:00:00Z`) + 86_400_000);
      const figures = await app.measureJob(name, at, smoke ? 1 : 3);
      jobs.push({ name, runs: smoke ? 1 : 3, p50Ms: figures.p50Ms, p95Ms: figures.p95Ms, result: JSON.stringify(figures.result).slice(0, 160) });
      log(`job ${name}: p50 ${figures.p50Ms} ms  ${JSON.stringify(figures.result).slice(0, 120)}`);
    }

    if (!values['skip-h5']) {
      if (!fs.existsSync(path.join(repositoryRoot, 'h5/dist/index.html'))) {
        h5 = { unavailable: 'h5/dist is not built (npm run build:h5)' };
      } else {
        try {
          const session = await stack.login('zhangwei01');
          h5 = await measureH5({ baseUrl: stack.url, sessionJson: JSON.stringify(session) });
          notes.push(`The H5 measured is h5/dist as built at ${fs.statSync(path.join(repositoryRoot, 'h5/dist/index.html')).mtime.toISOString()} (\`npm run build:h5\`); its sizes change with every build.`);
          log(`h5: first screen JS ${h5.sizes.firstScreenJsGzipBytes} B gzip, LCP ${h5.timing.largestContentfulPaintMs} ms`);
        } catch (error) {
          h5 = { unavailable: `the browser run failed: ${(error as Error).message.split('\n')[0]}` };
          log(`h5: ${h5.unavailable}`);
        }
      }
    }
  } finally {
    await app?.close();
    await stack?.stop();
    data.close();
  }

  const micro = [measureQuoteRecompute(smoke ? 50 : 500)];
  const moduleScripts = values['module-scripts'] && !smoke ? runModuleScripts() : [];
  const run: RunResult = {
    size: profile.name,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment,
    loadAverage: { start: loadStart, end: os.loadavg() },
    durationSeconds,
    dataset: { size: summary.size, asOfDate: summary.asOfDate, rows: summary.rows, seconds: summary.seconds, cpuSeconds: summary.cpuSeconds, loadAverageAtStart: summary.loadAverageAtStart, peakRssMiB: summary.peakRssMiB, fileMiB: summary.fileMiB, steps: summary.steps, generatedAt: summary.generatedAt, generatedThisRun: generated },
    scenarios: results,
    jobs,
    micro,
    moduleScripts,
    h5,
    notes,
  };

  const previous = !smoke && fs.existsSync(reportFile) ? readEmbeddedResults(fs.readFileSync(reportFile, 'utf8')) : new Map<string, RunResult>();
  previous.set(run.size, run);
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, renderReport([...previous.values()]));
  log(`\nreport written to ${reportFile}`);

  // The smoke dataset is no longer needed, but the report beside it stays for readers of the CI log.
  if (smokeDir && dataDir === smokeDir) {
    for (const entry of fs.readdirSync(smokeDir)) if (entry !== 'report.md') fs.rmSync(path.join(smokeDir, entry), { recursive: true, force: true });
  }
}

await main();
