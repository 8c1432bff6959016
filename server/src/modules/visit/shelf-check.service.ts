import type { z } from 'zod';
import type { expectedTitleSchema, shelfCheckItemInputSchema, shelfCheckItemSchema } from '@shared/api/visit.js';
import type { DbExecutor } from '../../db/database.js';
import { findBookByIsbn } from '../book/book.service.js';
import { findPreviousShelfCheckVisitId, listShelfItems } from './visit.repository.js';

type ShelfCheckItemInput = z.output<typeof shelfCheckItemInputSchema>;
type ShelfCheckItem = z.infer<typeof shelfCheckItemSchema>;
type ExpectedTitle = z.infer<typeof expectedTitleSchema>;

export interface ResolvedShelfItem {
  isbn: string;
  book_id: number | null;
  title: string | null;
  on_shelf: number;
  facing_count: number;
  note: string;
}

/**
 * Matches each scanned ISBN to the catalog. A title the catalog does not know (another publisher's book,
 * or one not yet entered) is kept with its ISBN, so nothing the rep recorded is lost.
 */
export async function resolveShelfItems(db: DbExecutor, items: ShelfCheckItemInput[]): Promise<ResolvedShelfItem[]> {
  const resolved: ResolvedShelfItem[] = [];
  for (const item of items) {
    const book = await findBookByIsbn(db, item.isbn);
    resolved.push({
      isbn: item.isbn,
      book_id: book?.id ?? null,
      title: book?.title ?? null,
      on_shelf: item.onShelf ? 1 : 0,
      facing_count: item.onShelf ? item.facingCount : 0,
      note: item.note,
    });
  }
  return resolved;
}

export function toShelfCheckItem(row: { isbn: string; book_id: number | null; title: string | null; on_shelf: number; facing_count: number; note: string }): ShelfCheckItem {
  return { isbn: row.isbn, bookId: row.book_id, title: row.title, onShelf: row.on_shelf === 1, facingCount: row.facing_count, note: row.note };
}

/**
 * Titles the store should have had on its shelves: the house's focus titles, and whatever stood on the
 * shelf at the previous check of this store. Those not found on the shelf this time are "missing".
 * NOTE: once shipments exist, titles shipped to the store since the previous check belong here too.
 */
export async function listMissingExpectedTitles(
  db: DbExecutor,
  visit: { id: number; customer_id: number; check_in_at: string },
  items: ShelfCheckItem[],
  focusIsbns: string[],
): Promise<ExpectedTitle[]> {
  if (items.length === 0) return [];

  const expected = new Map<string, ExpectedTitle>();
  for (const isbn of focusIsbns) expected.set(isbn, { isbn, title: null, source: 'focus' });

  const previousVisitId = await findPreviousShelfCheckVisitId(db, visit.customer_id, visit.check_in_at, visit.id);
  if (previousVisitId !== undefined) {
    for (const row of await listShelfItems(db, previousVisitId)) {
      if (row.on_shelf === 1 && !expected.has(row.isbn)) expected.set(row.isbn, { isbn: row.isbn, title: row.title, source: 'previous_check' });
    }
  }

  const onShelf = new Set(items.filter((item) => item.onShelf).map((item) => item.isbn));
  const missing = [...expected.values()].filter((title) => !onShelf.has(title.isbn));
  for (const title of missing) {
    if (title.title === null) title.title = (await findBookByIsbn(db, title.isbn))?.title ?? null;
  }
  return missing;
}
