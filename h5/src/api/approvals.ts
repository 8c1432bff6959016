import type { z } from 'zod';
import {
  approvalCountsSchema,
  approvalDetailSchema,
  approvalListSchema,
  approvalTemplateListSchema,
  approvalTemplateSchema,
  type ApprovalBox,
  type ApprovalTemplateCode,
  type TemplateDefinition,
  type addApproverRequestSchema,
  type approveRequestSchema,
  type commentRequestSchema,
  type rejectRequestSchema,
  type sendBackRequestSchema,
  type transferRequestSchema,
  type withdrawRequestSchema,
} from '@shared/api/approval';
import { orgChartSchema } from '@shared/api/org';
import { apiRequest } from './client';

/** Calls of the approval area. Every action returns the approval as it is afterwards. */

export function fetchApprovals(box: ApprovalBox, before?: number) {
  return apiRequest('/api/approvals', approvalListSchema, { query: { box, before, limit: 20 } });
}

export function fetchApprovalCounts() {
  return apiRequest('/api/approvals/counts', approvalCountsSchema);
}

export function fetchApproval(approvalId: number) {
  return apiRequest(`/api/approvals/${approvalId}`, approvalDetailSchema);
}

/** Actions and their bodies; the idempotency key is created once per tap, so a retried request is not applied twice. */
interface ApprovalActionBodies {
  approve: z.input<typeof approveRequestSchema>;
  reject: z.input<typeof rejectRequestSchema>;
  'send-back': z.input<typeof sendBackRequestSchema>;
  transfer: z.input<typeof transferRequestSchema>;
  'add-approver': z.input<typeof addApproverRequestSchema>;
  withdraw: z.input<typeof withdrawRequestSchema>;
  resubmit: { comment?: string };
  comments: z.input<typeof commentRequestSchema>;
}

export function actOnApproval<A extends keyof ApprovalActionBodies>(approvalId: number, action: A, body: ApprovalActionBodies[A], idempotencyKey: string) {
  return apiRequest(`/api/approvals/${approvalId}/${action}`, approvalDetailSchema, { method: 'POST', body, idempotencyKey });
}

/** The org chart, for choosing whom to transfer a task to or add as approver. */
export function fetchOrgChart() {
  return apiRequest('/api/org', orgChartSchema);
}

export function fetchApprovalTemplates() {
  return apiRequest('/api/approval-templates', approvalTemplateListSchema);
}

export function saveApprovalTemplate(code: ApprovalTemplateCode, definition: TemplateDefinition, version: number) {
  return apiRequest(`/api/approval-templates/${code}`, approvalTemplateSchema, { method: 'PUT', body: { definition, version } });
}
