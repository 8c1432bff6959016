import { reactive } from 'vue';
import type { Opportunity } from '@shared/api/opportunity';
import { fetchOpportunities } from '../../api/opportunities';
import { userMessageOf } from '../../components/error-message';

export type OpportunityFilter = 'open' | 'stale' | 'won' | 'lost';

/** The opportunity list outside the page, so returning from a detail keeps the items and scroll position. */
export const opportunityList = reactive({
  filter: 'open' as OpportunityFilter,
  q: '',
  items: [] as Opportunity[],
  total: 0,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

function queryOf(filter: OpportunityFilter) {
  if (filter === 'stale') return { status: 'open' as const, stale: true };
  if (filter === 'won' || filter === 'lost') return { status: 'closed' as const, stage: filter, sort: 'updated_at' as const };
  return { status: 'open' as const };
}

export async function loadMoreOpportunities(): Promise<void> {
  if (opportunityList.state === 'loading' || opportunityList.finished) return;
  opportunityList.state = 'loading';
  try {
    const page = await fetchOpportunities({ ...queryOf(opportunityList.filter), q: opportunityList.q || undefined, offset: opportunityList.items.length, limit: 20 });
    opportunityList.items.push(...page.items);
    opportunityList.total = page.total;
    opportunityList.finished = opportunityList.items.length >= page.total;
    opportunityList.state = 'done';
  } catch (error) {
    opportunityList.state = 'error';
    opportunityList.error = userMessageOf(error);
  }
}

export async function reloadOpportunities(): Promise<void> {
  markOpportunitiesChanged();
  await loadMoreOpportunities();
}

export function markOpportunitiesChanged(): void {
  Object.assign(opportunityList, { items: [], total: 0, state: 'idle', error: '', finished: false, scrollY: 0 });
}
