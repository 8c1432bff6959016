import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { PlatformError, type ChatPlatform, type PlatformMessage, type PlatformTodo } from '../platform/chat-platform.js';
import * as outbox from '../modules/notification/outbox.repository.js';
import { todoDedupKey } from '../modules/notification/notification.service.js';

export interface DispatchDeps {
  db: Db;
  platform: ChatPlatform;
  clock: Clock;
  logger: Logger;
}

const maxAttempts = 8;
const batchSize = 50;

/** Backoff before attempt n+1: 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Sends due outbox rows through the platform. Each row is claimed (pending → sending) before the network
 * call and no transaction is open during the call. A failed send is retried with backoff and given up
 * after eight attempts. Returns how many rows were sent.
 */
export async function dispatchNotifications(deps: DispatchDeps): Promise<number> {
  const now = deps.clock.now();
  // A row stuck in 'sending' for ten minutes belongs to a dispatcher that died mid-send.
  await outbox.resetStuckOutboxRows(deps.db, new Date(now.getTime() - 600_000));

  let sent = 0;
  for (const row of await outbox.listDueOutboxRows(deps.db, now, batchSize)) {
    if (!(await outbox.claimOutboxRow(deps.db, row.id))) continue;
    const log = deps.logger.child({ outboxId: row.id, dedupKey: row.dedup_key });
    try {
      const platformMessageId = await deliver(deps, row);
      await outbox.markOutboxSent(deps.db, row.id, platformMessageId, deps.clock.now());
      sent += 1;
    } catch (error) {
      const attempts = row.attempts + 1;
      const failed = attempts >= maxAttempts || (error instanceof PlatformError && error.kind === 'not_found');
      const next = new Date(deps.clock.now().getTime() + retryDelayMs(attempts));
      await outbox.markOutboxRetry(deps.db, row.id, attempts, next, error instanceof Error ? error.message : String(error), failed);
      log.warn({ err: error, attempts, failed }, failed ? 'notification given up' : 'notification send failed; will retry');
    }
  }
  return sent;
}

async function deliver(
  deps: DispatchDeps,
  row: { kind: string; payload: string; platform_user_id: string },
): Promise<string | null> {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.kind === 'message') {
    const message = { ...(payload as Omit<PlatformMessage, 'toUserIds'>), toUserIds: [row.platform_user_id] };
    return (await deps.platform.sendMessage(message)).platformMessageId;
  }
  if (row.kind === 'todo_create') {
    const todo: PlatformTodo = {
      ...(payload as Omit<PlatformTodo, 'dueAt' | 'executorUserId'>),
      executorUserId: row.platform_user_id,
      dueAt: typeof payload.dueAt === 'string' ? new Date(payload.dueAt) : null,
    };
    return deps.platform.createTodo(todo);
  }
  // todo_complete: finish the to-do created earlier for the same source, if the platform made one.
  const todoId = await outbox.findTodoIdForSource(deps.db, todoDedupKey(String(payload.sourceId)));
  if (todoId) await deps.platform.completeTodo(row.platform_user_id, todoId);
  return todoId;
}

export const dispatcherHolder = `dispatcher-${randomUUID()}`;
