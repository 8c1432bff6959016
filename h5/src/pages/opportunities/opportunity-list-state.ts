import { fetchOpportunities } from '../../api/opportunities';
import { createPagedList, nextOffset } from '../../components/paged-list';

export type OpportunityFilter = 'open' | 'stale' | 'won' | 'lost';

function queryOf(filter: OpportunityFilter) {
  if (filter === 'stale') return { status: 'open' as const, stale: true };
  if (filter === 'won' || filter === 'lost') return { status: 'closed' as const, stage: filter, sort: 'updated_at' as const };
  return { status: 'open' as const };
}

/** The opportunity list outside the page, so returning from a detail keeps the items and scroll position. */
const opportunities = createPagedList({ filter: 'open' as OpportunityFilter, q: '' }, async (filters, _cursor, loaded) => {
  const page = await fetchOpportunities({ ...queryOf(filters.filter), q: filters.q || undefined, offset: loaded, limit: 20 });
  return { items: page.items, next: nextOffset(loaded, page.items.length, page.total) };
});

export const opportunityList = opportunities.list;
export const loadMoreOpportunities = opportunities.loadMore;
export const reloadOpportunities = opportunities.reload;
export const markOpportunitiesChanged = opportunities.markChanged;
