import type { z } from 'zod';
import {
  bookListPageSchema,
  type deliveryCreateSchema,
  type projectCreateSchema,
  deliveryBatchSchema,
  deliveryListSchema,
  documentListSchema,
  documentSchema,
  importReportSchema,
  milestoneListSchema,
  projectDetailSchema,
  projectLinkListSchema,
  projectListSchema,
  projectMembersSchema,
  shipResultSchema,
  subscriptionOrderListSchema,
  subscriptionOrderSchema,
  subscriptionImportReportSchema,
  subscriptionSchema,
  taskListSchema,
  taskSchema,
  type LinkRefType,
  type ProjectListQuery,
  type ProjectUpdate,
  type bookListFilterSchema,
  type milestoneUpdateSchema,
  type subscriptionOrderInputSchema,
  type taskCreateSchema,
  type taskUpdateSchema,
} from '@shared/api/project';
import { linkCandidateListSchema, linkTargetListSchema, type LinkCandidateType } from '@shared/api/project-links';
import { customerListResponseSchema } from '@shared/api/customer';
import { orgChartSchema } from '@shared/api/org';
import type { ProjectMemberRole } from '@shared/project-rules';
import { apiRequest, apiSend } from './client';
import { downloadApiFile } from './file-download';

/** Calls of the project area: projects, members, milestones, tasks, documents, 馆配 and 教材征订. */

export function fetchProjects(query: Partial<ProjectListQuery>) {
  return apiRequest('/api/projects', projectListSchema, { query });
}

export function fetchProject(projectId: number) {
  return apiRequest(`/api/projects/${projectId}`, projectDetailSchema);
}

