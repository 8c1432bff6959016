import { reactive } from 'vue';
import type { CustomerListItem } from '@shared/api/customer';
import type { CustomerStage, CustomerType } from '@shared/customer-rules';
import { fetchCustomers } from '../../api/customers';
import { userMessageOf } from '../../components/error-message';

/**
 * The customer list lives outside the page component, so coming back from a customer's detail shows the
 * same items at the same scroll position instead of reloading from the top.
 */
export type CustomerView = 'mine' | 'pool';
export type CustomerSort = 'updated' | 'followup' | 'name' | 'created';

export interface CustomerFilters {
  view: CustomerView;
  q: string;
  type: CustomerType[];
  stage: CustomerStage[];
  regionCode: string | null;
  regionLabel: string;
  notFollowedDays: number | null;
  /** Managers narrow their team's list to one rep. */
  ownerId: number | null;
  ownerName: string;
  sort: CustomerSort;
}

export const defaultFilters = (): CustomerFilters => ({ view: 'mine', q: '', type: [], stage: [], regionCode: null, regionLabel: '', notFollowedDays: null, ownerId: null, ownerName: '', sort: 'updated' });

export const customerList = reactive({
  filters: defaultFilters(),
  items: [] as CustomerListItem[],
  total: null as number | null,
  status: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
  /** Set after a create, edit, claim or release, so the list reloads when shown again. */
  stale: false,
});

const pageSize = 20;
let requestSeq = 0;

/** Builds the API query of the list. Follow-up and name sorting run ascending, the others newest first. */
export function listQuery(filters: CustomerFilters) {
  return {
    view: filters.view,
    q: filters.q.trim() || undefined,
    type: filters.type,
    stage: filters.stage,
    regionCode: filters.regionCode ?? undefined,
    notFollowedDays: filters.notFollowedDays ?? undefined,
    ownerId: filters.ownerId ?? undefined,
    sort: filters.sort,
    order: filters.sort === 'followup' || filters.sort === 'name' ? ('asc' as const) : ('desc' as const),
  };
}

export async function loadMoreCustomers(): Promise<void> {
  if (customerList.status === 'loading' || customerList.finished) return;
  customerList.status = 'loading';
  const seq = ++requestSeq;
  try {
    const offset = customerList.items.length;
    const page = await fetchCustomers({ ...listQuery(customerList.filters), offset, limit: pageSize, withTotal: offset === 0 });
    // A newer search started while this page was on its way: drop it.
    if (seq !== requestSeq) return;
    customerList.items.push(...page.items);
    if (page.total !== null) customerList.total = page.total;
    customerList.finished = !page.hasMore;
    customerList.status = 'done';
  } catch (error) {
    if (seq !== requestSeq) return;
    customerList.status = 'error';
    customerList.error = userMessageOf(error);
  }
}

export async function reloadCustomers(changes: Partial<CustomerFilters> = {}): Promise<void> {
  requestSeq += 1;
  Object.assign(customerList.filters, changes);
  Object.assign(customerList, { items: [], total: null, status: 'idle', error: '', finished: false, scrollY: 0, stale: false });
  await loadMoreCustomers();
}

export function markCustomersChanged(): void {
  customerList.stale = true;
}
