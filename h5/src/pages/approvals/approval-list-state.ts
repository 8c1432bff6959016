import { reactive } from 'vue';
import type { ApprovalBox, ApprovalListItem } from '@shared/api/approval';
import { fetchApprovalCounts, fetchApprovals } from '../../api/approvals';
import { userMessageOf } from '../../components/error-message';

/**
 * The three boxes of the 审批 tab. They live outside the page component, so returning from an approval
 * shows the same items at the same scroll position instead of reloading from the top.
 */
interface BoxState {
  items: ApprovalListItem[];
  nextBefore: number | null;
  status: 'idle' | 'loading' | 'done' | 'error';
  error: string;
  finished: boolean;
  scrollY: number;
}

function emptyBox(): BoxState {
  return { items: [], nextBefore: null, status: 'idle', error: '', finished: false, scrollY: 0 };
}

export const approvalLists = reactive({
  active: 'pending' as ApprovalBox,
  pendingCount: null as number | null,
  boxes: { pending: emptyBox(), submitted: emptyBox(), handled: emptyBox() } as Record<ApprovalBox, BoxState>,
});

export async function loadMoreApprovals(box: ApprovalBox = approvalLists.active): Promise<void> {
  const state = approvalLists.boxes[box];
  if (state.status === 'loading' || state.finished) return;
  state.status = 'loading';
  try {
    const page = await fetchApprovals(box, state.nextBefore ?? undefined);
    state.items.push(...page.items);
    state.nextBefore = page.nextBefore;
    state.finished = page.nextBefore === null;
    state.status = 'done';
  } catch (error) {
    state.status = 'error';
    state.error = userMessageOf(error);
  }
}

export async function reloadApprovals(box: ApprovalBox = approvalLists.active): Promise<void> {
  approvalLists.boxes[box] = emptyBox();
  await Promise.all([loadMoreApprovals(box), refreshPendingCount()]);
}

export async function refreshPendingCount(): Promise<void> {
  try {
    approvalLists.pendingCount = (await fetchApprovalCounts()).pending;
  } catch (error) {
    // The badge is a convenience; the list itself shows any error.
    console.warn('Loading the pending approval count failed', error);
  }
}

/**
 * After the user acted on an approval, the boxes that contain it are stale: they are reset, and reload
 * the next time they are shown.
 */
export function markApprovalsChanged(): void {
  for (const box of ['pending', 'submitted', 'handled'] as const) approvalLists.boxes[box] = emptyBox();
  void refreshPendingCount();
}