export function createProject(body: z.input<typeof projectCreateSchema>, idempotencyKey: string) {
  return apiRequest('/api/projects', projectDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function updateProject(projectId: number, changes: ProjectUpdate) {
  return apiRequest(`/api/projects/${projectId}`, projectDetailSchema, { method: 'PATCH', body: changes });
}

export function addMember(projectId: number, userId: number, role: ProjectMemberRole) {
  return apiRequest(`/api/projects/${projectId}/members`, projectMembersSchema, { method: 'POST', body: { userId, role } });
}

export function removeMember(projectId: number, userId: number) {
  return apiRequest(`/api/projects/${projectId}/members/${userId}`, projectMembersSchema, { method: 'DELETE' });
}

export function addMilestone(projectId: number, body: { name: string; dueDate: string | null; assigneeId?: number | null }) {
  return apiRequest(`/api/projects/${projectId}/milestones`, milestoneListSchema, { method: 'POST', body });
}

export function updateMilestone(projectId: number, milestoneId: number, changes: z.input<typeof milestoneUpdateSchema>) {
  return apiRequest(`/api/projects/${projectId}/milestones/${milestoneId}`, milestoneListSchema, { method: 'PATCH', body: changes });
}

export function fetchTasks(projectId: number) {
  return apiRequest(`/api/projects/${projectId}/tasks`, taskListSchema);
}

export function fetchMyTasks(filter: 'due' | 'open' | 'done') {
  return apiRequest('/api/project-tasks/mine', taskListSchema, { query: { filter } });
}

export function createTask(projectId: number, body: z.input<typeof taskCreateSchema>, idempotencyKey: string) {
  return apiRequest(`/api/projects/${projectId}/tasks`, taskSchema, { method: 'POST', body, idempotencyKey });
}

export function updateTask(projectId: number, taskId: number, changes: z.input<typeof taskUpdateSchema>) {
  return apiRequest(`/api/projects/${projectId}/tasks/${taskId}`, taskSchema, { method: 'PATCH', body: changes });
}

export function deleteTask(projectId: number, taskId: number) {
  return apiSend(`/api/projects/${projectId}/tasks/${taskId}`, { method: 'DELETE' });
}

export function fetchDocuments(projectId: number) {
  return apiRequest(`/api/projects/${projectId}/documents`, documentListSchema);
}

export function uploadDocument(projectId: number, file: File, kind: string) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', file, file.name);
  return apiRequest(`/api/projects/${projectId}/documents`, documentSchema, { method: 'POST', body: form });
}

export function downloadDocument(projectId: number, documentId: number, fileName: string) {
  return downloadApiFile(`/api/projects/${projectId}/documents/${documentId}/file`, fileName);
}

export function fetchLinks(projectId: number) {
  return apiRequest(`/api/projects/${projectId}/links`, projectLinkListSchema);
}

/** Records of the project's customers the user can see, to pick one to link. */
export function fetchLinkCandidates(projectId: number, query: { refType: LinkCandidateType; customerId?: number; q?: string }) {
  return apiRequest(`/api/projects/${projectId}/link-candidates`, linkCandidateListSchema, { query });
}

export function linkRecord(projectId: number, refType: LinkRefType, refId: number) {
  return apiRequest(`/api/projects/${projectId}/links`, projectLinkListSchema, { method: 'POST', body: { refType, refId } });
}

export function unlinkRecord(projectId: number, linkId: number) {
  return apiSend(`/api/projects/${projectId}/links/${linkId}`, { method: 'DELETE' });
}

/** Projects a visit, quote or contract can be linked to from its own page. */
export function fetchLinkTargets(refType: LinkRefType, refId: number) {
  return apiRequest('/api/project-link-targets', linkTargetListSchema, { query: { refType, refId } });
}

export function deleteMilestone(projectId: number, milestoneId: number) {
  return apiRequest(`/api/projects/${projectId}/milestones/${milestoneId}`, milestoneListSchema, { method: 'DELETE' });
}

export function fetchBookList(projectId: number, query: { filter: z.infer<typeof bookListFilterSchema>; q?: string; offset: number; limit?: number }) {
  return apiRequest(`/api/projects/${projectId}/book-list`, bookListPageSchema, { query: { ...query, limit: query.limit ?? 50 } });
}

/** Uploads a book list (kind 'book-list') or holdings list (kind 'holdings'); a dry run only reports. */
export function importProjectSheet(projectId: number, kind: 'book-list' | 'holdings', file: File, options: { dryRun: boolean; mode?: 'merge' | 'replace' }) {
  const form = new FormData();
  form.set('file', file, file.name);
  return apiRequest(`/api/projects/${projectId}/${kind}/import`, importReportSchema, {
    method: 'POST',
    body: form,
    query: { dryRun: options.dryRun ? 'true' : 'false', mode: kind === 'book-list' ? (options.mode ?? 'merge') : undefined },
  });
}

export function downloadBookList(projectId: number, fileName: string) {
  return downloadApiFile(`/api/projects/${projectId}/book-list/export`, fileName);
}

export function downloadBookListTemplate() {
  return downloadApiFile('/api/project-book-list-template', '馆配书目导入模板.xlsx');
}

export function fetchDeliveries(projectId: number) {
  return apiRequest(`/api/projects/${projectId}/deliveries`, deliveryListSchema);
}

export function fetchDelivery(projectId: number, batchId: number) {
  return apiRequest(`/api/projects/${projectId}/deliveries/${batchId}`, deliveryBatchSchema);
}

export function createDelivery(projectId: number, body: z.input<typeof deliveryCreateSchema>, idempotencyKey: string) {
  return apiRequest(`/api/projects/${projectId}/deliveries`, deliveryBatchSchema, { method: 'POST', body, idempotencyKey });
}

/** Uploads a school's order sheet; a dry run only reports what would change. */
export function importSubscriptionOrders(projectId: number, file: File, options: { dryRun: boolean; mode?: 'merge' | 'replace' }) {
  const form = new FormData();
  form.set('file', file, file.name);
  return apiRequest(`/api/projects/${projectId}/subscription/orders/import`, subscriptionImportReportSchema, {
    method: 'POST',
    body: form,
    query: { dryRun: options.dryRun ? 'true' : 'false', mode: options.mode ?? 'merge' },
  });
}

export function downloadSubscriptionTemplate() {
  return downloadApiFile('/api/project-subscription-template', '教材征订订单导入模板.xlsx');
}

export function fetchSubscription(projectId: number) {
  return apiRequest(`/api/projects/${projectId}/subscription`, subscriptionSchema);
}

export function updateSubscription(projectId: number, changes: { catalogSentDate?: string | null; orderDeadline?: string; termStartDate?: string }) {
  return apiRequest(`/api/projects/${projectId}/subscription`, subscriptionSchema, { method: 'PATCH', body: changes });
}

export function fetchSubscriptionOrders(projectId: number) {
  return apiRequest(`/api/projects/${projectId}/subscription/orders`, subscriptionOrderListSchema);
}

export function addSubscriptionOrders(projectId: number, orders: z.input<typeof subscriptionOrderInputSchema>[], idempotencyKey: string) {
  return apiRequest(`/api/projects/${projectId}/subscription/orders`, subscriptionOrderListSchema, { method: 'POST', body: { orders }, idempotencyKey });
}

export function shipSubscriptionOrders(projectId: number, shippedDate: string, idempotencyKey: string) {
  return apiRequest(`/api/projects/${projectId}/subscription/shipments`, shipResultSchema, { method: 'POST', body: { shippedDate }, idempotencyKey });
}

export function recordSubscriptionReturn(projectId: number, orderId: number, body: { quantity: number; returnedDate: string }, idempotencyKey: string) {
  return apiRequest(`/api/projects/${projectId}/subscription/orders/${orderId}/returns`, subscriptionOrderSchema, { method: 'POST', body, idempotencyKey });
}

export function searchCustomersForProject(q: string) {
  return apiRequest('/api/customers', customerListResponseSchema, { query: { q: q || undefined, limit: 20 } });
}

/** Everyone in the org chart, for choosing members and assignees. */
export function fetchOrgUsers() {
  return apiRequest('/api/org', orgChartSchema);
}
