import type { DbExecutor } from '../../db/database.js';
import type { PlatformMessage, PlatformTodo } from '../../platform/chat-platform.js';
import { insertOutboxRow } from './outbox.repository.js';

/** A notice as business code describes it; the dispatcher turns it into a DingTalk or WeCom message. */
export type NoticeContent = Omit<PlatformMessage, 'toUserIds'>;

/**
 * Queues a work notification (DingTalk) or application message (WeCom) for one user. Call it inside the
 * transaction of the business change, so the change and its notice commit together. The dedup key makes
 * a second call for the same event a no-op: e.g. `approval-task:42:created`.
 * Returns false when that key was queued before.
 */
export async function queueNotice(db: DbExecutor, input: { dedupKey: string; recipientUserId: number; content: NoticeContent; now: Date }): Promise<boolean> {
  return insertOutboxRow(db, { dedupKey: input.dedupKey, kind: 'message', recipientUserId: input.recipientUserId, payload: input.content, now: input.now });
}

/** Queues a DingTalk to-do for an approval task; WeCom deployments skip it in the dispatcher. */
export async function queueTodo(
  db: DbExecutor,
  input: { sourceId: string; recipientUserId: number; todo: Omit<PlatformTodo, 'executorUserId' | 'sourceId'>; now: Date },
): Promise<boolean> {
  return insertOutboxRow(db, {
    dedupKey: todoDedupKey(input.sourceId),
    kind: 'todo_create',
    recipientUserId: input.recipientUserId,
    payload: { ...input.todo, sourceId: input.sourceId, dueAt: input.todo.dueAt?.toISOString() ?? null },
    now: input.now,
  });
}

/** Queues completion of the to-do created for `sourceId`. */
export async function queueTodoCompletion(db: DbExecutor, input: { sourceId: string; recipientUserId: number; now: Date }): Promise<boolean> {
  return insertOutboxRow(db, {
    dedupKey: `${todoDedupKey(input.sourceId)}:done`,
    kind: 'todo_complete',
    recipientUserId: input.recipientUserId,
    payload: { sourceId: input.sourceId },
    now: input.now,
  });
}

export function todoDedupKey(sourceId: string): string {
  return `todo:${sourceId}`;
}
