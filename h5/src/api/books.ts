import { bookImportReportSchema, bookPageSchema, bookSchema, type BookCategory } from '@shared/api/book';
import { apiRequest } from './client';
import { readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

/** Calls of the catalog area. */

export function searchCatalog(query: { q?: string; category?: BookCategory; offset?: number; limit?: number }, signal?: AbortSignal) {
  return apiRequest('/api/books', bookPageSchema, { query: { q: query.q || undefined, category: query.category, offset: query.offset ?? 0, limit: query.limit ?? 20 }, signal });
}

export function fetchBook(bookId: number) {
  return apiRequest(`/api/books/${bookId}`, bookSchema);
}

/** A scanned or typed ISBN; a code not in the catalog rejects with code 'book_not_found' and a Chinese message. */
export function fetchBookByIsbn(isbn: string) {
  return apiRequest(`/api/books/by-isbn/${encodeURIComponent(isbn)}`, bookSchema);
}

/** Uploads a catalog spreadsheet; a dry run reports what would change and changes nothing. */
export function importCatalog(file: File, dryRun: boolean) {
  const form = new FormData();
  form.set('file', file);
  return apiRequest('/api/books/import', bookImportReportSchema, { method: 'POST', body: form, query: { dryRun: String(dryRun) } });
}

/** Downloads a spreadsheet the server builds (import template or catalog export) under its own file name. */
export async function downloadCatalogFile(path: '/api/books/import-template' | '/api/books/export', fallbackName: string): Promise<void> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${loadSessionToken() ?? ''}` } });
  if (!response.ok) throw await readErrorResponse(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? fallbackName);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
