import type { BenchEnvironment } from './environment.js';
import type { LoadResult } from './http-load.js';
import type { InProcessFigures } from './in-process.js';
import { targets, type Figure } from './targets.js';
import type { AssetSizes, LoadTiming } from './h5-load.js';
import type { DatasetSummary } from '../seed-scale/dataset.js';

/** Everything one `npm run bench` measured, kept as JSON inside the report so runs of other sizes survive a rerun. */
export interface RunResult {
  size: string;
  startedAt: string;
  finishedAt: string;
  environment: BenchEnvironment;
  loadAverage: { start: number[]; end: number[] };
  durationSeconds: number;
  dataset: Pick<DatasetSummary, 'size' | 'asOfDate' | 'rows' | 'seconds' | 'cpuSeconds' | 'loadAverageAtStart' | 'peakRssMiB' | 'fileMiB' | 'steps' | 'generatedAt'> & { generatedThisRun: boolean };
  scenarios: ScenarioResult[];
  jobs: { name: string; p50Ms: number; p95Ms: number; runs: number; result: string }[];
  micro: { key: string; title: string; p50Ms: number; p95Ms: number; runs: number }[];
  /** Output of the modules' own scripts/bench/<module>-*.ts, run after the suite on the same machine. */
  moduleScripts: { file: string; command: string; seconds: number; exitCode: number | null; output: string }[];
  h5: { sizes: AssetSizes; timing: LoadTiming } | { unavailable: string };
  notes: string[];
}

export interface ScenarioResult {
  key: string;
  title: string;
  endpoint: string | null;
  describe: string | null;
  unavailable: string | null;
  load: LoadResult[];
  /** Reason some load levels were not run. */
  loadNote?: string | null;
  inProcess: InProcessFigures | null;
}

const RESULTS_MARKER = 'bench-results';
const H5_FIRST_SCREEN_BUDGET_BYTES = 150 * 1024;
const LCP_BUDGET_MS = 2500;

