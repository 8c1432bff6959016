import os from 'node:os';

export interface BenchEnvironment {
  machine: string;
  cores: number;
  memoryGiB: number;
  node: string;
  sqlite: string;
  command: string;
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
  };
}

export function formatEnvironment(environment: BenchEnvironment, dataset: string): string {
  return [
    `- Machine: ${environment.machine}, ${environment.cores} cores, ${environment.memoryGiB} GiB`,
    `- Node ${environment.node}, SQLite ${environment.sqlite}`,
    `- Dataset: ${dataset}`,
    `- Command: \`${environment.command}\``,
  ].join('\n');
}
