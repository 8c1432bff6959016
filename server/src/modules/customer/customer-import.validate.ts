import type { CreateCustomerRequest } from '@shared/api/customer.js';
import { createCustomerRequestSchema } from '@shared/api/customer.js';
import type { ImportRowError } from '@shared/api/customer-import.js';
import { contactRoleLabels, customerStageLabels, customerTypeLabels, normalizeCustomerName, type CustomerStage } from '@shared/customer-rules.js';
import { hasRole, isManager } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { localDate } from '../../lib/clock.js';
import { listAssignees } from './assignee.service.js';
import type { CustomerAccess } from './customer-access.js';
import { headingForField, type ImportRawRow } from './customer-import.columns.js';
import { duplicateMessage, type DuplicateMatch } from './duplicate-check.service.js';
import { findRegionByNames, loadRegionIndex, type RegionIndex } from './region.service.js';

/** A row that passed every check; `ownerId` null means it goes to the pool. */
export interface ValidImportRow {
  rowNumber: number;
  request: CreateCustomerRequest;
  ownerId: number | null;
}

export interface ImportValidation {
  good: ValidImportRow[];
  errors: ImportRowError[];
  badRows: number;
}

const typeAliases: Record<string, string> = {
  ...Object.fromEntries(Object.entries(customerTypeLabels).flatMap(([code, label]) => [[label, code], [code, code]])),
  线上: 'online_platform',
  电商: 'online_platform',
  新华: 'xinhua_store',
  民营: 'private_store',
  馆配: 'library',
  图书馆: 'library',
  学校: 'school',
  教材: 'school',
  机关: 'institution',
  企业: 'corporate',
  团购: 'corporate',
};
const stageAliases: Record<string, string> = Object.fromEntries(
  Object.entries(customerStageLabels).flatMap(([code, label]) => [[label, code], [label.replace('客户', ''), code], [code, code]]),
);
const roleAliases: Record<string, string> = Object.fromEntries(Object.entries(contactRoleLabels).flatMap(([code, label]) => [[label, code], [code, code]]));

/**
 * Checks every row like the create form would, then across rows (the same customer twice in the file) and
 * against the database (the duplicate check, in batches). `onProgress` is called every few hundred rows.
 */
export async function validateImportRows(
  db: DbExecutor,
  access: CustomerAccess,
  rows: { rowNumber: number; values: ImportRawRow }[],
  onProgress: (processed: number) => Promise<void>,
): Promise<ImportValidation> {
  const regions = await loadRegionIndex(db);
  const owners = await ownerLookup(db, access);
  const errors: ImportRowError[] = [];
  const candidates: ValidImportRow[] = [];

  for (let index = 0; index < rows.length; index += 1) {
    const { rowNumber, values } = rows[index]!;
    const rowErrors: ImportRowError[] = [];
    const parsed = parseRow(values, regions, owners, access, (column, message) => rowErrors.push({ row: rowNumber, column, message }));
    if (parsed && rowErrors.length === 0) candidates.push({ rowNumber, ...parsed });
    errors.push(...rowErrors);
    if ((index + 1) % 500 === 0) await onProgress(index + 1);
  }

  const withinFile = findRepeatsWithinFile(candidates);
  const inDatabase = await findExistingDuplicates(db, access, candidates.filter((row) => !withinFile.has(row.rowNumber)));
  for (const [rowNumber, error] of [...withinFile, ...inDatabase]) errors.push({ row: rowNumber, ...error });
  await onProgress(rows.length);

  const badRowNumbers = new Set(errors.map((error) => error.row));
  errors.sort((a, b) => a.row - b.row);
  return { good: candidates.filter((row) => !badRowNumbers.has(row.rowNumber)), errors, badRows: badRowNumbers.size };
}

type OwnerLookup = Map<string, number[]>;

async function ownerLookup(db: DbExecutor, access: CustomerAccess): Promise<OwnerLookup> {
  const lookup: OwnerLookup = new Map();
  for (const user of await listAssignees(db, access.actor)) lookup.set(user.name, [...(lookup.get(user.name) ?? []), user.id]);
  return lookup;
}

