import { bookPageSchema, bookSchema, type BookCategory } from '@shared/api/book';
import { apiRequest } from './client';

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
