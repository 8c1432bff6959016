import ExcelJS from 'exceljs';
import type { KpiTable } from '@shared/api/kpi.js';
import { kpiFigureDefinitions, kpiFigureKeys, type KpiFigureKey } from '@shared/kpi-rules.js';
import { formatFen } from '@shared/money.js';
import { formatRateBp } from '@shared/project-rules.js';
import { targetMetricLabels, targetMetricSchema } from '@shared/api/target.js';

/**
 * Builds the KPI table as a workbook: one row per rep, team or department with every figure, the targets and
 * attainment, and a total row. Money is written as yuan text with two decimals (exact, from fen), and
 * rates as percentages.
 */
export async function buildKpiWorkbook(table: KpiTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('业绩指标', { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });

  const figureColumns = kpiFigureKeys.map((key) => ({ key, header: `${kpiFigureDefinitions[key].label}${unitSuffix(key)}` }));
  const targetColumns = targetMetricSchema.options.flatMap((metric) => [
    { header: `${targetMetricLabels[metric]}目标${metric === 'contract_amount' || metric === 'receipts' ? '（元）' : ''}`, metric, kind: 'target' as const },
    { header: `${targetMetricLabels[metric]}达成率`, metric, kind: 'attainment' as const },
  ]);

  sheet.addRow([`期间：${table.period.from} 至 ${table.period.to}（${table.period.label}）${table.department ? `，${table.department.name}` : ''}`]);
  const firstHeader = { rep: '业务员', team: '团队', department: '部门' }[table.groupBy];
  const heading = sheet.addRow([firstHeader, table.groupBy === 'rep' ? '部门' : '', ...figureColumns.map((column) => column.header), ...targetColumns.map((column) => column.header)]);
  heading.font = { bold: true };

  for (const row of table.rows) {
    sheet.addRow([
      row.name,
      row.groupName ?? '',
      ...figureColumns.map((column) => formatFigure(column.key, row.figures[column.key])),
      ...targetColumns.map((column) => {
        const value = column.kind === 'target' ? row.targets[column.metric] : row.attainment[column.metric];
        if (value === null) return '';
        if (column.kind === 'attainment') return formatRateBp(value);
        return column.metric === 'contract_amount' || column.metric === 'receipts' ? formatFen(value) : value;
      }),
    ]);
  }
  const total = sheet.addRow(['合计', '', ...figureColumns.map((column) => formatFigure(column.key, table.total[column.key]))]);
  total.font = { bold: true };

  sheet.getColumn(1).width = 14;
  sheet.getColumn(2).width = 14;
  for (let index = 3; index <= 2 + figureColumns.length + targetColumns.length; index += 1) sheet.getColumn(index).width = 14;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function unitSuffix(key: KpiFigureKey): string {
  const unit = kpiFigureDefinitions[key].unit;
  return unit === 'fen' ? '（元）' : '';
}

function formatFigure(key: KpiFigureKey, value: number): string | number {
  const unit = kpiFigureDefinitions[key].unit;
  if (unit === 'fen') return formatFen(value);
  if (unit === 'bp') return formatRateBp(value);
  return value;
}