function parseRow(
  values: ImportRawRow,
  regions: RegionIndex,
  owners: OwnerLookup,
  access: CustomerAccess,
  report: (column: string, message: string) => void,
): Omit<ValidImportRow, 'rowNumber'> | undefined {
  const type = values.type ? typeAliases[values.type] : undefined;
  if (!values.type) report('客户类型', '请填写客户类型');
  else if (!type) report('客户类型', `不认识的客户类型“${values.type}”：可填 ${Object.values(customerTypeLabels).join('、')}`);

  const stage = values.stage ? stageAliases[values.stage] : 'potential';
  if (!stage) report('客户阶段', `不认识的客户阶段“${values.stage}”：可填 ${Object.values(customerStageLabels).join('、')}`);

  let regionCode: string | undefined;
  if (!values.province) report('省', '请填写省份');
  else {
    regionCode = findRegionByNames(regions, { province: values.province, city: values.city, county: values.county });
    if (!regionCode) report(values.county ? '区县' : values.city ? '市' : '省', `地区“${[values.province, values.city, values.county].filter(Boolean).join(' ')}”不存在：请按国家统计局的名称填写，如 江苏省 / 南京市 / 鼓楼区`);
  }

  const ownerId = resolveOwner(values.owner, owners, access, report);
  const hasContact = Boolean(values.contactName || values.contactMobile || values.contactLandline);
  const body = {
    name: values.name ?? '',
    shortName: values.shortName ?? null,
    type,
    stage,
    creditCode: values.creditCode ?? null,
    regionCode: regionCode ?? '00',
    address: values.address ?? null,
    tags: values.tags ? values.tags.split(/[,，、;；]/).map((tag) => tag.trim()).filter(Boolean) : [],
    source: values.source ?? null,
    notes: values.notes ?? null,
    contacts: hasContact
      ? [
          {
            name: values.contactName ?? '',
            title: values.contactTitle ?? null,
            role: values.contactRole ? roleAliases[values.contactRole] ?? 'other' : 'other',
            mobile: values.contactMobile ?? '',
            landline: values.contactLandline ?? '',
            email: values.contactEmail ?? '',
            isKey: true,
          },
        ]
      : [],
  };
  const parsed = createCustomerRequestSchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      // Type, stage and region were reported above in words the user recognises.
      if (path === 'type' || path === 'stage' || path === 'regionCode') continue;
      report(headingForField(path), issue.message);
    }
    return undefined;
  }
  if (ownerId === undefined) return undefined;
  return { request: parsed.data, ownerId };
}

/** Blank: the importer. '公海': the pool (managers and admins). A name: a colleague the importer may assign to. */
function resolveOwner(name: string | undefined, owners: OwnerLookup, access: CustomerAccess, report: (column: string, message: string) => void): number | null | undefined {
  const { actor } = access;
  const canAssign = isManager(actor) || hasRole(actor, 'admin');
  if (!name || name === actor.name) return actor.id;
  if (name === '公海') {
    if (canAssign) return null;
    report('负责人', '只有主管可以把客户直接导入公海；请留空，客户将由您负责');
    return undefined;
  }
  const ids = owners.get(name) ?? [];
  if (!canAssign || ids.length === 0) {
    report('负责人', canAssign ? `“${name}”不在您管理的部门里，或不是销售人员` : '只有主管可以指定其他负责人；请留空，客户将由您负责');
    return undefined;
  }
  if (ids.length > 1) {
    report('负责人', `有 ${ids.length} 位同事叫“${name}”，无法确定是谁：请留空导入后再分配`);
    return undefined;
  }
  return ids[0]!;
}

