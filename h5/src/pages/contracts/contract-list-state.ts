import { reactive } from 'vue';
import type { ContractSummary } from '@shared/api/contract';
import type { ContractStatus } from '@shared/contract-rules';
import { fetchContracts } from '../../api/contracts';
import { userMessageOf } from '../../components/error-message';

/** The contract list outside the page, so returning from a contract keeps the items and scroll position. */
export const contractList = reactive({
  status: undefined as ContractStatus | undefined,
  q: '',
  items: [] as ContractSummary[],
  nextBefore: null as number | null,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

export async function loadMoreContracts(): Promise<void> {
  if (contractList.state === 'loading' || contractList.finished) return;
  contractList.state = 'loading';
  try {
    const page = await fetchContracts({ status: contractList.status, q: contractList.q || undefined, before: contractList.nextBefore ?? undefined });
    contractList.items.push(...page.items);
    contractList.nextBefore = page.nextBefore;
    contractList.finished = page.nextBefore === null;
    contractList.state = 'done';
  } catch (error) {
    contractList.state = 'error';
    contractList.error = userMessageOf(error);
  }
}

export async function reloadContracts(): Promise<void> {
  Object.assign(contractList, { items: [], nextBefore: null, state: 'idle', error: '', finished: false, scrollY: 0 });
  await loadMoreContracts();
}

/** Called after a change to a contract, so the list reloads when shown again. */
export function markContractsChanged(): void {
  Object.assign(contractList, { items: [], nextBefore: null, state: 'idle', error: '', finished: false, scrollY: 0 });
}
