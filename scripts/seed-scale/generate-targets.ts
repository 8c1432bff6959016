import { instantAt, monthOf } from './calendar.js';
import type { GenerationContext } from './context.js';

/**
 * Monthly targets per rep for every month of the period and the next one, set by the rep's leader:
 * contract amount, receipts, new customers and visits, sized to what a rep of this dataset achieves.
 */
export function generateTargets(context: GenerationContext): void {
  const random = context.random.fork(13);
  const months: string[] = [];
  for (let day = context.startDay; day <= context.asOfDay + 31; day += 28) {
    const month = monthOf(day);
    if (months[months.length - 1] !== month) months.push(month);
  }
  const averageContractFen = 6_000_000;
  for (const rep of context.org.reps) {
    const owned = context.customers.byOwner.get(rep.id)?.length ?? 0;
    if (owned === 0) continue;
    const monthlyContracts = (owned * context.profile.contractsPerCustomerYear * 0.8) / 12;
    const setBy = rep.leaderId ?? context.org.executiveId;
    for (const month of months) {
      const setAt = instantAt(Math.max(context.startDay, dayOfMonthStart(month) - 3), 10 * 60);
      const contractAmount = Math.round((monthlyContracts * averageContractFen * random.around(1, 0.3, 0.5, 1.5)) / 100_000) * 100_000;
      const values: [string, number][] = [
        ['contract_amount', contractAmount],
        ['receipts', Math.round((contractAmount * 0.9) / 100_000) * 100_000],
        ['new_customers', random.int(1, 4)],
        ['visits', random.int(80, 110)],
      ];
      for (const [metric, value] of values) {
        context.insert('sales_target', { id: context.nextId('sales_target'), month, subject_type: 'user', subject_id: rep.id, metric, value, set_by: setBy, set_at: setAt });
      }
    }
  }
}

function dayOfMonthStart(month: string): number {
  return Math.round(Date.parse(`${month}-01T00:00:00Z`) / 86_400_000);
}
