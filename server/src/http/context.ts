import type { Logger } from 'pino';
import type { Actor } from '../access/actor.js';

/** What every request carries in ctx.state. */
export interface AppState {
  requestId: string;
  log: Logger;
  /** Set by the auth middleware on authenticated routes. */
  actor?: Actor;
}
