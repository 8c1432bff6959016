import ExcelJS from 'exceljs';
import type { CustomerListQuery } from '@shared/api/customer.js';
import { contactRoleLabels, customerStageLabels, customerTypeLabels, type ContactRole, type CustomerStage, type CustomerType } from '@shared/customer-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { badRequest, forbidden } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { appendAudit } from '../audit/audit.service.js';
import { isFinanceReader, loadCustomerAccess } from './customer-access.js';
import { buildListFilter } from './customer-list.service.js';
import { countCustomerRows, listCustomerRows } from './customer-list.repository.js';
import { listCollaborationCustomerIds } from './customer-search.repository.js';
import { parseTags } from './customer.mapper.js';
import { describeRegion, loadRegionIndex } from './region.service.js';

/**
 * Export of the customers the user may see, with the list's filters: the same scope function as the
 * list, so an export never holds more than the screen would show. Each export is written to the audit log.
 */
export const maxExportRows = 100_000;
const pageSize = 2000;

export async function exportCustomers(db: Db, actor: Actor, query: Omit<CustomerListQuery, 'offset' | 'limit' | 'withTotal'>, now: Date): Promise<{ buffer: Buffer; rows: number }> {
  // Finance reads customers one at a time to chase receivables, and exports money figures from the
  // receivable module. The customer export is the whole customer book with contacts' phone numbers, a
  // sales asset, so it stays with the business scope and finance-only users may not export it.
  if (isFinanceReader(actor)) throw forbidden('导出客户名单（财务可以查看客户，导出客户名单需要销售或管理角色）');
  const filter = await exportFilter(db, actor, query, now);
  const total = await countCustomerRows(db, filter);
  if (total > maxExportRows) throw badRequest('export_too_large', `符合条件的客户有 ${total} 个，超过单次导出上限 ${maxExportRows} 个：请加筛选条件后分批导出`);

  const regions = await loadRegionIndex(db);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '客户名称', key: 'name', width: 32 },
    { header: '简称', key: 'shortName', width: 14 },
    { header: '客户类型', key: 'type', width: 12 },
    { header: '客户阶段', key: 'stage', width: 10 },
    { header: '省', key: 'province', width: 10 },
    { header: '市', key: 'city', width: 10 },
    { header: '区县', key: 'county', width: 10 },
    { header: '负责人', key: 'owner', width: 10 },
    { header: '标签', key: 'tags', width: 16 },
    { header: '最近跟进', key: 'lastFollowedUp', width: 12 },
    { header: '联系人姓名', key: 'contactName', width: 12 },
    { header: '联系人角色', key: 'contactRole', width: 10 },
    { header: '联系人手机', key: 'contactMobile', width: 14 },
    { header: '联系人座机', key: 'contactLandline', width: 14 },
  ];
  sheet.getRow(1).font = { bold: true };

  let exported = 0;
  for (let offset = 0; offset < total; offset += pageSize) {
    const rows = await listCustomerRows(db, filter, { offset, limit: pageSize });
    if (rows.length === 0) break;
    const contacts = await keyContacts(db, rows.map((row) => row.id));
    for (const row of rows) {
      const region = describeRegion(regions, { provinceCode: row.province_code, cityCode: row.city_code, countyCode: row.county_code });
      const contact = contacts.get(row.id);
      sheet.addRow({
        name: row.name,
        shortName: row.short_name ?? '',
        type: customerTypeLabels[row.type as CustomerType],
        stage: customerStageLabels[row.stage as CustomerStage],
        province: region?.provinceName ?? '',
        city: region?.cityName ?? '',
        county: region?.countyName ?? '',
        owner: row.owner_name ?? '公海',
        tags: parseTags(row.tags).join(','),
        lastFollowedUp: row.last_followed_up_at ? localDate(new Date(row.last_followed_up_at), 'Asia/Shanghai') : '',
        contactName: contact?.name ?? '',
        contactRole: contact ? contactRoleLabels[contact.role as ContactRole] ?? '' : '',
        contactMobile: contact?.mobile ?? '',
        contactLandline: contact?.landline ?? '',
      });
      exported += 1;
    }
  }

  await appendAudit(db, { actorUserId: actor.id, action: 'customer.export', entityType: 'customer_export', entityId: actor.id, data: { rows: exported, query }, occurredAt: now });
  return { buffer: Buffer.from(await workbook.xlsx.writeBuffer()), rows: exported };
}

/** Builds the list's filter, narrowed to the business scope when the actor reads more (finance with a sales role). */
async function exportFilter(db: Db, actor: Actor, query: Omit<CustomerListQuery, 'offset' | 'limit' | 'withTotal'>, now: Date) {
  const filter = await buildListFilter(db, actor, query, now);
  const access = await loadCustomerAccess(db, actor);
  if (access.scope === access.businessScope) return filter;
  const collaborationIds = access.businessScope.kind === 'users' && query.view === 'mine' ? await listCollaborationCustomerIds(db, actor.id) : [];
  return { ...filter, scope: access.businessScope, collaborationIds };
}

/** The key contact of each customer (or its first contact), one query per page. */
async function keyContacts(db: Db, customerIds: number[]) {
  const rows = await db
    .selectFrom('contact')
    .select(['customer_id', 'name', 'role', 'mobile', 'landline'])
    .where('customer_id', 'in', customerIds)
    .orderBy('customer_id')
    .orderBy('is_key', 'desc')
    .orderBy('id')
    .execute();
  const byCustomer = new Map<number, (typeof rows)[number]>();
  for (const row of rows) if (!byCustomer.has(row.customer_id)) byCustomer.set(row.customer_id, row);
  return byCustomer;
}
