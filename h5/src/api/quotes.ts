import { lineDefaultsSchema, quoteDetailSchema, quotePageSchema, type QuoteCreate, type QuoteListQuery, type QuoteUpdate } from '@shared/api/quote';
import { apiRequest } from './client';
import { ApiRequestError, readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

/** Calls of the quote area. */

export function fetchQuotes(query: Partial<QuoteListQuery>) {
  return apiRequest('/api/quotes', quotePageSchema, { query });
}

export function fetchQuote(quoteId: number) {
  return apiRequest(`/api/quotes/${quoteId}`, quoteDetailSchema);
}

export function createQuote(body: QuoteCreate, idempotencyKey: string) {
  return apiRequest('/api/quotes', quoteDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function updateQuote(quoteId: number, body: QuoteUpdate, idempotencyKey: string) {
  return apiRequest(`/api/quotes/${quoteId}`, quoteDetailSchema, { method: 'PUT', body, idempotencyKey });
}

export type QuoteAction = 'submit-approval' | 'send' | 'revise';

export function runQuoteAction(quoteId: number, action: QuoteAction, idempotencyKey: string) {
  return apiRequest(`/api/quotes/${quoteId}/${action}`, quoteDetailSchema, { method: 'POST', body: {}, idempotencyKey });
}

/** Price and the customer's default and floor discounts for titles about to be added. */
export function fetchLineDefaults(customerId: number, bookIds: number[]) {
  return apiRequest('/api/quotes/line-defaults', lineDefaultsSchema, { method: 'POST', body: { customerId, bookIds } });
}

/** Downloads the quote's Excel file and hands it to the browser (or the chat app's file viewer). */
export async function downloadQuoteWorkbook(quoteId: number): Promise<void> {
  const response = await fetch(`/api/quotes/${quoteId}/export`, { headers: { Authorization: `Bearer ${loadSessionToken() ?? ''}` } });
  if (!response.ok) throw await readErrorResponse(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? `报价单-${quoteId}.xlsx`);
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
  } finally {
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export { ApiRequestError };
