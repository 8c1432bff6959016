import type { CheckInTarget, GeoPositionInput } from '@shared/api/visit';
import type { CheckInLocationStatus, VisitPurpose } from '@shared/visit-rules';
import { isIndexedDbAvailable, STORE_DRAFTS, withStore } from './idb';

/** The rep's input for a visit, kept on the phone until every part of it has reached the server. */
export interface VisitDraft {
  localId: string;
  /** The rep who wrote it; other users of the same phone never see it. */
  userId: number;
  /** Known once the check-in reached the server (or from the start when editing a saved visit). */
  serverVisitId: number | null;
  customerId: number;
  customerName: string;
  target: CheckInTarget | null;
  checkIn: {
    tappedAt: string;
    location: GeoPositionInput | null;
    locationFailure: string | null;
    distanceM: number | null;
    status: CheckInLocationStatus;
    flagReason: string | null;
  } | null;
  record: DraftRecord;
  photos: DraftPhoto[];
  /** Photos the visit had on the server when this draft began (editing a saved visit). */
  uploadedPhotoCount: number;
  /** The visit was checked out before this draft began (editing a finished visit). */
  checkedOut: boolean;
  /** `open` while the rep is at the store; `submitted` after 签退, until the outbox has sent it all. */
  status: 'open' | 'submitted';
  createdAt: string;
  updatedAt: string;
}

export interface DraftRecord {
  purpose: VisitPurpose;
  contacts: { contactId: number | null; name: string }[];
  notes: string;
  outcome: string;
  nextStep: string;
  followUpDate: string | null;
  shelfChecks: DraftShelfItem[];
}

export interface DraftShelfItem {
  isbn: string;
  /** Catalog title when the phone could look it up; null offline or for a title outside the catalog. */
  title: string | null;
  /** The catalog was asked (so a null title means "not in the catalog", not "offline"). */
  catalogChecked: boolean;
  onShelf: boolean;
  facingCount: number;
  note: string;
}

export interface DraftPhoto {
  localPhotoId: string;
  /** A small JPEG data URL, so the draft shows the photo while the upload waits in the outbox. */
  thumbnail: string;
}

export interface VisitDraftStore {
  get(localId: string): Promise<VisitDraft | undefined>;
  list(): Promise<VisitDraft[]>;
  put(draft: VisitDraft): Promise<void>;
  delete(localId: string): Promise<void>;
}

export function createIndexedDbDraftStore(): VisitDraftStore {
  return {
    get: (localId) => withStore<VisitDraft>(STORE_DRAFTS, 'readonly', (store) => store.get(localId)),
    list: async () => (await withStore<VisitDraft[]>(STORE_DRAFTS, 'readonly', (store) => store.getAll())) ?? [],
    put: async (draft) => {
      await withStore(STORE_DRAFTS, 'readwrite', (store) => store.put(draft));
    },
    delete: async (localId) => {
      await withStore(STORE_DRAFTS, 'readwrite', (store) => store.delete(localId));
    },
  };
}

/** For tests, and for webviews without IndexedDB (drafts then live only as long as the page). */
export function createMemoryDraftStore(): VisitDraftStore {
  const drafts = new Map<string, VisitDraft>();
  return {
    get: async (localId) => structuredClone(drafts.get(localId)),
    list: async () => [...drafts.values()].map((draft) => structuredClone(draft)),
    put: async (draft) => {
      drafts.set(draft.localId, structuredClone(draft));
    },
    delete: async (localId) => {
      drafts.delete(localId);
    },
  };
}

export const visitDraftStore: VisitDraftStore = isIndexedDbAvailable() ? createIndexedDbDraftStore() : createMemoryDraftStore();
