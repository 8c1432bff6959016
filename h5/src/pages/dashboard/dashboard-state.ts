import { reactive } from 'vue';
import type { Dashboard, KpiSubject } from '@shared/api/kpi';
import type { PeriodPreset } from '@shared/kpi-rules';
import { fetchDashboard } from '../../api/dashboard';
import { userMessageOf } from '../../components/error-message';

/** The dashboard outside the page, so returning from a list behind a figure keeps period, subject and scroll. */
export const dashboardState = reactive({
  preset: 'this_month' as Exclude<PeriodPreset, 'custom'>,
  subject: null as KpiSubject | null,
  data: null as Dashboard | null,
  state: 'idle' as 'idle' | 'loading' | 'done' | 'error',
  error: '',
  scrollY: 0,
});

let requestSerial = 0;

export async function loadDashboard(): Promise<void> {
  const serial = ++requestSerial;
  dashboardState.state = 'loading';
  try {
    const subject = dashboardState.subject;
    const data = await fetchDashboard({
      preset: dashboardState.preset,
      subjectType: subject?.type,
      subjectId: subject?.id ?? undefined,
    });
    // A slower earlier request must not overwrite the response to a later choice.
    if (serial !== requestSerial) return;
    dashboardState.data = data;
    dashboardState.subject = data.summary.subject;
    dashboardState.state = 'done';
  } catch (error) {
    if (serial !== requestSerial) return;
    dashboardState.error = userMessageOf(error);
    dashboardState.state = 'error';
  }
}
