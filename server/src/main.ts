import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './start-server.js';
import { readVersion } from './version.js';
import { isWebWorker, runWebWorkers, webWorkerIndex } from './web-workers.js';

/** Production entry point: configuration comes only from the environment. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, readVersion());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Cannot start: the environment has ${error.problems.length} problem(s):\n${error.problems.map((line) => `  ${line}`).join('\n')}\n`);
      process.exit(1);
    }
    throw error;
  }

  const logger = createLogger(config.LOG_LEVEL);
  if (config.WEB_WORKERS > 1 && !isWebWorker()) {
    await runWebWorkers(config, logger);
    return;
  }

  const worker = isWebWorker() ? { prepare: false, jobs: webWorkerIndex() === 0 } : {};
  const server = await startServer(config, isWebWorker() ? logger.child({ workerIndex: webWorkerIndex() }) : logger, worker);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutdown requested');
      server.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

await main();
