import {
  funnelSchema,
  opportunityDetailSchema,
  opportunityPageSchema,
  type FunnelQuery,
  type OpportunityCreate,
  type OpportunityListQuery,
  type OpportunityUpdate,
  type StageChangeRequest,
} from '@shared/api/opportunity';
import { apiRequest } from './client';

/** Calls of the opportunity area. */

export function fetchOpportunities(query: Partial<Omit<OpportunityListQuery, 'stale'>> & { stale?: boolean }) {
  return apiRequest('/api/opportunities', opportunityPageSchema, {
    query: { ...query, stale: query.stale === undefined ? undefined : String(query.stale) },
  });
}

export function fetchOpportunity(opportunityId: number) {
  return apiRequest(`/api/opportunities/${opportunityId}`, opportunityDetailSchema);
}

export function createOpportunity(body: OpportunityCreate, idempotencyKey: string) {
  return apiRequest('/api/opportunities', opportunityDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function updateOpportunity(opportunityId: number, body: OpportunityUpdate) {
  return apiRequest(`/api/opportunities/${opportunityId}`, opportunityDetailSchema, { method: 'PATCH', body });
}

export function changeOpportunityStage(opportunityId: number, body: StageChangeRequest, idempotencyKey: string) {
  return apiRequest(`/api/opportunities/${opportunityId}/stage`, opportunityDetailSchema, { method: 'POST', body, idempotencyKey });
}

export function fetchFunnel(query: Partial<FunnelQuery>) {
  return apiRequest('/api/opportunities/funnel', funnelSchema, { query });
}
