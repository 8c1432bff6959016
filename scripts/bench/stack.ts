import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakePlatform, type FakePlatform } from '../fake-platform/server.js';
import { demoPlatformCredentials, demoServerEnv } from '../demo-settings.js';
import { benchWebWorkers } from './environment.js';
import { freePort } from '../../server/src/test-support/free-port.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PLATFORM = 'dingtalk';

export interface BenchStack {
  url: string;
  fake: FakePlatform;
  /** Server settings the child runs with; the in-process app for query capture uses the same. */
  env: Record<string, string>;
  serverPid: number;
  /** Logs a demo user in through the fake platform and the server, returning the session token. */
  login(platformUserId: string): Promise<{ token: string; expiresAt: string }>;
  /** A fresh one-time auth code, minted in this process so a login benchmark does not also load the fake over HTTP. */
  mintAuthCode(platformUserId: string): string;
  stop(): Promise<void>;
}

/**
 * Starts the fake open platform in this process and the server as a child process (tsx server/src/main.ts)
 * on the dataset folder, so the load generator and the server do not share one event loop. Org sync and
 * jobs are off: the dataset's org is the one generated, and no job may write while figures are taken.
 */
export async function startBenchStack(options: { dataDir: string; log: (line: string) => void; nodeArgs?: string[] }): Promise<BenchStack> {
  const fake = await startFakePlatform({ port: 0, host: '127.0.0.1', dingtalk: demoPlatformCredentials.dingtalk, wecom: demoPlatformCredentials.wecom });
  const port = await freePort();
  const env = demoServerEnv({
    port,
    dataDir: options.dataDir,
    platform: PLATFORM,
    fakePlatformUrl: fake.url,
    overrides: { ORG_SYNC_ON_START: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'warn', WEB_WORKERS: String(benchWebWorkers()) },
  });

  // Node flags (a CPU profile, say) need node itself as the child, with tsx loaded as a module hook.
  const [command, args] = options.nodeArgs
    ? [process.execPath, [...options.nodeArgs, '--import', 'tsx', 'server/src/main.ts']]
    : [path.join(repositoryRoot, 'node_modules/.bin/tsx'), ['server/src/main.ts']];
  const child = spawn(command, args, {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(url, child, 120_000);
  } catch (error) {
    child.kill('SIGTERM');
    await fake.close();
    throw new Error(`${(error as Error).message}\nserver output:\n${output.join('').slice(-4000)}`);
  }
  options.log(`server pid ${child.pid} listening on ${url}, fake platform on ${fake.url}`);

  const mintAuthCode = (platformUserId: string) => fake.state.issueAuthCode(PLATFORM, platformUserId);
  return {
    url,
    fake,
    env,
    serverPid: child.pid!,
    mintAuthCode,
    async login(platformUserId) {
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ platform: PLATFORM, code: mintAuthCode(platformUserId) }),
      });
      const body = (await response.json()) as { token?: string; expiresAt?: string };
      if (response.status !== 200 || !body.token) throw new Error(`login of ${platformUserId} failed: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { token: body.token, expiresAt: body.expiresAt ?? '' };
    },
    async stop() {
      await stopChild(child);
      await fake.close();
    },
  };
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before listening`);
    try {
      const response = await fetch(`${url}/api/client-config`);
      if (response.ok) return;
    } catch {
      // Not listening yet: retry until the deadline.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server at ${url} did not respond to /api/client-config within ${timeoutMs / 1000} s (timed out)`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
