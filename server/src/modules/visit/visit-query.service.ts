import type { z } from 'zod';
import type { CheckInTarget, FollowUp, Visit, VisitListItem, VisitPhoto, visitListQuerySchema } from '@shared/api/visit.js';
import type { Actor } from '../../access/actor.js';
import { resolveScope, type DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { getVisibleCustomerOrThrow, listCustomerContactRefs } from '../customer/customer.service.js';
import { canEditVisit, getVisibleVisitRowOrThrow, isCustomerVisible } from './visit-access.js';
import { listVisitPhotos } from './visit-photo.repository.js';
import { findVisitPlanFor } from './visit-plan.repository.js';
import { getVisitSettings } from './visit-settings.service.js';
import { listMissingExpectedTitles, toShelfCheckItem } from './shelf-check.service.js';
import * as visitRepository from './visit.repository.js';

type VisitListQuery = z.output<typeof visitListQuerySchema>;

export async function getVisit(db: DbExecutor, actor: Actor, visitId: number): Promise<Visit> {
  const row = await getVisibleVisitRowOrThrow(db, actor, visitId);

  const contacts = await visitRepository.listVisitContacts(db, row.id);
  const photos = await listVisitPhotos(db, row.id);
  const items = (await visitRepository.listShelfItems(db, row.id)).map(toShelfCheckItem);
  const settings = await getVisitSettings(db);
  const missingExpected = await listMissingExpectedTitles(db, row, items, settings.focusIsbns);
  return toVisit(actor, row, { contacts, photos, items, missingExpected });
}

/** Loads a visit just checked in, which has no contacts, photos or shelf check yet, so only its row is read. */
export async function getNewVisit(db: DbExecutor, actor: Actor, visitId: number): Promise<Visit> {
  const row = await visitRepository.findVisitById(db, visitId);
  if (!row) throw new Error(`visit ${visitId} vanished right after check-in`);
  return toVisit(actor, row, { contacts: [], photos: [], items: [], missingExpected: [] });
}

interface VisitParts {
  contacts: { contact_id: number | null; name: string }[];
  photos: Awaited<ReturnType<typeof listVisitPhotos>>;
  items: Visit['shelfCheck']['items'];
  missingExpected: Visit['shelfCheck']['missingExpected'];
}

function toVisit(actor: Actor, row: visitRepository.VisitRow, { contacts, photos, items, missingExpected }: VisitParts): Visit {
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    purpose: row.purpose,
    status: row.status,
    checkIn: {
      at: row.check_in_at,
      date: row.check_in_date,
      receivedAt: row.received_at,
      delayedUpload: row.delayed_upload === 1,
      location: toLocation(row),
      locationFailure: row.location_failure,
      distanceM: row.distance_m,
      radiusM: row.radius_m,
      locationStatus: row.location_status,
      flagged: row.flagged === 1,
      flagReason: row.flag_reason,
      setCustomerLocation: row.set_customer_location === 1,
    },
    checkOutAt: row.check_out_at,
    durationMinutes: row.duration_minutes,
    contacts: contacts.map((contact) => ({ contactId: contact.contact_id, name: contact.name })),
    notes: row.notes,
    outcome: row.outcome,
    nextStep: row.next_step,
    followUpDate: row.follow_up_date,
    followUpDoneAt: row.follow_up_done_at,
    planId: row.plan_id,
    photos: photos.map((photo) => toVisitPhoto(row.id, photo)),
    shelfCheck: { items, missingExpected },
    editable: canEditVisit(actor, row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toLocation(row: visitRepository.VisitRow): Visit['checkIn']['location'] {
  if (row.latitude === null || row.longitude === null) return null;
  return {
    latitude: row.latitude,
    longitude: row.longitude,
    accuracyMeters: row.accuracy_m,
    coordinateSystem: row.coordinate_system ?? 'wgs84',
    address: row.address,
  };
}

export function toVisitPhoto(visitId: number, photo: { id: number; width: number; height: number; size_bytes: number; taken_at: string | null; uploaded_at: string }): VisitPhoto {
  const base = `/api/visits/${visitId}/photos/${photo.id}`;
  return {
    id: photo.id,
    width: photo.width,
    height: photo.height,
    sizeBytes: photo.size_bytes,
    takenAt: photo.taken_at,
    uploadedAt: photo.uploaded_at,
    url: base,
    thumbnailUrl: `${base}?variant=thumbnail`,
    originalUrl: `${base}?variant=original`,
  };
}

/**
 * Lists visits newest first: a rep's own, a manager's team's, all for executives. With `customerId`,
 * everyone who may see that customer gets all of its visits (the customer's 360 view).
 */
export async function listVisits(db: DbExecutor, actor: Actor, query: VisitListQuery): Promise<{ items: VisitListItem[]; nextBefore: number | null }> {
  const owners: DataScope =
    query.customerId !== undefined && (await isCustomerVisible(db, actor, query.customerId)) ? { kind: 'all' } : await resolveScope(db, actor, 'business');

  const rows = await visitRepository.listVisits(db, {
    owners,
    customerId: query.customerId,
    ownerId: query.ownerId,
    from: query.from,
    to: query.to,
    purpose: query.purpose,
    flagged: query.flagged === undefined ? undefined : query.flagged === 'true',
    beforeId: query.before,
    limit: query.limit + 1,
  });

  const page = rows.slice(0, query.limit);
  const items = page.map((row) => ({
    id: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    purpose: row.purpose,
    status: row.status,
    checkInAt: row.check_in_at,
    checkOutAt: row.check_out_at,
    durationMinutes: row.duration_minutes,
    distanceM: row.distance_m,
    locationStatus: row.location_status,
    flagged: row.flagged === 1,
    delayedUpload: row.delayed_upload === 1,
    outcome: row.outcome,
    followUpDate: row.follow_up_date,
  }));
  return { items, nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null };
}

/** Visits checked in between two dates (inclusive, tenant calendar) by the owners of a scope; for workbench and KPIs. */
export async function countVisits(db: DbExecutor, scope: DataScope, from: string, to: string): Promise<number> {
  return visitRepository.countVisitsInRange(db, scope, from, to);
}

/** Lists the rep's follow-ups due today or earlier and not yet done, oldest first. */
export async function listDueFollowUps(db: DbExecutor, actor: Actor, now: Date, timeZone: string): Promise<FollowUp[]> {
  const today = localDate(now, timeZone);
  const rows = await visitRepository.listOpenFollowUps(db, actor.id, today, 50);
  return rows.map((row) => ({
    visitId: row.id,
    customerId: row.customer_id,
    customerName: row.customer_name,
    nextStep: row.next_step,
    followUpDate: row.follow_up_date ?? today,
    overdue: (row.follow_up_date ?? today) < today,
  }));
}

/** Returns the customer's location and the radius, so the phone can judge a check-in itself, offline too. */
export async function getCheckInTarget(db: DbExecutor, actor: Actor, customerId: number, now: Date, timeZone: string): Promise<CheckInTarget> {
  const customer = await getVisibleCustomerOrThrow(db, actor, customerId);
  const settings = await getVisitSettings(db);
  const plan = await findVisitPlanFor(db, actor.id, customer.id, localDate(now, timeZone));

  return {
    customerId: customer.id,
    customerName: customer.name,
    location: customer.location ? { latitude: customer.location.lat, longitude: customer.location.lng } : null,
    radiusM: settings.checkInRadiusM,
    planId: plan && plan.status === 'planned' ? plan.id : null,
    contacts: await listCustomerContactRefs(db, customer.id),
  };
}