function findRepeatsWithinFile(rows: ValidImportRow[]): Map<number, { column: string; message: string }> {
  const repeats = new Map<number, { column: string; message: string }>();
  const seen = { name: new Map<string, number>(), creditCode: new Map<string, number>(), mobile: new Map<string, number>() };
  for (const row of rows) {
    const checks: [keyof typeof seen, string | null | undefined, string][] = [
      ['name', normalizeCustomerName(row.request.name), '客户名称'],
      ['creditCode', row.request.creditCode, '统一社会信用代码'],
      ['mobile', row.request.contacts[0]?.mobile, '联系人手机'],
    ];
    for (const [kind, key, column] of checks) {
      if (!key) continue;
      const first = seen[kind].get(key);
      if (first !== undefined && !repeats.has(row.rowNumber)) repeats.set(row.rowNumber, { column, message: `与第 ${first} 行是同一个客户（${column}相同），同一客户只保留一行` });
      if (first === undefined) seen[kind].set(key, row.rowNumber);
    }
  }
  return repeats;
}

interface ExistingCustomer {
  id: number;
  owner_id: number | null;
  owner_name: string | null;
  stage: string;
  owned_since: string | null;
}

export async function findExistingDuplicates(db: DbExecutor, access: CustomerAccess, rows: ValidImportRow[]): Promise<Map<number, { column: string; message: string }>> {
  const found = new Map<number, { column: string; message: string }>();
  const byName = await existingBy(db, 'name_key', rows.map((row) => normalizeCustomerName(row.request.name)));
  const byCode = await existingBy(db, 'credit_code', rows.map((row) => row.request.creditCode).filter((code): code is string => Boolean(code)));
  const byMobile = await existingByMobile(db, rows.map((row) => row.request.contacts[0]?.mobile).filter((mobile): mobile is string => Boolean(mobile)));

  for (const row of rows) {
    const checks: [DuplicateMatch, ExistingCustomer | undefined, string][] = [
      ['credit_code', row.request.creditCode ? byCode.get(row.request.creditCode) : undefined, '统一社会信用代码'],
      ['name', byName.get(normalizeCustomerName(row.request.name)), '客户名称'],
      ['mobile', row.request.contacts[0]?.mobile ? byMobile.get(row.request.contacts[0].mobile) : undefined, '联系人手机'],
    ];
    const hit = checks.find(([, customer]) => customer !== undefined);
    if (!hit) continue;
    const [matchedBy, customer, column] = hit;
    found.set(row.rowNumber, {
      column,
      message: duplicateMessage({
        matchedBy,
        inPool: customer!.owner_id === null,
        ownerName: customer!.owner_name,
        stage: customer!.stage as CustomerStage,
        ownedSince: customer!.owned_since ? localDate(new Date(customer!.owned_since), 'Asia/Shanghai') : null,
        ownedByActor: customer!.owner_id === access.actor.id,
      }),
    });
  }
  return found;
}

const chunkSize = 500;

async function existingBy(db: DbExecutor, column: 'name_key' | 'credit_code', keys: string[]): Promise<Map<string, ExistingCustomer>> {
  const result = new Map<string, ExistingCustomer>();
  const unique = [...new Set(keys)];
  for (let start = 0; start < unique.length; start += chunkSize) {
    const rows = await db
      .selectFrom('customer')
      .leftJoin('app_user', 'app_user.id', 'customer.owner_id')
      .select(['customer.id', 'customer.owner_id', 'app_user.name as owner_name', 'customer.stage', 'customer.owned_since', `customer.${column} as key`])
      .where(`customer.${column}`, 'in', unique.slice(start, start + chunkSize))
      .execute();
    for (const row of rows) if (row.key) result.set(row.key, row);
  }
  return result;
}

async function existingByMobile(db: DbExecutor, mobiles: string[]): Promise<Map<string, ExistingCustomer>> {
  const result = new Map<string, ExistingCustomer>();
  const unique = [...new Set(mobiles)];
  for (let start = 0; start < unique.length; start += chunkSize) {
    const rows = await db
      .selectFrom('contact')
      .innerJoin('customer', 'customer.id', 'contact.customer_id')
      .leftJoin('app_user', 'app_user.id', 'customer.owner_id')
      .select(['customer.id', 'customer.owner_id', 'app_user.name as owner_name', 'customer.stage', 'customer.owned_since', 'contact.mobile as key'])
      .where('contact.mobile', 'in', unique.slice(start, start + chunkSize))
      .execute();
    for (const row of rows) if (row.key) result.set(row.key, row);
  }
  return result;
}
