import { toRaw } from 'vue';
import type { CheckInRequest, CheckInTarget, GeoPositionInput, SaveVisitRequest, Visit } from '@shared/api/visit';
import { evaluateCheckInLocation, type VisitPurpose } from '@shared/visit-rules';
import { preparePhoto } from './photo-compress';
import type { DraftRecord, VisitDraft } from './visit-draft-store';
import { enqueueCheckIn, enqueuePhoto, enqueueSave, getDraftStore } from './visit-outbox';

/**
 * A visit as the phone keeps it: created at check-in, filled in at the store, submitted at check-out.
 * Every step writes the draft to IndexedDB before anything is sent, so closing the app loses nothing.
 */

export function emptyRecord(purpose: VisitPurpose): DraftRecord {
  return { purpose, contacts: [], notes: '', outcome: '', nextStep: '', followUpDate: null, shelfChecks: [] };
}

export interface CheckInCapture {
  tappedAt: string;
  location: GeoPositionInput | null;
  locationFailure: string | null;
  flagReason: string | null;
  setCustomerLocation: boolean;
  purpose: VisitPurpose;
}

export function checkInBody(draft: VisitDraft, capture: CheckInCapture): CheckInRequest {
  return {
    customerId: draft.customerId,
    purpose: capture.purpose,
    location: capture.location,
    locationFailure: capture.locationFailure,
    flagReason: capture.flagReason,
    setCustomerLocation: capture.setCustomerLocation,
    tappedAt: capture.tappedAt,
  };
}

/** Starts a visit: decides the check-in with the same rule the server applies, then queues it. */
export async function startVisitDraft(userId: number, targetInput: CheckInTarget, captureInput: CheckInCapture): Promise<VisitDraft> {
  // The page passes refs' values, which are Vue proxies; their raw objects clone into IndexedDB.
  const target = structuredClone(toRaw(targetInput));
  const capture = { ...captureInput, location: captureInput.location ? structuredClone(toRaw(captureInput.location)) : null };
  const decision = evaluateCheckInLocation({ device: capture.location, customer: target.location, radiusM: target.radiusM });
  const now = new Date().toISOString();
  const draft: VisitDraft = {
    localId: crypto.randomUUID(),
    userId,
    serverVisitId: null,
    customerId: target.customerId,
    customerName: target.customerName,
    target,
    checkIn: {
      tappedAt: capture.tappedAt,
      location: capture.location,
      locationFailure: capture.locationFailure,
      distanceM: decision.distanceM,
      status: decision.status,
      flagReason: capture.flagReason,
    },
    record: emptyRecord(capture.purpose),
    photos: [],
    uploadedPhotoCount: 0,
    checkedOut: false,
    status: 'open',
    createdAt: now,
    updatedAt: now,
  };

  await getDraftStore().put(draft);
  await enqueueCheckIn(draft, checkInBody(draft, capture));
  return draft;
}

/** Editing a visit already on the server: the draft starts from what the server has. */
export async function draftFromVisit(userId: number, visit: Visit): Promise<VisitDraft> {
  const existing = (await getDraftStore().list()).find((draft) => draft.serverVisitId === visit.id && draft.userId === userId);
  if (existing) return existing;

  const now = new Date().toISOString();
  const draft: VisitDraft = {
    localId: crypto.randomUUID(),
    userId,
    serverVisitId: visit.id,
    customerId: visit.customerId,
    customerName: visit.customerName,
    target: null,
    checkIn: null,
    record: {
      purpose: visit.purpose,
      contacts: visit.contacts.map((contact) => ({ contactId: contact.contactId, name: contact.name })),
      notes: visit.notes,
      outcome: visit.outcome,
      nextStep: visit.nextStep,
      followUpDate: visit.followUpDate,
      shelfChecks: visit.shelfCheck.items.map((item) => ({ isbn: item.isbn, title: item.title, catalogChecked: true, onShelf: item.onShelf, facingCount: item.facingCount, note: item.note })),
    },
    photos: [],
    uploadedPhotoCount: visit.photos.length,
    checkedOut: visit.status === 'checked_out',
    status: 'open',
    createdAt: now,
    updatedAt: now,
  };
  await getDraftStore().put(draft);
  return draft;
}

export async function loadDraft(localId: string): Promise<VisitDraft | undefined> {
  return getDraftStore().get(localId);
}

export async function listUserDrafts(userId: number): Promise<VisitDraft[]> {
  const drafts = (await getDraftStore().list()).filter((draft) => draft.userId === userId);
  return drafts.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Keeps what was typed; called on every change of the form (debounced by the page). */
export async function keepDraftRecord(localId: string, record: DraftRecord): Promise<void> {
  const draft = await getDraftStore().get(localId);
  if (!draft) return;
  await getDraftStore().put({ ...draft, record: plainRecord(record), updatedAt: new Date().toISOString() });
}

/** Copies a record into plain objects, because the form edits Vue proxies, which IndexedDB cannot clone. */
function plainRecord(record: DraftRecord): DraftRecord {
  return {
    purpose: record.purpose,
    contacts: record.contacts.map((contact) => ({ contactId: contact.contactId, name: contact.name })),
    notes: record.notes,
    outcome: record.outcome,
    nextStep: record.nextStep,
    followUpDate: record.followUpDate,
    shelfChecks: record.shelfChecks.map((item) => ({ isbn: item.isbn, title: item.title, catalogChecked: item.catalogChecked, onShelf: item.onShelf, facingCount: item.facingCount, note: item.note })),
  };
}

export function saveBody(record: DraftRecord, checkOut: boolean, tappedAt: string | null): SaveVisitRequest {
  return {
    purpose: record.purpose,
    contacts: record.contacts.map((contact) => ({ contactId: contact.contactId, name: contact.name })),
    notes: record.notes,
    outcome: record.outcome,
    nextStep: record.nextStep,
    followUpDate: record.followUpDate,
    shelfChecks: record.shelfChecks.map((item) => ({ isbn: item.isbn, onShelf: item.onShelf, facingCount: item.onShelf ? item.facingCount : 0, note: item.note })),
    checkOut,
    tappedAt,
  };
}

/**
 * Queues the record. With `finish` the rep is done with the draft, which is removed once the outbox has
 * sent it all. `checkOut` also ends the visit (check-out time and duration).
 */
export async function submitDraft(localId: string, record: DraftRecord, options: { checkOut: boolean; finish: boolean }): Promise<void> {
  const draft = await getDraftStore().get(localId);
  if (!draft) throw new Error(`visit draft ${localId} not found`);

  const plain = plainRecord(record);
  const updated: VisitDraft = { ...draft, record: plain, status: options.finish ? 'submitted' : draft.status, updatedAt: new Date().toISOString() };
  await getDraftStore().put(updated);
  await enqueueSave(updated, saveBody(plain, options.checkOut, options.checkOut ? new Date().toISOString() : null));
}

/** Compresses a photo, keeps its thumbnail in the draft and queues the upload. */
export async function addDraftPhoto(localId: string, file: File): Promise<VisitDraft> {
  const prepared = await preparePhoto(file);
  const draft = await getDraftStore().get(localId);
  if (!draft) throw new Error(`visit draft ${localId} not found`);

  const localPhotoId = crypto.randomUUID();
  const updated: VisitDraft = { ...draft, photos: [...draft.photos, { localPhotoId, thumbnail: prepared.thumbnail }], updatedAt: new Date().toISOString() };
  await getDraftStore().put(updated);
  await enqueuePhoto(updated, { blob: prepared.blob, takenAt: new Date(file.lastModified || Date.now()).toISOString(), localPhotoId });
  return updated;
}
