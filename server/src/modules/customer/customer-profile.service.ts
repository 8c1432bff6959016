import type { CreateCustomerRequest, Customer, UpdateCustomerRequest } from '@shared/api/customer.js';
import { creditCodeOptionalTypes, customerStageLabels, type CustomerStage, type CustomerType } from '@shared/customer-rules.js';
import type { Actor } from '../../access/actor.js';
import { hasRole, isManager } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, conflict, forbidden } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { listUserDepartments } from '../org/org.repository.js';
import { listCollaborators } from './collaborator.repository.js';
import { insertContact } from './contact.repository.js';
import {
  canClaimCustomer,
  canEditCustomer,
  canFollowUpCustomer,
  canManageCollaborators,
  canReleaseCustomer,
  canTransferCustomer,
  loadCustomerAccess,
  loadVisibleCustomerOrThrow,
  type CustomerAccess,
  type CustomerRelation,
} from './customer-access.js';
import { toCustomer } from './customer.mapper.js';
import { insertCustomer, insertStageChange, updateCustomerVersioned } from './customer.repository.js';
import { buildSearchKeys } from './customer.rules.js';
import { refreshCustomerSearchIndex } from './customer-search-index.js';
import { setCustomerStage } from './customer.service.js';
import { assertNoDuplicate, duplicateError, findDuplicate, isUniqueViolation } from './duplicate-check.service.js';
import { loadRegionIndex, resolveRegionCodes, type RegionCodes } from './region.service.js';
import { appendTimeline } from './timeline.service.js';

/** Creating, reading and editing a customer's profile (the 360 view's header and the edit form). */

export async function resolveRegionOrThrow(db: DbExecutor, code: string): Promise<RegionCodes> {
  const codes = resolveRegionCodes(await loadRegionIndex(db), code);
  if (!codes) throw badRequest('unknown_region', `地区编码 ${code} 不存在，请在地区选择器中重新选择省、市、区县`);
  return codes;
}

/** The department a new owner's customers belong to: the owner's first (main) department. */
export async function mainDepartmentId(db: DbExecutor, userId: number): Promise<number | null> {
  const departments = await listUserDepartments(db, userId);
  return departments[0]?.id ?? null;
}

