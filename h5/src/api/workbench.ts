import { workbenchSchema } from '@shared/api/workbench';
import { apiRequest } from './client';

/** The workbench figures: one request for the whole "today" panel. */
export function fetchWorkbench() {
  return apiRequest('/api/workbench', workbenchSchema);
}
