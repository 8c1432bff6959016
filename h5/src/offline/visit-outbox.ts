import { reactive } from 'vue';
import { newIdempotencyKey } from '../api/client';
import { flushOutbox, type FlushResult, type OutboxSender } from './outbox-flush';
import { outboxStore, type OutboxItem, type OutboxKind, type OutboxStore } from './outbox-store';
import { visitDraftStore, type VisitDraft, type VisitDraftStore } from './visit-draft-store';

/**
 * The phone side of "never lose a visit": drafts and requests go to IndexedDB first and are sent when the
 * network allows, each with its own Idempotency-Key kept across retries. Pages read `outboxState` and
 * call the enqueue functions; `requestSync` runs on reconnect, on resume and on a timer (outbox-sync.ts).
 */

export interface FailedOutboxItem {
  id: number;
  localVisitId: string;
  kind: OutboxKind;
  customerName: string;
  /** The server's error code, e.g. `flag_reason_required`, so the page can offer the matching fix. */
  code: string;
  message: string;
}

export const outboxState = reactive({
  /** Items of the current user still to be sent (failed ones included). */
  pending: 0,
  failed: [] as FailedOutboxItem[],
  syncing: false,
  lastResult: null as FlushResult | null,
});

/** Whether the phone believes it is online; outbox-sync.ts keeps it current. */
export const networkState = reactive({ online: typeof navigator === 'undefined' ? true : navigator.onLine });

const stores: { outbox: OutboxStore; drafts: VisitDraftStore } = { outbox: outboxStore, drafts: visitDraftStore };
let sender: OutboxSender | null = null;
let currentUserId: number | null = null;
let running: Promise<FlushResult | null> | null = null;
let runAgain = false;
/** Id of the item being sent right now; it must not be replaced under the request. */
let inFlightIds = new Set<number>();

export function configureOutbox(options: { sender: OutboxSender; stores?: { outbox: OutboxStore; drafts: VisitDraftStore } }): void {
  sender = options.sender;
  if (options.stores) Object.assign(stores, options.stores);
}

/** Sets the logged-in user; null stops sending until someone logs in. */
export function setOutboxUser(userId: number | null): void {
  currentUserId = userId;
  void refreshOutboxState();
}

export async function refreshOutboxState(): Promise<void> {
  if (currentUserId === null) {
    outboxState.pending = 0;
    outboxState.failed = [];
    return;
  }
  const items = (await stores.outbox.list()).filter((item) => item.userId === currentUserId);
  const drafts = new Map((await stores.drafts.list()).map((draft) => [draft.localId, draft]));
  outboxState.pending = items.length;
  outboxState.failed = items
    .filter((item) => item.state === 'failed' && item.id !== undefined)
    .map((item) => ({
      id: item.id ?? 0,
      localVisitId: item.localVisitId,
      kind: item.kind,
      customerName: drafts.get(item.localVisitId)?.customerName ?? '拜访',
      code: item.lastError?.code ?? 'unknown',
      message: item.lastError?.message ?? '服务器拒绝了这条记录',
    }));
}

/** Sends what waits, one run at a time; a request during a run schedules one more run after it. */
export function requestSync(): Promise<FlushResult | null> {
  if (running) {
    runAgain = true;
    return running;
  }
  running = (async () => {
    let result: FlushResult | null = null;
    do {
      runAgain = false;
      if (sender === null || currentUserId === null) break;
      outboxState.syncing = true;
      result = await flushOutbox(stores, trackingInFlight(sender), currentUserId);
      outboxState.lastResult = result;
      await refreshOutboxState();
    } while (runAgain && !result.offline);
    return result;
  })().finally(() => {
    outboxState.syncing = false;
    running = null;
  });
  return running;
}

