/**
 * A few promise helpers over IndexedDB, enough for the visit drafts and the outbox. The browser's API is
 * callback based. Each helper opens one transaction and settles when that transaction completes, so a
 * write has reached disk when its promise resolves.
 */

const DATABASE_NAME = 'crm-offline';
const DATABASE_VERSION = 1;

export const STORE_DRAFTS = 'visit_drafts';
export const STORE_OUTBOX = 'outbox';

let opening: Promise<IDBDatabase> | null = null;

export function isIndexedDbAvailable(): boolean {
  return typeof indexedDB !== 'undefined';
}

export function openOfflineDatabase(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DATABASE_NAME, DATABASE_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE_DRAFTS)) db.createObjectStore(STORE_DRAFTS, { keyPath: 'localId' });
      if (!db.objectStoreNames.contains(STORE_OUTBOX)) db.createObjectStore(STORE_OUTBOX, { keyPath: 'id', autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    // Another tab still has an older version open until its next reload.
    request.onblocked = () => console.warn('IndexedDB upgrade blocked by another open tab');
  }).catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

/** Runs `work` in one transaction over `storeName` and resolves with its result once the transaction commits. */
export async function withStore<T>(storeName: string, mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await openOfflineDatabase();
  return new Promise<T | undefined>((resolve, reject) => {
    const transaction = db.transaction(storeName, mode);
    const request = work(transaction.objectStore(storeName));
    transaction.oncomplete = () => resolve(request ? request.result : undefined);
    transaction.onerror = () => reject(transaction.error ?? new Error(`IndexedDB ${mode} on ${storeName} failed`));
    transaction.onabort = () => reject(transaction.error ?? new Error(`IndexedDB ${mode} on ${storeName} aborted`));
  });
}
