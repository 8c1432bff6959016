import type { QuoteStatus } from '@shared/api/quote';
import { fetchQuotes } from '../../api/quotes';
import { createPagedList, nextOffset } from '../../components/paged-list';

/** The quote list outside the page, so returning from a quote keeps the items and the scroll position. */
const quotes = createPagedList({ status: undefined as QuoteStatus | undefined, q: '' }, async (filters, _cursor, loaded) => {
  const page = await fetchQuotes({ status: filters.status, q: filters.q || undefined, offset: loaded, limit: 20 });
  return { items: page.items, next: nextOffset(loaded, page.items.length, page.total) };
});

export const quoteList = quotes.list;
export const loadMoreQuotes = quotes.loadMore;
export const reloadQuotes = quotes.reload;
/** After a change to a quote the list starts over when shown again. */
export const markQuotesChanged = quotes.markChanged;
