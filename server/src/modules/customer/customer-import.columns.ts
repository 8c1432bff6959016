import ExcelJS from 'exceljs';
import { contactRoleLabels, customerStageLabels, customerTypeLabels } from '@shared/customer-rules.js';

/**
 * The columns of the import template, in order. `field` is the path of the value in the create request,
 * so a validation issue at that path is reported under this heading.
 */
export const importColumns = [
  { key: 'name', heading: '客户名称', required: true, width: 32, field: 'name' },
  { key: 'shortName', heading: '简称', required: false, width: 14, field: 'shortName' },
  { key: 'type', heading: '客户类型', required: true, width: 14, field: 'type' },
  { key: 'stage', heading: '客户阶段', required: false, width: 10, field: 'stage' },
  { key: 'creditCode', heading: '统一社会信用代码', required: false, width: 22, field: 'creditCode' },
  { key: 'province', heading: '省', required: true, width: 12, field: 'regionCode' },
  { key: 'city', heading: '市', required: false, width: 12, field: 'regionCode' },
  { key: 'county', heading: '区县', required: false, width: 12, field: 'regionCode' },
  { key: 'address', heading: '详细地址', required: false, width: 30, field: 'address' },
  { key: 'tags', heading: '标签', required: false, width: 16, field: 'tags' },
  { key: 'source', heading: '来源', required: false, width: 12, field: 'source' },
  { key: 'notes', heading: '备注', required: false, width: 20, field: 'notes' },
  { key: 'owner', heading: '负责人', required: false, width: 10, field: 'owner' },
  { key: 'contactName', heading: '联系人姓名', required: false, width: 12, field: 'contacts.0.name' },
  { key: 'contactTitle', heading: '联系人职务', required: false, width: 12, field: 'contacts.0.title' },
  { key: 'contactRole', heading: '联系人角色', required: false, width: 12, field: 'contacts.0.role' },
  { key: 'contactMobile', heading: '联系人手机', required: false, width: 14, field: 'contacts.0.mobile' },
  { key: 'contactLandline', heading: '联系人座机', required: false, width: 14, field: 'contacts.0.landline' },
  { key: 'contactEmail', heading: '联系人邮箱', required: false, width: 20, field: 'contacts.0.email' },
] as const;

export type ImportColumnKey = (typeof importColumns)[number]['key'];
export type ImportRawRow = Partial<Record<ImportColumnKey, string>>;

export const importSheetName = '客户导入';

export function headingForField(path: string): string {
  const exact = importColumns.find((column) => column.field === path);
  if (exact) return exact.heading;
  const prefix = importColumns.find((column) => path.startsWith(column.field));
  if (prefix) return prefix.heading;
  if (path.startsWith('contacts.0')) return '联系人手机';
  return '客户名称';
}

/** The template: the heading row with required columns marked, one example row, drop-downs, and a help sheet. */
export async function buildImportTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(importSheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = importColumns.map((column) => ({ header: column.required ? `${column.heading}*` : column.heading, key: column.key, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRow({
    name: '南京市新华书店有限公司鼓楼分店',
    shortName: '鼓楼新华',
    type: '新华书店',
    stage: '目标客户',
    creditCode: '',
    province: '江苏省',
    city: '南京市',
    county: '鼓楼区',
    address: '中山路 1 号',
    tags: '重点,连锁',
    source: '老客户',
    notes: '示例行，导入前请删除',
    owner: '',
    contactName: '王建国',
    contactTitle: '采购经理',
    contactRole: '采购',
    contactMobile: '13812345678',
    contactLandline: '025-83241234',
    contactEmail: '',
  });

  const typeColumn = importColumns.findIndex((column) => column.key === 'type') + 1;
  const stageColumn = importColumns.findIndex((column) => column.key === 'stage') + 1;
  const roleColumn = importColumns.findIndex((column) => column.key === 'contactRole') + 1;
  for (let row = 2; row <= 10_001; row += 1) {
    sheet.getCell(row, typeColumn).dataValidation = listValidation(Object.values(customerTypeLabels));
    sheet.getCell(row, stageColumn).dataValidation = listValidation(Object.values(customerStageLabels));
    sheet.getCell(row, roleColumn).dataValidation = listValidation(Object.values(contactRoleLabels));
  }

  const help = workbook.addWorksheet('填写说明');
  help.columns = [{ width: 22 }, { width: 80 }];
  const lines: [string, string][] = [
    ['带 * 的列', '必填'],
    ['客户类型', Object.values(customerTypeLabels).join('、')],
    ['客户阶段', `${Object.values(customerStageLabels).join('、')}；不填为潜在客户`],
    ['统一社会信用代码', '18 位，系统会核对校验位；学校、图书馆没有的可不填'],
    ['省 / 市 / 区县', '填写国家统计局的行政区划名称，如 江苏省 / 南京市 / 鼓楼区；直辖市可写 北京市 / 朝阳区'],
    ['标签', '多个标签用逗号分隔，最多 10 个'],
    ['负责人', '不填则为导入人；主管可填部门内同事的姓名，填“公海”则放入公海'],
    ['联系人', '每行最多一位联系人；手机号与座机至少填一个'],
    ['限制', '每次最多 10000 行、文件不超过 5 MB；不要使用公式；不要改动第一行的列名'],
  ];
  for (const line of lines) help.addRow(line);
  help.getColumn(1).font = { bold: true };

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function listValidation(values: string[]): ExcelJS.DataValidation {
  return { type: 'list', allowBlank: true, formulae: [`"${values.join(',')}"`] };
}
