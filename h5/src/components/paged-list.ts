import { reactive } from 'vue';
import { userMessageOf } from './error-message';

/** Loading state of a list that loads page after page. */
export interface PagedListState<Item, Cursor> {
  items: Item[];
  /** Position of the next page as the API names it: the offset, or the id to continue before. */
  cursor: Cursor | null;
  state: 'idle' | 'loading' | 'done' | 'error';
  error: string;
  finished: boolean;
  /** Scroll position to restore when the page is shown again. */
  scrollY: number;
}

/** One page from the API and whether another follows. */
export interface LoadedPage<Item, Cursor> {
  items: Item[];
  next: Cursor | null;
}

export interface PagedList<Item, Filters extends object, Cursor> {
  /** Filters and list state in one reactive object outside the page, so both survive a visit to a detail page. */
  list: Filters & PagedListState<Item, Cursor>;
  loadMore(): Promise<void>;
  /** Starts over from the first page with the current filters. */
  reload(): Promise<void>;
  /** Empties the list after a record changed, so it starts over the next time it is shown. */
  markChanged(): void;
}

/**
 * Builds the state of an infinite list with its filters. The page function receives the filters, the
 * cursor of the next page (null for the first) and how many items are loaded already.
 */
export function createPagedList<Item, Filters extends object, Cursor = number>(
  filters: Filters,
  loadPage: (filters: Filters, cursor: Cursor | null, loaded: number) => Promise<LoadedPage<Item, Cursor>>,
): PagedList<Item, Filters, Cursor> {
  const empty = (): PagedListState<Item, Cursor> => ({ items: [], cursor: null, state: 'idle', error: '', finished: false, scrollY: 0 });
  const list = reactive({ ...filters, ...empty() }) as Filters & PagedListState<Item, Cursor>;

  async function loadMore(): Promise<void> {
    if (list.state === 'loading' || list.finished) return;
    list.state = 'loading';
    try {
      const page = await loadPage(list, list.cursor, list.items.length);
      list.items.push(...page.items);
      list.cursor = page.next;
      list.finished = page.next === null;
      list.state = 'done';
    } catch (error) {
      list.state = 'error';
      list.error = userMessageOf(error);
    }
  }

  function markChanged(): void {
    Object.assign(list, empty());
  }

  async function reload(): Promise<void> {
    markChanged();
    await loadMore();
  }

  return { list, loadMore, reload, markChanged };
}

/** Returns the next offset of an offset-paged API, or null when the loaded items reach its total. */
export function nextOffset(loaded: number, pageItems: number, total: number): number | null {
  const after = loaded + pageItems;
  return after < total && pageItems > 0 ? after : null;
}
