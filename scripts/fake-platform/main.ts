import { pino } from 'pino';
import { demoPlatformCredentials } from '../demo-settings.js';
import { startFakePlatform } from './server.js';

/**
 * Runs the fake open platform alone: `npx tsx scripts/fake-platform/main.ts`.
 * FAKE_PLATFORM_PORT sets the port (default 3100); it listens on 127.0.0.1 with the demo credentials.
 */

const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const port = Number(process.env.FAKE_PLATFORM_PORT ?? 3100);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  logger.error({ FAKE_PLATFORM_PORT: process.env.FAKE_PLATFORM_PORT }, 'FAKE_PLATFORM_PORT must be a port number from 0 to 65535');
  process.exit(1);
}

const fake = await startFakePlatform({
  port,
  host: '127.0.0.1',
  dingtalk: demoPlatformCredentials.dingtalk,
  wecom: demoPlatformCredentials.wecom,
  logger,
});
logger.info({ url: fake.url }, 'fake open platform listening; point DINGTALK_API_BASE, DINGTALK_NEW_API_BASE and WECOM_API_BASE here');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => {
      logger.info('fake open platform stopped');
      process.exit(0);
    });
  });
}
