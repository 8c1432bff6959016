import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/database.js';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { startServer, type RunningServer } from '../start-server.js';
import { fixedClock, type Clock } from '../lib/clock.js';
import { startFakePlatform } from '../../../scripts/fake-platform/server.js';
import { demoPlatformCredentials, demoServerEnv } from '../../../scripts/demo-settings.js';
import { seedDemoRoles } from '../../../scripts/seed/demo-roles.js';

export interface TestServer {
  url: string;
  fakePlatformUrl: string;
  db: Db;
  config: Config;
  server: RunningServer;
  /** Logs a demo user in through the real auth-code exchange and returns the session token. */
  login(platformUserId: string): Promise<string>;
  /** JSON request against the server; returns status and parsed body. */
  request<T = unknown>(method: string, urlPath: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
  /** Local user id of a demo user, e.g. userId('zhangwei01'). */
  userId(platformUserId: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the fake open platform and the real server (fresh SQLite file in a temp folder, migrated, org
 * synced, demo roles granted) on 127.0.0.1 ports chosen by the OS. Jobs are off unless asked for, so tests
 * run them explicitly.
 */
export async function startTestServer(options: { platform?: 'dingtalk' | 'wecom'; env?: Record<string, string>; clock?: Clock; now?: Date } = {}): Promise<TestServer> {
  const platform = options.platform ?? 'dingtalk';
  const fake = await startFakePlatform({ port: 0, host: '127.0.0.1', dingtalk: demoPlatformCredentials.dingtalk, wecom: demoPlatformCredentials.wecom });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-test-'));
  const env = demoServerEnv({ port: 0, dataDir, platform, fakePlatformUrl: fake.url, overrides: { LOG_LEVEL: 'silent', JOBS_ENABLED: 'false', ...options.env } });
  const config = loadConfig(env, 'test');
  const clock = options.clock ?? (options.now ? fixedClock(options.now) : undefined);
  const server = await startServer(config, createLogger(config.LOG_LEVEL), { clock });
  await seedDemoRoles(server.db, platform, fake.url, new Date());

  const request: TestServer['request'] = async (method, urlPath, requestOptions = {}) => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
    if (requestOptions.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.url}${urlPath}`, {
      method,
      headers,
      body: requestOptions.body === undefined ? undefined : JSON.stringify(requestOptions.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Non-JSON bodies (files, plain text) are returned as text.
    }
    return { status: response.status, body: body as never };
  };

  return {
    url: server.url,
    fakePlatformUrl: fake.url,
    db: server.db,
    config,
    server,
    request,
    async login(platformUserId) {
      const minted = await fetch(`${fake.url}/__fake/auth-codes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ platform, userid: platformUserId }),
      });
      if (!minted.ok) throw new Error(`fake platform could not mint a code for ${platformUserId}: HTTP ${minted.status}`);
      const { code } = (await minted.json()) as { code: string };
      const response = await request<{ token: string }>('POST', '/api/auth/login', { body: { platform, code } });
      if (response.status !== 200) throw new Error(`login of ${platformUserId} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.token;
    },
    async userId(platformUserId) {
      const row = await server.db.selectFrom('app_user').select('id').where('platform_user_id', '=', platformUserId).executeTakeFirstOrThrow();
      return row.id;
    },
    async close() {
      await server.stop();
      await fake.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
