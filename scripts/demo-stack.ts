import path from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { createLogger } from '../server/src/logger.js';
import { startServer } from '../server/src/start-server.js';
import { readVersion } from '../server/src/version.js';
import { startFakePlatform } from './fake-platform/server.js';
import { demoPlatformCredentials, demoServerEnv } from './demo-settings.js';
import { seedDemoData } from './seed/demo-data.js';
import { seedDemoRoles } from './seed/demo-roles.js';

export interface DemoStackOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  fakePlatformPort?: number;
  platform?: 'dingtalk' | 'wecom';
  /** Server settings that override the demo defaults (e.g. callback keys, LOG_LEVEL). */
  env?: Record<string, string | undefined>;
  now?: () => Date;
}

export interface DemoStack {
  url: string;
  fakePlatformUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the fake open platform, the server with its SQLite file in `dataDir`, and the demo data, all in
 * this process and all on 127.0.0.1. Used by `npm run demo` and by the browser tests.
 */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const platform = options.platform ?? 'dingtalk';
  const fake = await startFakePlatform({
    port: options.fakePlatformPort ?? 0,
    host: '127.0.0.1',
    dingtalk: demoPlatformCredentials.dingtalk,
    wecom: demoPlatformCredentials.wecom,
  });

  const env = demoServerEnv({ port: options.port ?? 0, dataDir: path.resolve(options.dataDir), platform, fakePlatformUrl: fake.url, overrides: options.env });
  const config = loadConfig(env, readVersion());
  const logger = createLogger(config.LOG_LEVEL);

  let server;
  try {
    server = await startServer(config, logger);
    const now = options.now?.() ?? new Date();
    await seedDemoRoles(server.db, platform, fake.url, now);
    const users = await server.db.selectFrom('app_user').select(['id', 'platform_user_id']).where('platform', '=', platform).execute();
    await seedDemoData({ db: server.db, logger, now, userIds: new Map(users.map((user) => [user.platform_user_id, user.id])) });
  } catch (error) {
    await server?.stop();
    await fake.close();
    throw error;
  }

  const running = server;
  return {
    url: running.url,
    fakePlatformUrl: fake.url,
    stop: async () => {
      await running.stop();
      await fake.close();
    },
  };
}