export async function createCustomer(db: Db, actor: Actor, input: CreateCustomerRequest, now: Date): Promise<Customer> {
  if (input.toPool && !isManager(actor) && !hasRole(actor, 'admin')) throw forbidden('直接把客户放入公海');
  if (input.creditLimitFen != null && !hasRole(actor, 'finance', 'admin')) throw forbidden('设置信用额度（请联系财务）');
  const region = await resolveRegionOrThrow(db, input.regionCode);
  const keys = buildSearchKeys(input.name, input.shortName ?? null, input.creditCode ?? null);
  const mobiles = input.contacts.map((contact) => contact.mobile).filter((mobile): mobile is string => Boolean(mobile));
  if (new Set(mobiles).size !== mobiles.length) throw badRequest('contact_mobile_repeated', '同一个手机号在联系人中填了两次，请检查');

  const access = await loadCustomerAccess(db, actor);
  try {
    const id = await db.transaction().execute(async (trx) => {
      await assertNoDuplicate(trx, access, { nameKey: keys.nameKey, creditCode: input.creditCode ?? null, mobiles });

      const ownerId = input.toPool ? null : actor.id;
      const at = now.toISOString();
      const customerId = await insertCustomer(trx, {
        name: input.name,
        name_key: keys.nameKey,
        short_name: input.shortName ?? null,
        name_pinyin: keys.namePinyin,
        name_initials: keys.nameInitials,
        search_text: keys.searchText,
        type: input.type,
        stage: input.stage,
        stage_changed_at: at,
        credit_code: input.creditCode ?? null,
        province_code: region.provinceCode,
        city_code: region.cityCode,
        county_code: region.countyCode,
        address: input.address ?? null,
        latitude: input.location?.lat ?? null,
        longitude: input.location?.lng ?? null,
        tags: JSON.stringify(input.tags ?? []),
        source: input.source ?? null,
        notes: input.notes ?? null,
        owner_id: ownerId,
        owned_since: ownerId === null ? null : at,
        department_id: ownerId === null ? null : await mainDepartmentId(trx, ownerId),
        credit_limit_fen: input.creditLimitFen ?? null,
        released_at: ownerId === null ? at : null,
        release_reason: ownerId === null ? '新建入公海' : null,
        released_by: null,
        last_followed_up_at: null,
        created_by: actor.id,
        created_at: at,
        updated_at: at,
        version: 1,
      });
      for (const contact of input.contacts) await insertContact(trx, customerId, contact, actor.id, now);
      await refreshCustomerSearchIndex(trx, customerId);

      await insertStageChange(trx, { customerId, fromStage: null, toStage: input.stage, reason: '新建客户', actorUserId: actor.id, changedAt: at });
      await appendTimeline(trx, { customerId, kind: 'created', title: ownerId === null ? '新建客户（放入公海）' : '新建客户', summary: null, actorUserId: actor.id, occurredAt: now });
      await appendAudit(trx, { actorUserId: actor.id, action: 'customer.create', entityType: 'customer', entityId: customerId, data: { name: input.name, ownerId, toPool: input.toPool }, occurredAt: now });
      return customerId;
    });
    return await getCustomerDetail(db, actor, id);
  } catch (error) {
    // Another request inserted the same name, credit code or mobile between our check and our insert.
    if (!isUniqueViolation(error)) throw error;
    const hit = await findDuplicate(db, { nameKey: keys.nameKey, creditCode: input.creditCode ?? null, mobiles });
    if (!hit) throw error;
    throw await duplicateError(db, access, hit);
  }
}

export async function getCustomerDetail(db: DbExecutor, actor: Actor, customerId: number): Promise<Customer> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId, { allowPool: true });
  return describeCustomer(db, access, relation);
}

export async function describeCustomer(db: DbExecutor, access: CustomerAccess, relation: CustomerRelation): Promise<Customer> {
  const { row } = relation;
  const [regions, owner, department, collaborators] = await Promise.all([
    loadRegionIndex(db),
    row.owner_id === null ? undefined : db.selectFrom('app_user').select(['id', 'name']).where('id', '=', row.owner_id).executeTakeFirst(),
    row.department_id === null ? undefined : db.selectFrom('department').select(['id', 'name']).where('id', '=', row.department_id).executeTakeFirst(),
    listCollaborators(db, row.id),
  ]);
  const canEdit = canEditCustomer(access, relation);
  return toCustomer({
    row,
    regions,
    owner: owner ?? null,
    department: department ?? null,
    collaborators: collaborators.map((collaborator) => ({ id: collaborator.id, name: collaborator.name, canEdit: collaborator.can_edit === 1, addedAt: collaborator.added_at })),
    permissions: {
      canEdit,
      canRelease: canReleaseCustomer(access, relation),
      canTransfer: canTransferCustomer(access, relation),
      canClaim: canClaimCustomer(access, relation),
      canManageCollaborators: canManageCollaborators(access, relation),
      canEditDiscount: canEditDiscountAgreement(access, relation),
      canFollowUp: canFollowUpCustomer(access, relation),
    },
  });
}

/** Discount agreements bind later quotes, so only a manager over the owner or an admin changes them. */
export function canEditDiscountAgreement(access: CustomerAccess, relation: CustomerRelation): boolean {
  if (hasRole(access.actor, 'admin')) return true;
  return isManager(access.actor) && canTransferCustomer(access, relation);
}

export async function assertCanEdit(access: CustomerAccess, relation: CustomerRelation): Promise<void> {
  if (!canEditCustomer(access, relation)) throw forbidden('修改这个客户（只有负责人、有编辑权的协作人和主管可以修改）');
}

