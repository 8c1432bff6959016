import { ApiRequestError, isSessionError } from '../api/errors';
import type { OutboxItem, OutboxStore } from './outbox-store';
import type { VisitDraftStore } from './visit-draft-store';

/** Requests for each kind of outbox item (the real sender is in api/visits.ts). */
export interface OutboxSender {
  checkIn(item: OutboxItem): Promise<{ visitId: number }>;
  save(item: OutboxItem, serverVisitId: number): Promise<void>;
  uploadPhoto(item: OutboxItem, serverVisitId: number): Promise<void>;
}

export interface FlushResult {
  sent: number;
  /** The network is down; nothing more can be sent now. */
  offline: boolean;
  /** Items left behind because the server could not take them yet (5xx, busy) and will be retried. */
  deferred: number;
  /** Items the server refused; they wait for the rep. */
  failed: number;
}

type Outcome = 'offline' | 'retry' | 'refused' | 'session';

/** Sorts an error into what the queue does next. */
export function classifySendError(error: unknown): Outcome {
  if (!(error instanceof ApiRequestError)) return 'retry';
  if (error.code === 'network_error') return 'offline';
  if (error.status >= 500 || error.status === 408 || error.status === 429 || error.code === 'request_in_progress') return 'retry';
  if (error.code === 'unexpected_response' || error.code === 'invalid_response') return 'retry';
  return isSessionError(error) ? 'session' : 'refused';
}

/**
 * Sends what waits in the outbox, oldest first. Each visit's items go in order: a failed or deferred
 * item holds back the later items of the same visit but not other visits. A network failure stops the
 * whole run (the next trigger starts again). Only `userId`'s items go out: the session sends as that
 * user. Drafts whose items have all been sent are removed.
 */
export async function flushOutbox(
  stores: { outbox: OutboxStore; drafts: VisitDraftStore },
  sender: OutboxSender,
  userId: number,
  now: () => Date = () => new Date(),
): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, offline: false, deferred: 0, failed: 0 };
  const heldBack = new Set<string>();

  const items = (await stores.outbox.list()).filter((item) => item.userId === userId);
  for (const item of items) {
    if (item.id === undefined) continue;
    if (item.state === 'failed') {
      result.failed += 1;
      heldBack.add(item.localVisitId);
      continue;
    }
    if (heldBack.has(item.localVisitId) || (item.kind !== 'check_in' && item.serverVisitId === null)) {
      heldBack.add(item.localVisitId);
      result.deferred += 1;
      continue;
    }

    try {
      const visitId = await sendItem(sender, item);
      if (visitId !== null) {
        await attachServerVisitId(stores, item.localVisitId, visitId);
        for (const later of items) if (later.localVisitId === item.localVisitId) later.serverVisitId = visitId;
      }
      await stores.outbox.delete(item.id);
      result.sent += 1;
    } catch (error) {
      const outcome = classifySendError(error);
      if (outcome === 'offline' || outcome === 'session') {
        result.offline = outcome === 'offline';
        break;
      }

      heldBack.add(item.localVisitId);
      const lastError = error instanceof ApiRequestError ? { code: error.code, message: error.message, at: now().toISOString() } : { code: 'unknown', message: '发送失败，稍后会自动重试', at: now().toISOString() };
      await stores.outbox.put({ ...item, attempts: item.attempts + 1, lastError, state: outcome === 'refused' ? 'failed' : 'pending' });
      if (outcome === 'refused') result.failed += 1;
      else result.deferred += 1;
    }
  }

  await removeFinishedDrafts(stores);
  return result;
}

/** Sends one item and returns the server's visit id for a check-in. */
async function sendItem(sender: OutboxSender, item: OutboxItem): Promise<number | null> {
  if (item.kind === 'check_in') return (await sender.checkIn(item)).visitId;
  if (item.serverVisitId === null) throw new Error(`outbox item ${item.id} has no server visit id`);

  if (item.kind === 'save') await sender.save(item, item.serverVisitId);
  else await sender.uploadPhoto(item, item.serverVisitId);
  return null;
}

/** Records the server's visit id from the check-in response on the draft and on the waiting items. */
async function attachServerVisitId(stores: { outbox: OutboxStore; drafts: VisitDraftStore }, localVisitId: string, visitId: number): Promise<void> {
  const draft = await stores.drafts.get(localVisitId);
  if (draft) await stores.drafts.put({ ...draft, serverVisitId: visitId });

  for (const waiting of await stores.outbox.list()) {
    if (waiting.localVisitId === localVisitId && waiting.serverVisitId === null && waiting.kind !== 'check_in') {
      await stores.outbox.put({ ...waiting, serverVisitId: visitId });
    }
  }
}

async function removeFinishedDrafts(stores: { outbox: OutboxStore; drafts: VisitDraftStore }): Promise<void> {
  const waiting = new Set((await stores.outbox.list()).map((item) => item.localVisitId));
  for (const draft of await stores.drafts.list()) {
    if (draft.status === 'submitted' && !waiting.has(draft.localId)) await stores.drafts.delete(draft.localId);
  }
}
