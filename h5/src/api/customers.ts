import { z } from 'zod';
import {
  assigneeListSchema,
  contactSchema,
  creditEvaluationSchema,
  customerListResponseSchema,
  customerSchema,
  duplicateCheckResponseSchema,
  okSchema,
  regionTreeSchema,
  stageHistoryEntrySchema,
  timelinePageSchema,
  type ContactInput,
  type CustomerListQuery,
  type TimelineKind,
} from '@shared/api/customer';
import { collaborationRequestSchema, type CollaborationRequestInput } from '@shared/api/customer-collaboration';
import { customerImportSchema } from '@shared/api/customer-import';
import { poolSettingsSchema, upcomingPoolReturnsSchema, type PoolSettings } from '@shared/api/customer-pool';
import { discountAgreementsResponseSchema, type DiscountAgreementInput } from '@shared/api/discount-agreement';
import type { CustomerStage } from '@shared/customer-rules';
import { apiRequest, newIdempotencyKey } from './client';
import { downloadApiFile } from './file-download';

/** Calls of the customer area. Inputs are the raw form values; the server parses them with the same schemas. */

type ListQuery = Partial<Omit<CustomerListQuery, 'type' | 'stage' | 'withTotal'>> & { type?: string[]; stage?: string[]; withTotal?: boolean };

function listQueryParams(query: ListQuery): Record<string, string | number | undefined> {
  return {
    q: query.q || undefined,
    view: query.view,
    type: query.type?.length ? query.type.join(',') : undefined,
    stage: query.stage?.length ? query.stage.join(',') : undefined,
    regionCode: query.regionCode,
    ownerId: query.ownerId,
    notFollowedDays: query.notFollowedDays,
    tag: query.tag,
    sort: query.sort,
    order: query.order,
    offset: query.offset,
    limit: query.limit,
    withTotal: query.withTotal ? 'true' : undefined,
  };
}

export function fetchCustomers(query: ListQuery) {
  return apiRequest('/api/customers', customerListResponseSchema, { query: listQueryParams(query) });
}

export function exportCustomers(query: ListQuery) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(listQueryParams({ ...query, offset: undefined, limit: undefined }))) if (value !== undefined) params.set(key, String(value));
  return downloadApiFile(`/api/customers/export?${params.toString()}`, `客户_${new Date().toISOString().slice(0, 10)}.xlsx`);
}

export function fetchCustomer(id: number) {
  return apiRequest(`/api/customers/${id}`, customerSchema);
}

export function createCustomer(body: unknown, idempotencyKey: string) {
  return apiRequest('/api/customers', customerSchema, { method: 'POST', body, idempotencyKey });
}

export function updateCustomer(id: number, body: unknown) {
  return apiRequest(`/api/customers/${id}`, customerSchema, { method: 'PATCH', body });
}

export function changeStage(id: number, body: { stage: CustomerStage; reason?: string; version: number }) {
  return apiRequest(`/api/customers/${id}/stage`, customerSchema, { method: 'POST', body });
}

export function fetchStageHistory(id: number) {
  return apiRequest(`/api/customers/${id}/stage-history`, z.array(stageHistoryEntrySchema));
}

export function fetchTimeline(id: number, page: { before?: number; kind?: TimelineKind; limit?: number }) {
  return apiRequest(`/api/customers/${id}/timeline`, timelinePageSchema, { query: { before: page.before, kind: page.kind, limit: page.limit ?? 20 } });
}

export function fetchCredit(id: number) {
  return apiRequest(`/api/customers/${id}/credit`, creditEvaluationSchema);
}

export function checkDuplicate(query: { name?: string; creditCode?: string; mobile?: string; excludeId?: number }) {
  return apiRequest('/api/customers/duplicate-check', duplicateCheckResponseSchema, { query });
}

export function fetchRegions() {
  return apiRequest('/api/regions', regionTreeSchema);
}

export function fetchAssignees() {
  return apiRequest('/api/customers/assignees', assigneeListSchema);
}

export function claimCustomer(id: number) {
  return apiRequest(`/api/customers/${id}/claim`, customerSchema, { method: 'POST', idempotencyKey: newIdempotencyKey() });
}

