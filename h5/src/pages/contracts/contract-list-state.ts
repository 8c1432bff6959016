import type { ContractStatus } from '@shared/contract-rules';
import { fetchContracts } from '../../api/contracts';
import { createPagedList } from '../../components/paged-list';

/** The contract list outside the page, so returning from a contract keeps the items and scroll position. */
const contracts = createPagedList({ status: undefined as ContractStatus | undefined, q: '' }, async (filters, before: number | null) => {
  const page = await fetchContracts({ status: filters.status, q: filters.q || undefined, before: before ?? undefined });
  return { items: page.items, next: page.nextBefore };
});

export const contractList = contracts.list;
export const loadMoreContracts = contracts.loadMore;
export const reloadContracts = contracts.reload;
/** Called after a change to a contract, so the list reloads when shown again. */
export const markContractsChanged = contracts.markChanged;
