import { bookPageSchema } from '@shared/api/book';
import {
  contractDetailSchema,
  contractListSchema,
  type ContractInput,
  type archiveContractRequestSchema,
  type sealContractRequestSchema,
} from '@shared/api/contract';
import { customerListResponseSchema } from '@shared/api/customer';
import type { ContractStatus, AttachmentKind } from '@shared/contract-rules';
import type { z } from 'zod';
import { apiRequest } from './client';
import { downloadApiFile } from './file-download';

/** Calls of the contract area. */

export function fetchContracts(query: { status?: ContractStatus; q?: string; before?: number }) {
  return apiRequest('/api/contracts', contractListSchema, { query: { ...query, limit: 20 } });
}

export function fetchContract(contractId: number) {
  return apiRequest(`/api/contracts/${contractId}`, contractDetailSchema);
}

export function createContract(body: ContractInput, idempotencyKey: string) {
  return apiRequest('/api/contracts', contractDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function updateContract(contractId: number, contract: ContractInput, version: number) {
  return apiRequest(`/api/contracts/${contractId}`, contractDetailSchema, { method: 'PUT', body: { contract, version } });
}

export function createContractFromQuote(quoteId: number, idempotencyKey: string) {
  return apiRequest('/api/contracts/from-quote', contractDetailSchema, { method: 'POST', body: { quoteId }, idempotencyKey });
}

export function submitContract(contractId: number, version: number, idempotencyKey: string) {
  return apiRequest(`/api/contracts/${contractId}/submit`, contractDetailSchema, { method: 'POST', body: { version }, idempotencyKey });
}

export function withdrawContract(contractId: number, idempotencyKey: string) {
  return apiRequest(`/api/contracts/${contractId}/withdraw`, contractDetailSchema, { method: 'POST', body: {}, idempotencyKey });
}

export function sealContract(contractId: number, body: z.input<typeof sealContractRequestSchema>, idempotencyKey: string) {
  return apiRequest(`/api/contracts/${contractId}/seal`, contractDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function archiveContract(contractId: number, body: z.input<typeof archiveContractRequestSchema>, idempotencyKey: string) {
  return apiRequest(`/api/contracts/${contractId}/archive`, contractDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function voidContract(contractId: number, reason: string, version: number, idempotencyKey: string) {
  return apiRequest(`/api/contracts/${contractId}/void`, contractDetailSchema, { method: 'POST', body: { reason, version }, idempotencyKey });
}

export function uploadContractFile(contractId: number, file: File, kind: AttachmentKind) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', file, file.name);
  return apiRequest(`/api/contracts/${contractId}/attachments`, contractDetailSchema, { method: 'POST', body: form });
}

export function removeContractFile(contractId: number, attachmentId: number) {
  return apiRequest(`/api/contracts/${contractId}/attachments/${attachmentId}`, contractDetailSchema, { method: 'DELETE' });
}

/** Opens a contract file through the authenticated download. */
export function openContractFile(downloadPath: string, fileName: string): Promise<void> {
  return downloadApiFile(downloadPath, fileName, '打开');
}

export function searchCustomersForContract(q: string) {
  return apiRequest('/api/customers', customerListResponseSchema, { query: { q: q || undefined, limit: 20 } });
}

export function searchBooksForContract(q: string) {
  return apiRequest('/api/books', bookPageSchema, { query: { q: q || undefined, status: 'on_sale', limit: 20 } });
}