/** Reads the runs embedded in an earlier report, by size. */
export function readEmbeddedResults(markdown: string): Map<string, RunResult> {
  const match = markdown.match(new RegExp(`<!-- ${RESULTS_MARKER}\\n([\\s\\S]*?)\\n-->`));
  if (!match) return new Map();
  try {
    const runs = JSON.parse(match[1]!) as RunResult[];
    return new Map(runs.map((run) => [run.size, run]));
  } catch {
    // An edited or truncated block is dropped; the next runs rebuild it.
    return new Map();
  }
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const count = (value: number) => value.toLocaleString('en-US');
/** Formats in-process time over direct SQL time; below 0.05 ms of SQL the quotient is meaningless. */
const ratio = (inProcessMs: number, directMs: number) => (directMs < 0.05 ? 'SQL < 0.05 ms' : `${(inProcessMs / directMs).toFixed(1)}×`);

function figureValue(run: RunResult, figure: Figure): { value: number; text: string } | null {
  if (figure.kind === 'job') {
    const job = run.jobs.find((item) => item.name === figure.job);
    return job ? { value: job.p95Ms, text: `${ms(job.p95Ms)} (slowest of ${job.runs} runs) over ${count(run.dataset.rows.payment_plan ?? 0)} plans` } : null;
  }
  if (figure.kind === 'micro') {
    const micro = run.micro.find((item) => item.key === figure.scenario);
    return micro ? { value: micro.p95Ms, text: `p95 ${ms(micro.p95Ms)}` } : null;
  }
  const scenario = run.scenarios.find((item) => item.key === figure.scenario);
  if (!scenario || scenario.unavailable) return null;
  if (figure.kind === 'inProcessP95') return scenario.inProcess ? { value: scenario.inProcess.p95Ms, text: `p95 ${ms(scenario.inProcess.p95Ms)} in-process` } : null;
  const load = scenario.load.find((item) => item.connections === figure.connections);
  if (!load) return null;
  if (figure.kind === 'httpP95') return { value: load.p95Ms, text: `p95 ${ms(load.p95Ms)} over HTTP, ${figure.connections} client${figure.connections === 1 ? '' : 's'}` };
  return { value: load.requestsPerSecond, text: `${count(load.requestsPerSecond)} req/s at ${figure.connections} clients` };
}

function verdict(run: RunResult, figure: Figure | null, text: string): string {
  if (text.startsWith('First screen')) {
    if ('unavailable' in run.h5) return 'not measured';
    const bytes = run.h5.sizes.firstScreenJsGzipBytes;
    return `${kib(bytes)} — **${bytes < H5_FIRST_SCREEN_BUDGET_BYTES ? 'met' : 'not met'}**`;
  }
  if (text.startsWith('Workbench largest')) {
    if ('unavailable' in run.h5) return 'not measured';
    const lcp = run.h5.timing.largestContentfulPaintMs;
    return `${ms(lcp)} — **${lcp < LCP_BUDGET_MS ? 'met' : 'not met'}**`;
  }
  if (!figure) return 'not measured by this suite';
  const measured = figureValue(run, figure);
  if (!measured) {
    if (figure.kind === 'job') return `not measured: no manual job \`${figure.job}\` yet`;
    const scenario = run.scenarios.find((item) => item.key === figure.scenario);
    return scenario?.unavailable ? `not available: ${scenario.unavailable}` : 'not measured';
  }
  const met = figure.kind === 'throughput' ? measured.value >= figure.minRps : measured.value < figure.maxMs;
  return `${measured.text} — **${met ? 'met' : 'not met'}**`;
}

function loadTable(results: LoadResult[]): string[] {
  const lines = ['| clients | requests | req/s | p50 | p95 | p99 | errors | non-2xx |', '|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const result of results) {
    if (result.requests === 0) {
      lines.push(`| ${result.connections} | 0 | 0 | no response completed within the run | | | ${result.errors} | ${result.non2xx} |`);
      continue;
    }
    lines.push(`| ${result.connections} | ${count(result.requests)} | ${count(result.requestsPerSecond)} | ${ms(result.p50Ms)} | ${ms(result.p95Ms)} | ${ms(result.p99Ms)} | ${result.errors} | ${result.non2xx} |`);
  }
  return lines;
}

function inProcessLine(figures: InProcessFigures): string {
  const direct = figures.direct
    ? `the same ${figures.statements} SQL statements directly on better-sqlite3: p50 ${ms(figures.direct.p50Ms)}, p95 ${ms(figures.direct.p95Ms)}; ratio in-process ÷ direct at p50: ${ratio(figures.p50Ms, figures.direct.p50Ms)}`
    : 'no SQL captured';
  const failures = (figures.replayFailures > 0 ? ` (${figures.replayFailures} statements failed on replay)` : '') + (figures.failure ? `. A run failed: ${figures.failure}` : '');
  return `In-process (HTTP ${figures.status}, ${figures.runs} runs): p50 ${ms(figures.p50Ms)}, p95 ${ms(figures.p95Ms)}; ${direct}${failures}.`;
}

function runSection(run: RunResult): string[] {
  const { environment, dataset } = run;
  const lines: string[] = [];
  lines.push(`## Size ${run.size}`, '');
  lines.push(`- Machine: ${environment.machine}, ${environment.cores} cores, ${environment.memoryGiB} GiB; load average ${run.loadAverage.start.map((value) => value.toFixed(2)).join(' / ')} at the start, ${run.loadAverage.end.map((value) => value.toFixed(2)).join(' / ')} at the end`);
  lines.push(`- Node ${environment.node}, SQLite ${environment.sqlite}; server with ${environment.webWorkers ?? 1} web worker(s) (WEB_WORKERS)`);
  lines.push(
    `- Dataset: size ${dataset.size} as of ${dataset.asOfDate}: ${count(dataset.rows.customer ?? 0)} customers, ${count(dataset.rows.contact ?? 0)} contacts, ${count((dataset.rows.app_user ?? 0))} users, ${count(dataset.rows.visit ?? 0)} visits, ${count(dataset.rows.opportunity ?? 0)} opportunities, ${count(dataset.rows.contract ?? 0)} contracts, ${count(dataset.rows.payment_plan ?? 0)} payment plans, ${count(dataset.rows.book ?? 0)} titles; ${dataset.fileMiB} MiB`,
  );
  lines.push(`- Command: \`${environment.command}\`, run ${run.startedAt} – ${run.finishedAt}, ${run.durationSeconds} s per load level`);
  lines.push('');

  lines.push('### Key endpoints over HTTP', '');
  lines.push('autocannon in the bench process, the server in a child process, both on this machine; p50/p95/p99 ranked from every recorded response time.', '');
  for (const scenario of run.scenarios.filter((item) => item.load.length > 0 || (item.unavailable && isKeyEndpoint(item.key)))) {
    lines.push(`#### ${scenario.title}`, '');
    if (scenario.unavailable) {
      lines.push(`Not available: ${scenario.unavailable}.`, '');
      continue;
    }
    lines.push(`\`${scenario.endpoint}\` — ${scenario.describe}.`, '');
    lines.push(...loadTable(scenario.load), '');
    if (scenario.loadNote) lines.push(`The ${scenario.loadNote}.`, '');
    if (scenario.inProcess) lines.push(inProcessLine(scenario.inProcess), '');
  }

  lines.push('### Report queries in-process', '');
  lines.push('The request through the app in the bench process (Koa, validation, services, Kysely on its own connection), each run rolled back; beside it the SQL statements it ran, replayed on better-sqlite3 with statements prepared once.', '');
  lines.push('| query | endpoint | in-process p50 | in-process p95 | direct SQL p50 | direct SQL p95 | statements | ratio (p50) |', '|---|---|---:|---:|---:|---:|---:|---:|');
  for (const scenario of run.scenarios) {
    if (scenario.unavailable) {
      lines.push(`| ${scenario.title} | — | not available: ${scenario.unavailable} | | | | | |`);
      continue;
    }
    const figures = scenario.inProcess;
    if (!figures) continue;
    const direct = figures.direct;
    lines.push(
      `| ${scenario.title}${figures.failure ? ` — **run failed:** ${figures.failure.replaceAll('|', '/').slice(0, 120)}` : ''} | \`${scenario.endpoint}\` | ${ms(figures.p50Ms)} | ${ms(figures.p95Ms)} | ${direct ? ms(direct.p50Ms) : '—'} | ${direct ? ms(direct.p95Ms) : '—'} | ${figures.statements} | ${direct ? ratio(figures.p50Ms, direct.p50Ms) : '—'} |`,
    );
  }
  lines.push('');

  if (run.jobs.length > 0 || run.micro.length > 0) {
    lines.push('### Jobs and shared code', '', '| what | runs | p50 | p95 | result |', '|---|---:|---:|---:|---|');
    for (const job of run.jobs) lines.push(`| job \`${job.name}\` (in-process, rolled back) | ${job.runs} | ${ms(job.p50Ms)} | ${ms(job.p95Ms)} | ${job.result} |`);
    for (const micro of run.micro) lines.push(`| ${micro.title} | ${micro.runs} | ${ms(micro.p50Ms)} | ${ms(micro.p95Ms)} | |`);
    lines.push('');
  }

  lines.push('### H5', '');
  if ('unavailable' in run.h5) {
    lines.push(`Not measured: ${run.h5.unavailable}.`, '');
  } else {
    const { sizes, timing } = run.h5;
    lines.push('| figure | measured | budget |', '|---|---:|---:|');
    lines.push(`| first-screen JavaScript, gzip | ${kib(sizes.firstScreenJsGzipBytes)} | < 150 KB |`);
    lines.push(`| first-screen CSS, gzip | ${kib(sizes.firstScreenCssGzipBytes)} | |`);
    lines.push(`| all JavaScript, gzip | ${kib(sizes.totalJsGzipBytes)} | |`);
    lines.push(`| all CSS, gzip | ${kib(sizes.totalCssGzipBytes)} | |`);
    lines.push(`| workbench LCP (4× CPU slowdown, 9 Mbit/s, 100 ms RTT) | ${ms(timing.largestContentfulPaintMs)} | < 2.5 s |`);
    lines.push(`| workbench DOMContentLoaded, same profile | ${ms(timing.domContentLoadedMs)} | |`);
    lines.push('', `First-screen files: ${sizes.firstScreenFiles.map((file) => `\`${file}\``).join(', ')}.`, '');
  }

  if ((run.moduleScripts ?? []).length > 0) {
    lines.push('### Module benchmark scripts', '', 'Each module\'s own script, run after the suite on the same machine; each builds its own data, so the dataset above does not apply. Output as printed:', '');
    for (const script of run.moduleScripts) {
      lines.push(`#### \`${script.command}\` (${script.seconds} s, exit code ${script.exitCode ?? 'none: timed out'})`, '', '```text', script.output, '```', '');
    }
  }

  if (run.notes.length > 0) lines.push('### Notes', '', ...run.notes.map((note) => `- ${note}`), '');
  return lines;
}

