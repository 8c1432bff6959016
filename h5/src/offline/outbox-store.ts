import { isIndexedDbAvailable, STORE_OUTBOX, withStore } from './idb';

export type OutboxKind = 'check_in' | 'save' | 'photo';

/**
 * One request waiting to be sent. Items are sent in id order. A visit's save and photos wait for its
 * check-in, because only the check-in response gives them the server's visit id.
 */
export interface OutboxItem {
  id?: number;
  /** The rep who queued it: on a shared phone, only their own session may send it. */
  userId: number;
  localVisitId: string;
  /** Filled in when the check-in succeeded (or from the start for a visit already on the server). */
  serverVisitId: number | null;
  kind: OutboxKind;
  /** Kept for every retry of this item, so the server stores it once however often it is sent. */
  idempotencyKey: string;
  /** JSON body of check_in and save. */
  body: unknown;
  photo: { blob: Blob; takenAt: string; localPhotoId: string } | null;
  createdAt: string;
  attempts: number;
  /** `failed`: the server refused it (4xx); it waits for the rep to retry or discard it. */
  state: 'pending' | 'failed';
  lastError: { code: string; message: string; at: string } | null;
}

export interface OutboxStore {
  list(): Promise<OutboxItem[]>;
  add(item: OutboxItem): Promise<number>;
  put(item: OutboxItem): Promise<void>;
  delete(id: number): Promise<void>;
}

export function createIndexedDbOutboxStore(): OutboxStore {
  return {
    list: async () => (await withStore<OutboxItem[]>(STORE_OUTBOX, 'readonly', (store) => store.getAll())) ?? [],
    add: async (item) => Number(await withStore<IDBValidKey>(STORE_OUTBOX, 'readwrite', (store) => store.add(withoutId(item)))),
    put: async (item) => {
      await withStore(STORE_OUTBOX, 'readwrite', (store) => store.put(item));
    },
    delete: async (id) => {
      await withStore(STORE_OUTBOX, 'readwrite', (store) => store.delete(id));
    },
  };
}

function withoutId(item: OutboxItem): OutboxItem {
  const copy = { ...item };
  delete copy.id;
  return copy;
}

export function createMemoryOutboxStore(): OutboxStore {
  const items = new Map<number, OutboxItem>();
  let nextId = 1;
  return {
    list: async () => [...items.values()].sort((a, b) => (a.id ?? 0) - (b.id ?? 0)).map((item) => ({ ...item })),
    add: async (item) => {
      const id = nextId;
      nextId += 1;
      items.set(id, { ...item, id });
      return id;
    },
    put: async (item) => {
      if (item.id !== undefined) items.set(item.id, { ...item });
    },
    delete: async (id) => {
      items.delete(id);
    },
  };
}

export const outboxStore: OutboxStore = isIndexedDbAvailable() ? createIndexedDbOutboxStore() : createMemoryOutboxStore();
