import { z } from 'zod';
import {
  allocationResultSchema,
  contractReceivableSummarySchema,
  customerReceivableSummarySchema,
  customerSearchSchema,
  planDetailSchema,
  planListSchema,
  receiptDetailSchema,
  receiptImportReportSchema,
  receiptListSchema,
  receivableOverviewSchema,
  receivableSettingsSchema,
  type ReceivableSettings,
  type createReceiptSchema,
} from '@shared/api/receivable';
import {
  consignmentStockSchema,
  documentImportReportSchema,
  returnOrderDetailSchema,
  returnOrderListSchema,
  settlementSchema,
  shipmentDetailSchema,
  shipmentListSchema,
  type createReturnOrderSchema,
} from '@shared/api/receivable-documents';
import { invoicePrefillSchema, invoiceRequestDetailSchema, invoiceRequestListSchema, type createInvoiceRequestSchema, type recordInvoiceSchema } from '@shared/api/receivable-invoice';
import {
  disputeListSchema,
  publicStatementSchema,
  settleDisputeResultSchema,
  shareLinkSchema,
  statementDetailSchema,
  statementDisputeSchema,
  statementListSchema,
} from '@shared/api/receivable-statement';
import type { AgingBucket } from '@shared/receivable-rules';
import { apiRequest } from './client';
import { ApiRequestError, readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

/** Calls of the receivables area: plans, receipts, invoices, statements and the public statement link. */

export function fetchReceivableOverview() {
  return apiRequest('/api/receivables/overview', receivableOverviewSchema);
}

export function fetchPlans(query: { bucket?: AgingBucket | 'overdue'; ownerId?: number; customerId?: number; status?: 'unpaid' | 'received' | 'all'; offset: number }) {
  return apiRequest('/api/receivables/plans', planListSchema, { query: { ...query, limit: 30 } });
}

export function fetchPlan(planId: number) {
  return apiRequest(`/api/receivables/plans/${planId}`, planDetailSchema);
}

export function fetchCustomerSummary(customerId: number) {
  return apiRequest(`/api/receivables/customers/${customerId}/summary`, customerReceivableSummarySchema);
}

export function fetchContractSummary(contractId: number) {
  return apiRequest(`/api/receivables/contracts/${contractId}/summary`, contractReceivableSummarySchema);
}

export function searchMoneyCustomers(q: string) {
  return apiRequest('/api/receivables/customers', customerSearchSchema, { query: { q, limit: 20 } });
}

export function fetchReceipts(query: { unallocated?: boolean; customerId?: number; q?: string; offset: number }) {
  return apiRequest('/api/receivables/receipts', receiptListSchema, { query: { ...query, unallocated: query.unallocated ? 'true' : undefined, limit: 30 } });
}

export function fetchReceipt(receiptId: number) {
  return apiRequest(`/api/receivables/receipts/${receiptId}`, receiptDetailSchema);
}

export function createReceipt(body: z.input<typeof createReceiptSchema>, idempotencyKey: string) {
  return apiRequest('/api/receivables/receipts', receiptDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function allocateReceipt(receiptId: number, allocations: { planId: number; amountFen: number }[], idempotencyKey: string) {
  return apiRequest(`/api/receivables/receipts/${receiptId}/allocations`, allocationResultSchema, { method: 'POST', body: { allocations }, idempotencyKey });
}

export function autoAllocateReceipt(receiptId: number) {
  return apiRequest(`/api/receivables/receipts/${receiptId}/auto-allocate`, allocationResultSchema, { method: 'POST', body: {} });
}

export function reverseReceipt(receiptId: number, reason: string) {
  return apiRequest(`/api/receivables/receipts/${receiptId}/reverse`, receiptDetailSchema, { method: 'POST', body: { reason } });
}

export function importBankStatement(file: File, dryRun: boolean) {
  const form = new FormData();
  form.set('file', file, file.name);
  return apiRequest('/api/receivables/receipts/import', receiptImportReportSchema, { method: 'POST', body: form, query: { dryRun } });
}

export function fetchInvoicePrefill(contractId: number) {
  return apiRequest('/api/receivables/invoice-requests/prefill', invoicePrefillSchema, { query: { contractId } });
}

export function createInvoiceRequest(body: z.input<typeof createInvoiceRequestSchema>, idempotencyKey: string) {
  return apiRequest('/api/receivables/invoice-requests', invoiceRequestDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function fetchInvoiceRequests(query: { status?: string; offset: number }) {
  return apiRequest('/api/receivables/invoice-requests', invoiceRequestListSchema, { query: { ...query, limit: 30 } });
}

export function fetchInvoiceRequest(requestId: number) {
  return apiRequest(`/api/receivables/invoice-requests/${requestId}`, invoiceRequestDetailSchema);
}

export function recordInvoice(requestId: number, body: z.input<typeof recordInvoiceSchema>, idempotencyKey: string) {
  return apiRequest(`/api/receivables/invoice-requests/${requestId}/invoices`, invoiceRequestDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function recordRedInvoice(invoiceId: number, body: { invoiceCode?: string; invoiceNumber: string; issueDate: string; amountFen: number; reason: string }, idempotencyKey: string) {
  return apiRequest(`/api/receivables/invoices/${invoiceId}/red-letter`, invoiceRequestDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function fetchStatement(customerId: number, month: string, offset = 0) {
  return apiRequest('/api/receivables/statement', statementDetailSchema, { query: { customerId, month, limit: 100, offset } });
}

export function fetchStatementById(statementId: number, offset = 0) {
  return apiRequest(`/api/receivables/statements/${statementId}`, statementDetailSchema, { query: { limit: 100, offset } });
}

export function fetchStatements(query: { month?: string; status?: string; offset: number }) {
  return apiRequest('/api/receivables/statements', statementListSchema, { query: { ...query, limit: 30 } });
}

export function sendStatement(customerId: number, month: string, idempotencyKey: string) {
  return apiRequest('/api/receivables/statements', statementDetailSchema, { method: 'POST', body: { customerId, month }, idempotencyKey });
}

export function createShareLink(statementId: number) {
  return apiRequest(`/api/receivables/statements/${statementId}/shares`, shareLinkSchema, { method: 'POST', body: {} });
}

export function fetchDisputes(status: 'open' | 'resolved' | 'settled', offset = 0) {
  return apiRequest('/api/receivables/disputes', disputeListSchema, { query: { status, offset, limit: 30 } });
}

export function resolveDispute(disputeId: number, note: string) {
  return apiRequest(`/api/receivables/disputes/${disputeId}/resolve`, statementDisputeSchema, { method: 'POST', body: { note } });
}

export function settleDispute(disputeId: number) {
  return apiRequest(`/api/receivables/disputes/${disputeId}/settle`, settleDisputeResultSchema, { method: 'POST', body: {} });
}

export function fetchShipment(shipmentId: number) {
  return apiRequest(`/api/receivables/shipments/${shipmentId}`, shipmentDetailSchema);
}

export function fetchReturnOrder(returnOrderId: number) {
  return apiRequest(`/api/receivables/returns/${returnOrderId}`, returnOrderDetailSchema);
}

export function fetchShipments(query: { customerId?: number; offset: number }) {
  return apiRequest('/api/receivables/shipments', shipmentListSchema, { query: { ...query, limit: 30 } });
}

export function fetchReturnOrders(query: { customerId?: number; status?: string; offset: number }) {
  return apiRequest('/api/receivables/returns', returnOrderListSchema, { query: { ...query, limit: 30 } });
}

export function createReturnOrder(body: z.input<typeof createReturnOrderSchema>, idempotencyKey: string) {
  return apiRequest('/api/receivables/returns', returnOrderDetailSchema, { method: 'POST', body, idempotencyKey });
}

/** Imports shipments or returns from a distribution-system export; a dry run only reports. */
export function importDocuments(kind: 'shipments' | 'returns', file: File, dryRun: boolean) {
  const form = new FormData();
  form.set('file', file, file.name);
  return apiRequest(`/api/receivables/${kind}/import`, documentImportReportSchema, { method: 'POST', body: form, query: { dryRun } });
}

/** Settles a consignment store's sales report (ISBN and sold quantity per row); a dry run only prices it. */
export function importSettlement(query: { customerId: number; periodFrom: string; periodTo: string; dryRun: boolean }, file: File) {
  const form = new FormData();
  form.set('file', file, file.name);
  return apiRequest('/api/receivables/consignment/settlements/import', settlementSchema, { method: 'POST', body: form, query });
}

export function fetchConsignmentStock(customerId: number) {
  return apiRequest(`/api/receivables/consignment/${customerId}/stock`, consignmentStockSchema);
}

export function fetchPublicStatement(token: string, offset = 0) {
  return apiRequest(`/api/public/statement-shares/${encodeURIComponent(token)}`, publicStatementSchema, { query: { limit: 200, offset }, authenticated: false });
}

export function confirmPublicStatement(token: string, clerkName: string) {
  return apiRequest(`/api/public/statement-shares/${encodeURIComponent(token)}/confirm`, z.object({ ok: z.literal(true) }), { method: 'POST', body: { clerkName }, authenticated: false });
}

export function disputePublicStatement(token: string, body: { clerkName: string; statementLineId: number | null; comment: string; claimedAmountFen: number | null }) {
  return apiRequest(`/api/public/statement-shares/${encodeURIComponent(token)}/disputes`, z.object({ id: z.number().int() }), { method: 'POST', body, authenticated: false });
}

/**
 * Downloads an Excel export. The file needs the session token, which a plain link cannot send, so it
 * is fetched and handed to the browser as an object URL.
 */
export async function downloadExport(path: string, query: Record<string, string | number | undefined>, fileName: string): Promise<void> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const token = loadSessionToken();
  let response: Response;
  try {
    response = await fetch(`${path}?${params.toString()}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiRequestError({ status: 0, code: 'network_error', message: '网络连接失败，文件没有下载，请稍后重试' });
  }
  if (!response.ok) throw await readErrorResponse(response);

  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function fetchReceivableSettings() {
  return apiRequest('/api/receivables/settings', receivableSettingsSchema);
}

export function saveReceivableSettings(settings: ReceivableSettings) {
  return apiRequest('/api/receivables/settings', receivableSettingsSchema, { method: 'PUT', body: settings });
}