const keyEndpoints = new Set(['login', 'customer-list', 'customer-search', 'visit-check-in', 'quote-save', 'approve', 'receivables-aging', 'dashboard']);
function isKeyEndpoint(key: string): boolean {
  return keyEndpoints.has(key);
}

const datasetContents = [
  '## What a dataset contains',
  '',
  '- Organisation: the 26 users of the demo organisation (same platform user ids, so the bench logs in as them through the fake platform) plus generated regions and teams under 发行部, 教材中心 and 馆配部. Each demo manager also leads one generated team, so a manager\'s scope spans many reps.',
  '- Customers: Chinese names built from real counties of the region table (新华书店, private stores, schools, libraries, institutions, companies, a few online-platform shops), schools and stores dominating. Valid unified social credit codes where the type has one, two to four contacts with unique mobile numbers, discount agreements, and the customer module\'s search index. About 10 % sit in the public pool.',
  '- Visits: 3–6 per rep and field day (weekdays without public holidays, every second Saturday), checked in near the store, some far or without a fix and flagged with a reason. Each visit has contacts, follow-ups and a timeline entry; shelf checks carry items for the last 90 days.',
  '- Sales: opportunities across all stages (won, lost with a reason, open), quotes with catalog lines, contracts approved through the sales-contract template (steps, tasks, history and audit-chain rows), sealed and archived by age, and contracts waiting in review with their approval open.',
  '- Money: installments become payment plans; shipments of the contract lines; returns at each customer\'s rate (drawn between 5 % and 40 % of shipped 码洋), credited to open plans; receipts by the customer\'s habit (on time, late, partial, unpaid), allocated to plans; fapiao for part of the contracts; and the ledger the statements read. One online customer has the statement worst case: many small shipments in the previous month.',
  '- Also: monthly targets per rep. Not generated: projects, visit photos, collaborators, consignment settlements, and pending special-discount, invoice and return approvals.',
  '',
];

