import type { KpiFigureKey } from '@shared/kpi-rules.js';

/**
 * Returns the H5 route of the list behind each KPI figure. Visits and won or lost opportunities open the
 * dashboard's own record list, filtered by the period and, for one rep's figure, by the rep. The other
 * figures open their module's list, where the user narrows the period.
 */
export function kpiLinks(input: { from: string; to: string; ownerId?: number }): Record<KpiFigureKey, string> {
  const owner = input.ownerId ? `&ownerId=${input.ownerId}` : '';
  const visits = `/dashboard/records/visits?from=${input.from}&to=${input.to}${owner}`;
  const stage = (name: 'won' | 'lost') => `/dashboard/records/opportunities?stage=${name}&from=${input.from}&to=${input.to}${owner}`;
  return {
    newCustomers: '/customers',
    visits,
    customersCovered: visits,
    opportunitiesCreated: '/opportunities',
    opportunitiesWon: stage('won'),
    opportunitiesLost: stage('lost'),
    conversionRateBp: stage('won'),
    contractsSigned: '/contracts',
    contractAmountFen: '/contracts',
    shippedNetFen: '/receivables/documents',
    shippedListFen: '/receivables/documents',
    returnedNetFen: '/receivables/documents',
    returnedListFen: '/receivables/documents',
    returnRateBp: '/receivables/documents',
    receiptsFen: '/receivables/receipts',
    commissionBaseFen: '/receivables/receipts',
    overdueFen: '/receivables?bucket=overdue',
  };
}
