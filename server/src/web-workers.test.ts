import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePlatform, type FakePlatform } from '../../scripts/fake-platform/server.js';
import { demoPlatformCredentials, demoServerEnv } from '../../scripts/demo-settings.js';
import { freePort } from './test-support/free-port.js';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before listening`);
    const ok = await fetch(`${url}/api/health`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server at ${url} timed out waiting for /api/health after 60 s`);
}

async function waitForLog(output: string[], pattern: RegExp, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((output.join('').match(pattern)?.length ?? 0) < count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} log lines matching ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('web workers', () => {
  let fake: FakePlatform;
  let child: ChildProcess;
  let url: string;
  let dataDir: string;
  const output: string[] = [];

  beforeAll(async () => {
    fake = await startFakePlatform({ port: 0, host: '127.0.0.1', dingtalk: demoPlatformCredentials.dingtalk, wecom: demoPlatformCredentials.wecom });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-workers-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const env = demoServerEnv({ port, dataDir, platform: 'dingtalk', fakePlatformUrl: fake.url, overrides: { WEB_WORKERS: '2', LOG_LEVEL: 'info', JOBS_ENABLED: 'false' } });
    child = spawn(path.join(repositoryRoot, 'node_modules/.bin/tsx'), ['server/src/main.ts'], { cwd: repositoryRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitForHealth(url, child);
    // The first worker serves requests while the second may still be loading modules.
    await waitForLog(output, /"msg":"server listening"/g, 2);
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await fake.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves requests after one org sync', async () => {
    const code = fake.state.issueAuthCode('dingtalk', 'zhangwei01');
    const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', code }) });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    const responses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })));
    expect(responses.map((response) => response.status)).toEqual(Array(40).fill(200));

    const logs = output.join('');
    expect(logs).toContain('"workers":2');
    expect(logs.match(/"msg":"server listening"/g)).toHaveLength(2);
    expect(logs.match(/"msg":"org sync/g)?.length ?? 0).toBeLessThanOrEqual(1);
  }, 60_000);

  it('stops all workers on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output.join('').match(/"msg":"server stopped"/g)).toHaveLength(2);
  }, 30_000);
});