function trackingInFlight(inner: OutboxSender): OutboxSender {
  const track = async <T>(item: OutboxItem, send: () => Promise<T>): Promise<T> => {
    if (item.id !== undefined) inFlightIds.add(item.id);
    try {
      return await send();
    } finally {
      inFlightIds = new Set([...inFlightIds].filter((id) => id !== item.id));
    }
  };
  return {
    checkIn: (item) => track(item, () => inner.checkIn(item)),
    save: (item, visitId) => track(item, () => inner.save(item, visitId)),
    uploadPhoto: (item, visitId) => track(item, () => inner.uploadPhoto(item, visitId)),
  };
}

function baseItem(draft: VisitDraft, kind: OutboxKind): OutboxItem {
  return {
    userId: draft.userId,
    localVisitId: draft.localId,
    serverVisitId: draft.serverVisitId,
    kind,
    idempotencyKey: newIdempotencyKey(),
    body: null,
    photo: null,
    createdAt: new Date().toISOString(),
    attempts: 0,
    state: 'pending',
    lastError: null,
  };
}

export async function enqueueCheckIn(draft: VisitDraft, body: unknown): Promise<void> {
  await stores.outbox.add({ ...baseItem(draft, 'check_in'), body });
  await afterEnqueue();
}

/**
 * Queues the visit record. Saves are full replacements, so an older save of the same visit that has
 * not left the phone yet (waiting or refused) is dropped instead of being sent first.
 */
export async function enqueueSave(draft: VisitDraft, body: unknown): Promise<void> {
  for (const item of await stores.outbox.list()) {
    if (item.id === undefined || inFlightIds.has(item.id)) continue;
    if (item.kind === 'save' && item.localVisitId === draft.localId) await stores.outbox.delete(item.id);
  }
  await stores.outbox.add({ ...baseItem(draft, 'save'), body });
  await afterEnqueue();
}

export async function enqueuePhoto(draft: VisitDraft, photo: { blob: Blob; takenAt: string; localPhotoId: string }): Promise<void> {
  await stores.outbox.add({ ...baseItem(draft, 'photo'), photo });
  await afterEnqueue();
}

async function afterEnqueue(): Promise<void> {
  await refreshOutboxState();
  void requestSync();
}

/** Sends a rejected item again, after the rep fixed what the error message named or to try once more. */
export async function retryOutboxItem(id: number, changes: { body?: unknown } = {}): Promise<void> {
  const item = (await stores.outbox.list()).find((candidate) => candidate.id === id);
  if (!item) return;

  // A changed body needs a new key: the old key is bound to the body the server refused.
  const idempotencyKey = changes.body === undefined ? item.idempotencyKey : newIdempotencyKey();
  await stores.outbox.put({ ...item, ...changes, idempotencyKey, state: 'pending', lastError: null });
  await afterEnqueue();
}

/**
 * Sends a check-in the server rejected for want of a reason again, with the reason the rep typed. The
 * server decided it was flagged (the customer's location may have changed since the phone loaded it).
 */
export async function retryCheckInWithReason(id: number, flagReason: string): Promise<void> {
  const item = (await stores.outbox.list()).find((candidate) => candidate.id === id);
  if (!item || item.kind !== 'check_in' || typeof item.body !== 'object' || item.body === null) return;
  await retryOutboxItem(id, { body: { ...item.body, flagReason } });
}

/** Drops one queued item for good (the page confirms with the rep first). */
export async function discardOutboxItem(id: number): Promise<void> {
  await stores.outbox.delete(id);
  await refreshOutboxState();
}

/** Drops a draft and everything it still had queued. */
export async function discardDraft(localId: string): Promise<void> {
  for (const item of await stores.outbox.list()) {
    if (item.localVisitId === localId && item.id !== undefined && !inFlightIds.has(item.id)) await stores.outbox.delete(item.id);
  }
  await stores.drafts.delete(localId);
  await refreshOutboxState();
}

export async function listOutboxItems(localVisitId: string): Promise<OutboxItem[]> {
  return (await stores.outbox.list()).filter((item) => item.localVisitId === localVisitId);
}

export function getDraftStore(): VisitDraftStore {
  return stores.drafts;
}
