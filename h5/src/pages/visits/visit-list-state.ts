import { reactive } from 'vue';
import type { VisitListItem } from '@shared/api/visit';
import { fetchVisits } from '../../api/visits';
import { userMessageOf } from '../../components/error-message';

/**
 * The visit list lives outside the page component, so returning from a visit's detail shows the same
 * items at the same scroll position instead of reloading from the top.
 */
export type ListFilter = 'all' | 'flagged';

export const visitList = reactive({
  filter: 'all' as ListFilter,
  items: [] as VisitListItem[],
  nextBefore: null as number | null,
  status: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

const PAGE_SIZE = 20;

export async function loadMoreVisits(): Promise<void> {
  if (visitList.status === 'loading' || visitList.finished) return;
  visitList.status = 'loading';
  try {
    const page = await fetchVisits({
      limit: PAGE_SIZE,
      before: visitList.nextBefore ?? undefined,
      flagged: visitList.filter === 'flagged' ? 'true' : undefined,
    });
    visitList.items.push(...page.items);
    visitList.nextBefore = page.nextBefore;
    visitList.finished = page.nextBefore === null;
    visitList.status = 'done';
  } catch (error) {
    visitList.status = 'error';
    visitList.error = userMessageOf(error);
  }
}

export async function reloadVisits(filter: ListFilter = visitList.filter): Promise<void> {
  Object.assign(visitList, { filter, items: [], nextBefore: null, status: 'idle', error: '', finished: false, scrollY: 0 });
  await loadMoreVisits();
}