function generationSection(runs: RunResult[]): string[] {
  const lines = ['## Dataset generation', '', '`npm run seed:scale -- --size <S|M|L>`: a fresh SQLite file migrated with the server\'s migrations, then streamed batched inserts (prepared statements, secondary indexes rebuilt at the end).', ''];
  lines.push('| size | as of | rows | file | time | CPU time | load average at start | peak RSS | slowest steps |', '|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const run of runs) {
    const { dataset } = run;
    const total = Object.values(dataset.rows).reduce((sum, rows) => sum + rows, 0);
    const slowest = [...dataset.steps].sort((a, b) => b.seconds - a.seconds).slice(0, 3).map((step) => `${step.name} ${step.seconds.toFixed(0)} s`).join(', ');
    const cpu = dataset.cpuSeconds === undefined ? '—' : `${dataset.cpuSeconds.toFixed(0)} s`;
    const load = dataset.loadAverageAtStart === undefined ? '—' : dataset.loadAverageAtStart.toFixed(1);
    lines.push(`| ${dataset.size} | ${dataset.asOfDate} | ${count(total)} | ${dataset.fileMiB} MiB | ${dataset.seconds.toFixed(0)} s | ${cpu} | ${load} | ${dataset.peakRssMiB} MiB | ${slowest} |`);
  }
  lines.push('');
  return lines;
}

