import ExcelJS from 'exceljs';
import { agingBucketLabels, planStatusLabels } from '@shared/receivable-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { listPlansForActor, type PlanListQuery } from './plan-query.service.js';

/**
 * Builds the plan list as a workbook (aging report): the same scope and filters as the list on screen, all
 * pages. Amounts are yuan in numeric cells (fen ÷ 100, two-decimal format) so finance can sum them.
 */
export async function buildPlanWorkbook(db: Db, actor: Actor, query: Omit<PlanListQuery, 'limit' | 'offset'>, today: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`应收账龄 ${today}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '客户', key: 'customer', width: 30 },
    { header: '负责人', key: 'owner', width: 10 },
    { header: '合同', key: 'contract', width: 16 },
    { header: '期次', key: 'seq', width: 6 },
    { header: '到期日', key: 'due', width: 12 },
    { header: '计划金额', key: 'amount', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '已回款', key: 'allocated', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '未回款', key: 'outstanding', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '已取消', key: 'cancelled', width: 14, style: { numFmt: '#,##0.00' } },
    { header: '逾期天数', key: 'days', width: 10 },
    { header: '账龄', key: 'bucket', width: 14 },
    { header: '状态', key: 'status', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };

  for (let offset = 0; ; offset += 200) {
    const page = await listPlansForActor(db, actor, { ...query, limit: 200, offset }, today);
    for (const plan of page.items) {
      sheet.addRow({
        customer: plan.customer.name,
        owner: plan.customer.ownerName ?? '',
        contract: plan.contractNumber ?? (plan.consignmentSettlementId ? '实销结算' : ''),
        seq: plan.seq,
        due: plan.dueDate,
        amount: plan.amountFen / 100,
        allocated: plan.allocatedFen / 100,
        outstanding: plan.outstandingFen / 100,
        cancelled: plan.cancelledFen / 100,
        days: plan.daysOverdue,
        bucket: agingBucketLabels[plan.agingBucket],
        status: planStatusLabels[plan.status],
      });
    }
    if (page.items.length < 200) break;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