export async function updateCustomerProfile(db: Db, actor: Actor, customerId: number, input: UpdateCustomerRequest, now: Date): Promise<Customer> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  await assertCanEdit(access, relation);
  const { row } = relation;
  if (input.creditLimitFen !== undefined && input.creditLimitFen !== row.credit_limit_fen && !hasRole(actor, 'finance', 'admin')) {
    throw forbidden('修改信用额度（请联系财务）');
  }
  const region = input.regionCode ? await resolveRegionOrThrow(db, input.regionCode) : undefined;

  const name = input.name ?? row.name;
  const shortName = input.shortName === undefined ? row.short_name : input.shortName;
  const creditCode = input.creditCode === undefined ? row.credit_code : input.creditCode;
  const keys = buildSearchKeys(name, shortName, creditCode);
  const at = now.toISOString();
  const type = input.type ?? row.type;
  if (!creditCode && !creditCodeOptionalTypes.includes(type as CustomerType)) {
    throw badRequest('credit_code_required', '请填写统一社会信用代码（学校、图书馆没有的可不填）', [{ field: 'creditCode', message: '请填写统一社会信用代码' }]);
  }

  const changes = {
    name,
    name_key: keys.nameKey,
    short_name: shortName,
    name_pinyin: keys.namePinyin,
    name_initials: keys.nameInitials,
    type,
    credit_code: creditCode,
    ...(region ? { province_code: region.provinceCode, city_code: region.cityCode, county_code: region.countyCode } : {}),
    address: input.address === undefined ? row.address : input.address,
    latitude: input.location === undefined ? row.latitude : (input.location?.lat ?? null),
    longitude: input.location === undefined ? row.longitude : (input.location?.lng ?? null),
    tags: input.tags === undefined ? row.tags : JSON.stringify(input.tags),
    source: input.source === undefined ? row.source : input.source,
    notes: input.notes === undefined ? row.notes : input.notes,
    credit_limit_fen: input.creditLimitFen === undefined ? row.credit_limit_fen : input.creditLimitFen,
    updated_at: at,
  };
  const changedFields = Object.entries(changes)
    .filter(([key, value]) => key !== 'updated_at' && row[key as keyof typeof row] !== value)
    .map(([key]) => key);

  try {
    await db.transaction().execute(async (trx) => {
      await assertNoDuplicate(trx, access, { nameKey: keys.nameKey, creditCode, excludeCustomerId: customerId });
      if (!(await updateCustomerVersioned(trx, customerId, input.version, changes))) {
        throw conflict('customer_version_conflict', '客户资料已被他人修改，请刷新后再保存');
      }
      if (name !== row.name || shortName !== row.short_name || creditCode !== row.credit_code) {
        // search_text is written here too, because it carries the contacts' landlines besides the names.
        await refreshCustomerSearchIndex(trx, customerId);
      }
      await appendAudit(trx, { actorUserId: actor.id, action: 'customer.update', entityType: 'customer', entityId: customerId, data: { fields: changedFields, creditLimitFen: changes.credit_limit_fen }, occurredAt: now });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const hit = await findDuplicate(db, { nameKey: keys.nameKey, creditCode, excludeCustomerId: customerId });
    if (!hit) throw error;
    throw await duplicateError(db, access, hit);
  }
  return getCustomerDetail(db, actor, customerId);
}

export async function changeCustomerStage(db: Db, actor: Actor, customerId: number, input: { stage: CustomerStage; reason?: string; version: number }, now: Date): Promise<Customer> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  await assertCanEdit(access, relation);
  if (relation.row.version !== input.version) throw conflict('customer_version_conflict', '客户资料已被他人修改，请刷新后再操作');
  if (input.stage === 'lost' && !input.reason) throw badRequest('reason_required', `改为“${customerStageLabels.lost}”时请填写原因`);

  await db.transaction().execute(async (trx) => {
    await setCustomerStage(trx, { customerId, stage: input.stage, actorUserId: actor.id, reason: input.reason ?? null, at: now });
  });
  return getCustomerDetail(db, actor, customerId);
}
