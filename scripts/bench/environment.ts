import os from 'node:os';

export interface BenchEnvironment {
  machine: string;
  cores: number;
  memoryGiB: number;
  node: string;
  sqlite: string;
  command: string;
  /** Server processes the HTTP figures ran against (WEB_WORKERS); runs recorded before the setting existed had one. */
  webWorkers?: number;
}

/** Server processes for the bench: WEB_WORKERS from the environment, else one per core as the README advises. */
export function benchWebWorkers(): number {
  return Number(process.env.WEB_WORKERS ?? os.availableParallelism());
}

/** Describes the machine and run, printed beside every figure so no number travels without its context. */
export function describeEnvironment(sqliteVersion: string): BenchEnvironment {
  const cpus = os.cpus();
  return {
    machine: `${cpus[0]?.model ?? 'unknown CPU'} (${os.platform()} ${os.release()})`,
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    sqlite: sqliteVersion,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    webWorkers: benchWebWorkers(),
  };
}

export function formatEnvironment(environment: BenchEnvironment, dataset: string): string {
  return [
    `- Machine: ${environment.machine}, ${environment.cores} cores, ${environment.memoryGiB} GiB`,
    `- Node ${environment.node}, SQLite ${environment.sqlite}; server with ${environment.webWorkers ?? 1} web worker(s) (WEB_WORKERS)`,
    `- Dataset: ${dataset}`,
    `- Command: \`${environment.command}\``,
  ].join('\n');
}
