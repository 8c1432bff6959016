import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { RouteDeps } from '../http/define-route.js';
import type { Clock } from '../lib/clock.js';
import type { ChatPlatform } from '../platform/chat-platform.js';

/** Everything a module's routes may use. Built once in app.ts. */
export interface ModuleDeps extends RouteDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  platform: ChatPlatform;
}
