import type { KpiFigureKey } from '@shared/kpi-rules.js';

/**
 * H5 routes of the lists behind each KPI figure, with the period and owner filters of the figure, so
 * tapping a number opens the records it counts.
 * NOTE: the query parameter names follow the list pages' filters as planned (from/to dates, ownerId,
 * departmentId); a list page that ignores one shows a wider list than the figure.
 */
export function kpiLinks(input: { from: string; to: string; asOfDate: string; ownerId?: number; departmentId?: number }): Record<KpiFigureKey, string> {
  const owner = input.ownerId ? `&ownerId=${input.ownerId}` : input.departmentId ? `&departmentId=${input.departmentId}` : '';
  const period = `from=${input.from}&to=${input.to}${owner}`;
  const visits = `/visits?${period}`;
  const opportunities = `/opportunities?closedFrom=${input.from}&closedTo=${input.to}${owner}`;
  const contracts = `/contracts?status=signed&approvedFrom=${input.from}&approvedTo=${input.to}${owner}`;
  const shipments = `/receivables/shipments?${period}`;
  const returns = `/receivables/returns?status=confirmed&${period}`;
  const receipts = `/receivables/receipts?${period}`;
  return {
    newCustomers: `/customers?createdFrom=${input.from}&createdTo=${input.to}${owner}`,
    visits,
    customersCovered: visits,
    opportunitiesCreated: `/opportunities?createdFrom=${input.from}&createdTo=${input.to}${owner}`,
    opportunitiesWon: `${opportunities}&stage=won`,
    opportunitiesLost: `${opportunities}&stage=lost`,
    conversionRateBp: opportunities,
    contractsSigned: contracts,
    contractAmountFen: contracts,
    shippedNetFen: shipments,
    shippedListFen: shipments,
    returnedNetFen: returns,
    returnedListFen: returns,
    returnRateBp: returns,
    receiptsFen: receipts,
    commissionBaseFen: receipts,
    overdueFen: `/receivables?overdue=true&asOf=${input.asOfDate}${owner}`,
  };
}

/** The opportunity list of one funnel stage. */
export function funnelStageLink(stage: string, input: { from: string; to: string; ownerId?: number; departmentId?: number }): string {
  const owner = input.ownerId ? `&ownerId=${input.ownerId}` : input.departmentId ? `&departmentId=${input.departmentId}` : '';
  return `/opportunities?stage=${stage}&closeFrom=${input.from}&closeTo=${input.to}${owner}`;
}