export function releaseCustomer(id: number, reason: string) {
  return apiRequest(`/api/customers/${id}/release`, customerSchema, { method: 'POST', body: { reason } });
}

export function transferCustomer(id: number, toUserId: number, reason: string) {
  return apiRequest(`/api/customers/${id}/transfer`, customerSchema, { method: 'POST', body: { toUserId, reason } });
}

export function addCollaborator(id: number, userId: number, canEdit: boolean) {
  return apiRequest(`/api/customers/${id}/collaborators`, customerSchema, { method: 'POST', body: { userId, canEdit } });
}

export function removeCollaborator(id: number, userId: number) {
  return apiRequest(`/api/customers/${id}/collaborators/${userId}`, okSchema, { method: 'DELETE' });
}

export function fetchContacts(customerId: number) {
  return apiRequest(`/api/customers/${customerId}/contacts`, z.array(contactSchema));
}

export function addContact(customerId: number, body: Partial<Record<keyof ContactInput, unknown>>, idempotencyKey: string) {
  return apiRequest(`/api/customers/${customerId}/contacts`, contactSchema, { method: 'POST', body, idempotencyKey });
}

export function updateContact(contactId: number, body: Partial<Record<keyof ContactInput, unknown>>) {
  return apiRequest(`/api/contacts/${contactId}`, contactSchema, { method: 'PUT', body });
}

export function deleteContact(contactId: number) {
  return apiRequest(`/api/contacts/${contactId}`, okSchema, { method: 'DELETE' });
}

export function fetchDiscountAgreements(customerId: number) {
  return apiRequest(`/api/customers/${customerId}/discount-agreements`, discountAgreementsResponseSchema);
}

export function saveDiscountAgreement(customerId: number, agreementId: number | null, body: Partial<Record<keyof DiscountAgreementInput, unknown>>) {
  return agreementId === null
    ? apiRequest(`/api/customers/${customerId}/discount-agreements`, discountAgreementsResponseSchema, { method: 'POST', body })
    : apiRequest(`/api/customers/${customerId}/discount-agreements/${agreementId}`, discountAgreementsResponseSchema, { method: 'PUT', body });
}

export function deleteDiscountAgreement(customerId: number, agreementId: number, reason: string) {
  return apiRequest(`/api/customers/${customerId}/discount-agreements/${agreementId}`, discountAgreementsResponseSchema, { method: 'DELETE', query: { reason } });
}

export function requestCollaboration(body: CollaborationRequestInput) {
  return apiRequest('/api/customers/collaboration-requests', collaborationRequestSchema, { method: 'POST', body, idempotencyKey: newIdempotencyKey() });
}

export function fetchCollaborationRequests(box: 'incoming' | 'outgoing') {
  return apiRequest('/api/customers/collaboration-requests', z.array(collaborationRequestSchema), { query: { box } });
}

export function decideCollaborationRequest(id: number, accept: boolean, canEdit: boolean) {
  return apiRequest(`/api/customers/collaboration-requests/${id}/decision`, collaborationRequestSchema, { method: 'POST', body: { accept, canEdit } });
}

export function downloadImportTemplate() {
  return downloadApiFile('/api/customers/import-template', '客户导入模板.xlsx');
}

export function uploadImport(file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiRequest('/api/customers/imports', customerImportSchema, { method: 'POST', body: form });
}

export function fetchImport(id: number) {
  return apiRequest(`/api/customers/imports/${id}`, customerImportSchema);
}

export function commitImport(id: number) {
  return apiRequest(`/api/customers/imports/${id}/commit`, customerImportSchema, { method: 'POST' });
}

export function fetchPoolSettings() {
  return apiRequest('/api/customers/pool-settings', poolSettingsSchema);
}

export function savePoolSettings(body: PoolSettings) {
  return apiRequest('/api/customers/pool-settings', poolSettingsSchema, { method: 'PUT', body });
}

/** Fetches the caller's own customers inside the pool-return notice window, soonest first. */
export function fetchUpcomingPoolReturns() {
  return apiRequest('/api/customers/pool-returns', upcomingPoolReturnsSchema);
}