function targetsSection(runs: RunResult[]): string[] {
  const lines = ['## Targets', '', 'Each module\'s target beside the figure of each size that checks it. "Set for" is the data size the target names; a size below it is weaker evidence.', ''];
  for (const run of runs) {
    const busy = run.loadAverage.start[0]! > run.environment.cores ? ', so the machine was busy with other work and the figures are worse than on an idle machine' : '';
    lines.push(`- Size ${run.size}: ${count(run.dataset.rows.customer ?? 0)} customers, ${count(run.dataset.rows.visit ?? 0)} visits, ${count(run.dataset.rows.contract ?? 0)} contracts, ${count(run.dataset.rows.payment_plan ?? 0)} plans; load average ${run.loadAverage.start[0]!.toFixed(1)} on ${run.environment.cores} cores when the run started${busy}.`);
  }
  lines.push('');
  lines.push(`| module | target | set for | ${runs.map((run) => `size ${run.size}`).join(' | ')} |`, `|---|---|---|${runs.map(() => '---').join('|')}|`);
  for (const target of targets) lines.push(`| ${target.module} | ${target.text} | ${target.scale} | ${runs.map((run) => verdict(run, target.figure, target.text)).join(' | ')} |`);
  lines.push('');
  return lines;
}

/** Renders the whole report from the runs of every size measured so far, smallest first. */
export function renderReport(runs: RunResult[]): string {
  const order = ['smoke', 'S', 'M', 'L'];
  const sorted = [...runs].sort((a, b) => order.indexOf(a.size) - order.indexOf(b.size));
  const lines = [
    '# Benchmarks',
    '',
    'Figures of `npm run bench` (scripts/bench) on datasets from `npm run seed:scale` (scripts/seed-scale). Every figure below comes from a run on the machine described with it; nothing is estimated.',
    '',
    'How to read them: the machine has 2 cores, and the load generator (autocannon) shares them with the server, so throughput at 20 and 100 clients is bounded by the machine as much as by the code. The load average printed with each size shows how busy the machine was. Other work running on the machine during a run (tests, builds) lowers throughput and raises the tails.',
    '',
    'Rerun: `npm run bench -- --size S` (or M, L). Options: `--duration 10` for longer load levels, `--regenerate` for a fresh dataset, `--module-scripts` to also run the modules\' own scripts/bench/<module>-*.ts and include their output, `--skip-h5`. The server runs one web worker per core unless `WEB_WORKERS` is set in the environment. The dataset is generated first when missing; migrations added since its generation are applied to it. The run writes check-ins, quotes and approvals into the dataset (each run tops up the open approvals it consumes); `npm run seed:scale -- --size S` makes a fresh one. `npm run bench -- --smoke` is the CI run: a tiny dataset, 1-second levels at 1 and 20 clients, the report in a temporary file.',
    '',
    'Three kinds of figures: **HTTP** (autocannon against the server running as a child process with its web workers; throughput and p50/p95/p99 of every response), **in-process** (the same request through the same app built inside the bench process on its own connection, after a warm-up, each run rolled back so writes leave no trace), and **direct SQL** (the SQL statements that request ran, captured from Kysely and replayed on better-sqlite3 with statements prepared once). In-process over direct SQL is the server\'s own overhead: routing, validation, authentication, Kysely and JSON.',
    '',
    ...targetsSection(sorted),
    ...datasetContents,
    ...generationSection(sorted),
  ];
  for (const run of sorted) lines.push(...runSection(run));
  lines.push(`<!-- ${RESULTS_MARKER}`, JSON.stringify(sorted), '-->', '');
  return lines.join('\n');
}
