import { reactive } from 'vue';
import type { PaymentPlan, receivableOverviewSchema } from '@shared/api/receivable';
import type { AgingBucket } from '@shared/receivable-rules';
import type { z } from 'zod';
import { fetchPlans, fetchReceivableOverview } from '../../api/receivables';
import { userMessageOf } from '../../components/error-message';

type Overview = z.infer<typeof receivableOverviewSchema>;

/** The receivables page's data outside the page, so returning from a plan keeps the list and scroll position. */
export const planList = reactive({
  bucket: undefined as AgingBucket | 'overdue' | undefined,
  ownerId: undefined as number | undefined,
  overview: null as Overview | null,
  overviewError: '',
  items: [] as PaymentPlan[],
  total: 0,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  finished: false,
  scrollY: 0,
});

export async function loadOverview(): Promise<void> {
  planList.overviewError = '';
  try {
    planList.overview = await fetchReceivableOverview();
  } catch (error) {
    planList.overviewError = userMessageOf(error);
  }
}

export async function loadMorePlans(): Promise<void> {
  if (planList.state === 'loading' || planList.finished) return;
  planList.state = 'loading';
  try {
    const page = await fetchPlans({ bucket: planList.bucket, ownerId: planList.ownerId, offset: planList.items.length });
    planList.items.push(...page.items);
    planList.total = page.total;
    planList.finished = planList.items.length >= page.total;
    planList.state = 'done';
  } catch (error) {
    planList.state = 'error';
    planList.error = userMessageOf(error);
  }
}

export async function reloadPlans(): Promise<void> {
  Object.assign(planList, { items: [], total: 0, state: 'idle', error: '', finished: false, scrollY: 0 });
  await Promise.all([loadOverview(), loadMorePlans()]);
}

/** Called after a receipt or allocation, so the page reloads when shown again. */
export function markPlansChanged(): void {
  Object.assign(planList, { items: [], total: 0, state: 'idle', error: '', finished: false, scrollY: 0, overview: null });
}
