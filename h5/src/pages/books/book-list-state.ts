import { reactive } from 'vue';
import type { Book, BookCategory } from '@shared/api/book';
import { searchCatalog } from '../../api/books';
import { userMessageOf } from '../../components/error-message';

/** The catalog list outside the page, so returning from a title keeps the results and scroll position. */
export const bookList = reactive({
  q: '',
  category: undefined as BookCategory | undefined,
  items: [] as Book[],
  total: 0,
  totalCapped: false,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

let controller: AbortController | undefined;

export async function loadMoreBooks(): Promise<void> {
  if (bookList.state === 'loading' || bookList.finished) return;
  bookList.state = 'loading';
  controller = new AbortController();
  try {
    const page = await searchCatalog({ q: bookList.q.trim(), category: bookList.category, offset: bookList.items.length, limit: 20 }, controller.signal);
    bookList.items.push(...page.items);
    bookList.total = page.total;
    bookList.totalCapped = page.totalCapped;
    bookList.finished = page.items.length < 20;
    bookList.state = 'done';
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return;
    bookList.state = 'error';
    bookList.error = userMessageOf(error);
  }
}

export async function reloadBooks(): Promise<void> {
  controller?.abort();
  Object.assign(bookList, { items: [], total: 0, totalCapped: false, state: 'idle', error: '', finished: false, scrollY: 0 });
  await loadMoreBooks();
}
