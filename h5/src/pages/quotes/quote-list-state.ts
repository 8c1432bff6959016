import { reactive } from 'vue';
import type { QuoteStatus, QuoteSummary } from '@shared/api/quote';
import { fetchQuotes } from '../../api/quotes';
import { userMessageOf } from '../../components/error-message';

/** The quote list outside the page, so returning from a quote keeps the items and the scroll position. */
export const quoteList = reactive({
  status: undefined as QuoteStatus | undefined,
  q: '',
  items: [] as QuoteSummary[],
  total: 0,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

export async function loadMoreQuotes(): Promise<void> {
  if (quoteList.state === 'loading' || quoteList.finished) return;
  quoteList.state = 'loading';
  try {
    const page = await fetchQuotes({ status: quoteList.status, q: quoteList.q || undefined, offset: quoteList.items.length, limit: 20 });
    quoteList.items.push(...page.items);
    quoteList.total = page.total;
    quoteList.finished = quoteList.items.length >= page.total;
    quoteList.state = 'done';
  } catch (error) {
    quoteList.state = 'error';
    quoteList.error = userMessageOf(error);
  }
}

export async function reloadQuotes(): Promise<void> {
  markQuotesChanged();
  await loadMoreQuotes();
}

/** After a change to a quote the list starts over when shown again. */
export function markQuotesChanged(): void {
  Object.assign(quoteList, { items: [], total: 0, state: 'idle', error: '', finished: false, scrollY: 0 });
}
