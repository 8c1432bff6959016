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
import { ApiRequestError, readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

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

/**
 * Opens a contract file. Files need the session token, which a plain link cannot send, so the file is
 * fetched and handed to the browser as an object URL.
 */
export async function openContractFile(downloadPath: string, fileName: string): Promise<void> {
  const token = loadSessionToken();
  let response: Response;
  try {
    response = await fetch(downloadPath, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiRequestError({ status: 0, code: 'network_error', message: '网络连接失败，文件没有打开，请稍后重试' });
  }
  if (!response.ok) throw await readErrorResponse(response);

  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.target = '_blank';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function searchCustomersForContract(q: string) {
  return apiRequest('/api/customers', customerListResponseSchema, { query: { q: q || undefined, limit: 20 } });
}

export function searchBooksForContract(q: string) {
  return apiRequest('/api/books', bookPageSchema, { query: { q: q || undefined, status: 'on_sale', limit: 20 } });
}
