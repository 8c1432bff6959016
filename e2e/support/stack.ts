import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startDemoStack } from '../../scripts/demo-stack.js';

const BUILT_H5 = fileURLToPath(new URL('../../h5/dist/index.html', import.meta.url));

export interface TestStack {
  /** Base URL of the Koa server, which also serves the built H5. */
  url: string;
  fakePlatformUrl: string;
  stop(): Promise<void>;
}

/**
 * Start the demo stack on free ports with a fresh SQLite database in a temp directory, removed
 * again by stop(). The server serves h5/dist, so build it first (`npm run test:e2e` does).
 */
export async function startTestStack(options: { platform?: 'dingtalk' | 'wecom' } = {}): Promise<TestStack> {
  if (!existsSync(BUILT_H5)) {
    throw new Error(`${BUILT_H5} is missing; run "npm run build:h5" before the browser tests`);
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'crm-e2e-data-'));
  const stack = await startDemoStack({
    dataDir,
    port: await findFreePort(),
    fakePlatformPort: await findFreePort(),
    platform: options.platform ?? 'dingtalk',
    env: { LOG_LEVEL: 'warn' },
  }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });

  return {
    url: stack.url,
    fakePlatformUrl: stack.fakePlatformUrl,
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Ask the OS for a free port on 127.0.0.1. The server's PUBLIC_URL must name its port before it
 * starts, so the harness picks ports itself instead of passing 0. Another process could take the
 * port in between, which is unlikely with one test file running at a time.
 */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : null;
      probe.close(() => (port === null ? reject(new Error('The port probe has no TCP address')) : resolve(port)));
    });
  });
}

const fakeUserSchema = z.object({
  userid: z.string(),
  name: z.string(),
  departments: z.array(z.string()),
  roles: z.array(z.string()),
});
export type FakeUser = z.infer<typeof fakeUserSchema>;

/** List the demo org's users as the fake open platform returns them, to pick test users by role. */
export async function listDemoUsers(fakePlatformUrl: string): Promise<FakeUser[]> {
  const response = await fetch(new URL('/__fake/users', fakePlatformUrl));
  if (!response.ok) throw new Error(`GET /__fake/users failed with HTTP ${response.status}`);

  const body = z.object({ users: z.array(fakeUserSchema) }).parse(await response.json());
  return body.users;
}

/** Find the first demo user with `role`. Throws when the seed data has none, which fails the test setup. */
export async function findDemoUserWithRole(fakePlatformUrl: string, role: string): Promise<FakeUser> {
  const users = await listDemoUsers(fakePlatformUrl);
  const user = users.find((candidate) => candidate.roles.includes(role));
  if (!user) throw new Error(`The demo org has no user with role "${role}"; check scripts/seed`);
  return user;
}
