import type { z } from 'zod';
import { dashboardSchema, kpiTableSchema, type kpiQuerySchema, type kpiTableQuerySchema } from '@shared/api/kpi';
import { opportunityPageSchema, type OpportunityStage } from '@shared/api/opportunity';
import { targetSheetSchema, type TargetUpdate } from '@shared/api/target';
import { visitListResponseSchema } from '@shared/api/visit';
import { apiRequest } from './client';
import { downloadApiFile } from './file-download';

/** Calls of the 数据看板 area: the dashboard, the KPI table and its export, monthly targets. */

export type DashboardQuery = Omit<Partial<z.input<typeof kpiQuerySchema>>, 'subjectId'> & { subjectId?: number };
export type KpiTableQuery = Omit<Partial<z.input<typeof kpiTableQuerySchema>>, 'departmentId'> & { departmentId?: number };

export function fetchDashboard(query: DashboardQuery) {
  return apiRequest('/api/dashboard', dashboardSchema, { query });
}

export function fetchKpiTable(query: KpiTableQuery) {
  return apiRequest('/api/kpis/table', kpiTableSchema, { query });
}

export function downloadKpiTable(query: KpiTableQuery, fileName: string) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return downloadApiFile(`/api/kpis/table/export?${params.toString()}`, fileName);
}

export function fetchTargets(month: string) {
  return apiRequest('/api/targets', targetSheetSchema, { query: { month } });
}

export function saveTargets(update: TargetUpdate) {
  return apiRequest('/api/targets', targetSheetSchema, { method: 'PUT', body: update });
}

/** Opportunities behind a funnel figure: one stage, closing (or closed) in the period, optionally of one rep. */
export function fetchStageOpportunities(query: { stage: OpportunityStage; closeFrom: string; closeTo: string; ownerId?: number; offset: number }) {
  return apiRequest('/api/opportunities', opportunityPageSchema, { query: { ...query, status: 'all', sort: 'expected_amount', limit: 20 } });
}

/** Visits behind the visit figures: checked in during the period, optionally by one rep. */
export function fetchPeriodVisits(query: { from: string; to: string; ownerId?: number; before?: number }) {
  return apiRequest('/api/visits', visitListResponseSchema, { query: { ...query, limit: 20 } });
}
