import { z } from 'zod';
import { customerListResponseSchema } from '@shared/api/customer';
import {
  checkInTargetSchema,
  followUpListSchema,
  shelfLookupSchema,
  teamViewSchema,
  visitListResponseSchema,
  visitPhotoSchema,
  visitPlanListSchema,
  visitPlanSchema,
  visitSchema,
  type CreateVisitPlanRequest,
  type VisitListQuery,
} from '@shared/api/visit';
import type { OutboxSender } from '../offline/outbox-flush';
import { apiRequest, newIdempotencyKey } from './client';
import { ApiRequestError, readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

/** Calls of the visit area. Writes of a visit go through the offline outbox (offline/visit-outbox.ts). */

export function fetchCheckInTarget(customerId: number) {
  return apiRequest('/api/visits/check-in-target', checkInTargetSchema, { query: { customerId } });
}

export function fetchVisits(query: VisitListQuery) {
  return apiRequest('/api/visits', visitListResponseSchema, { query: { ...query } });
}

export function fetchVisit(visitId: number) {
  return apiRequest(`/api/visits/${visitId}`, visitSchema);
}

export function fetchDueFollowUps() {
  return apiRequest('/api/visits/follow-ups', followUpListSchema);
}

export function completeFollowUp(visitId: number) {
  return apiRequest(`/api/visits/${visitId}/follow-up/complete`, visitSchema, { method: 'POST', idempotencyKey: newIdempotencyKey() });
}

export function lookupShelfIsbn(isbn: string) {
  return apiRequest('/api/visits/shelf-lookup', shelfLookupSchema, { query: { isbn } });
}

export function fetchVisitPlans(query: { from: string; to: string; ownerId?: number }) {
  return apiRequest('/api/visit-plans', visitPlanListSchema, { query });
}

export function createVisitPlan(body: CreateVisitPlanRequest, idempotencyKey: string) {
  return apiRequest('/api/visit-plans', visitPlanSchema, { method: 'POST', body, idempotencyKey });
}

export function cancelVisitPlan(planId: number) {
  return apiRequest(`/api/visit-plans/${planId}/cancel`, visitPlanSchema, { method: 'POST', body: {} });
}

export function fetchTeamView(from: string, to: string) {
  return apiRequest('/api/visits/team', teamViewSchema, { query: { from, to } });
}

/** Customers the rep may visit, for the customer picker (name, short name, pinyin or initials). */
export function searchCustomersForVisit(q: string) {
  return apiRequest('/api/customers', customerListResponseSchema, { query: { q: q || undefined, limit: 20 } });
}

/**
 * Fetches a visit photo as an object URL. Photos need the session token, which an <img src> cannot send,
 * so the page fetches the bytes. The caller revokes the URL when the image leaves the screen.
 */
export async function fetchPhotoObjectUrl(path: string): Promise<string> {
  const token = loadSessionToken();
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw await readErrorResponse(response);
  return URL.createObjectURL(await response.blob());
}

const checkInAnswerSchema = visitSchema.pick({ id: true });

/** Sender of the queued items; each request carries the phone's clock so the server can date late check-ins. */
export const outboxSender: OutboxSender = {
  async checkIn(item) {
    const visit = await apiRequest('/api/visits', checkInAnswerSchema, { method: 'POST', body: item.body, idempotencyKey: item.idempotencyKey, query: { clientTime: new Date().toISOString() } });
    return { visitId: visit.id };
  },

  async save(item, visitId) {
    await apiRequest(`/api/visits/${visitId}`, z.unknown(), { method: 'PUT', body: item.body, idempotencyKey: item.idempotencyKey, query: { clientTime: new Date().toISOString() } });
  },

  async uploadPhoto(item, visitId) {
    if (!item.photo) throw new ApiRequestError({ status: 400, code: 'photo_missing', message: '照片数据丢失，请重新拍摄' });
    const form = new FormData();
    form.append('photo', item.photo.blob, `${item.photo.localPhotoId}.jpg`);
    form.append('takenAt', item.photo.takenAt);
    await apiRequest(`/api/visits/${visitId}/photos`, visitPhotoSchema, { method: 'POST', body: form });
  },
};
