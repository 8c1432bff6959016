import { parseCreditCode } from '@shared/credit-code.js';
import { customerStageLabels, normalizeCustomerName, normalizeMobile, type CustomerStage } from '@shared/customer-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import type { CustomerAccess } from './customer-access.js';
import { canViewCustomer } from './customer-access.js';
import { findCollaborator, findCustomerByCreditCode, findCustomerByNameKey, findCustomerById, type CustomerRow } from './customer.repository.js';

/**
 * Duplicate check (防撞单): the same credit code, the same normalized name, or a contact with the same
 * mobile means the customer already exists. The message names the owner, the stage and since when it is
 * owned, and nothing else: no contacts, no amounts, no id unless the caller may see the customer anyway.
 */
export type DuplicateMatch = 'credit_code' | 'name' | 'mobile';

export interface DuplicateProbe {
  nameKey?: string | null;
  creditCode?: string | null;
  mobiles?: readonly string[];
  /** The customer being edited, which does not duplicate itself. */
  excludeCustomerId?: number;
}

export interface DuplicateHit {
  customer: CustomerRow;
  matchedBy: DuplicateMatch;
}

export async function findDuplicate(db: DbExecutor, probe: DuplicateProbe): Promise<DuplicateHit | undefined> {
  const isOther = (row: CustomerRow | undefined): row is CustomerRow => row !== undefined && row.id !== probe.excludeCustomerId;

  if (probe.creditCode) {
    const byCode = await findCustomerByCreditCode(db, probe.creditCode);
    if (isOther(byCode)) return { customer: byCode, matchedBy: 'credit_code' };
  }
  if (probe.nameKey) {
    const byName = await findCustomerByNameKey(db, probe.nameKey);
    if (isOther(byName)) return { customer: byName, matchedBy: 'name' };
  }
  if (probe.mobiles && probe.mobiles.length > 0) {
    const contact = await db
      .selectFrom('contact')
      .select('customer_id')
      .where('mobile', 'in', [...probe.mobiles])
      .$if(probe.excludeCustomerId !== undefined, (query) => query.where('customer_id', '!=', probe.excludeCustomerId!))
      .executeTakeFirst();
    const byMobile = contact ? await findCustomerById(db, contact.customer_id) : undefined;
    if (isOther(byMobile)) return { customer: byMobile, matchedBy: 'mobile' };
  }
  return undefined;
}

const matchLabels: Record<DuplicateMatch, string> = {
  credit_code: '统一社会信用代码相同',
  name: '客户名称相同',
  mobile: '联系人手机号相同',
};

export interface DuplicateDetails {
  matchedBy: DuplicateMatch;
  inPool: boolean;
  ownerName: string | null;
  stage: CustomerStage;
  /** Date ('YYYY-MM-DD', Asia/Shanghai) from which the current owner owns it. */
  ownedSince: string | null;
  /** Only when the caller may see this customer anyway (own, in scope, collaborating, or in the pool). */
  customerId: number | null;
}

/** Builds the 409 error for a duplicate, worded for the rep. */
export async function duplicateError(db: DbExecutor, access: CustomerAccess, hit: DuplicateHit): Promise<AppError> {
  const { customer } = hit;
  const stage = customer.stage as CustomerStage;
  const owner = customer.owner_id === null ? undefined : await db.selectFrom('app_user').select('name').where('id', '=', customer.owner_id).executeTakeFirst();
  const collaborator = await findCollaborator(db, customer.id, access.actor.id);
  const visible = canViewCustomer(access, { row: customer, collaboration: collaborator ? { canEdit: collaborator.can_edit === 1 } : undefined }, { allowPool: true });

  const ownedSince = customer.owned_since ? localDate(new Date(customer.owned_since), 'Asia/Shanghai') : null;
  const details: DuplicateDetails = {
    matchedBy: hit.matchedBy,
    inPool: customer.owner_id === null,
    ownerName: owner?.name ?? null,
    stage,
    ownedSince,
    customerId: visible ? customer.id : null,
  };

  return new AppError(409, 'customer_duplicate', duplicateMessage({ ...details, ownedByActor: customer.owner_id === access.actor.id }), details);
}

/** Builds the rep-facing sentence: owner, stage and since when, and what to do instead of creating a second record. */
export function duplicateMessage(facts: Pick<DuplicateDetails, 'matchedBy' | 'inPool' | 'ownerName' | 'stage' | 'ownedSince'> & { ownedByActor: boolean }): string {
  const reason = matchLabels[facts.matchedBy];
  const stage = customerStageLabels[facts.stage];
  if (facts.inPool) return `客户已存在（${reason}），目前在公海中，阶段：${stage}。请到公海领取，不要重复录入。`;
  if (facts.ownedByActor) return `客户已存在（${reason}），负责人就是您，阶段：${stage}，自 ${facts.ownedSince} 起负责。`;
  return `客户已存在（${reason}）：负责人 ${facts.ownerName ?? '未知'}，阶段：${stage}，自 ${facts.ownedSince} 起负责。如需跟进，可向负责人申请成为协作人。`;
}

/** Throws the duplicate error when the probe matches another customer. */
export async function assertNoDuplicate(db: DbExecutor, access: CustomerAccess, probe: DuplicateProbe): Promise<void> {
  const hit = await findDuplicate(db, probe);
  if (hit) throw await duplicateError(db, access, hit);
}

/** Checks whether an error is a UNIQUE violation of SQLite or PostgreSQL, which means a concurrent create won the race. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505' || /UNIQUE constraint failed/.test(error.message);
}

/**
 * Checks what the rep typed so far, before saving, and returns the same limited facts as the 409 on
 * save. Partial input that is not valid yet is skipped.
 */
export async function checkDuplicate(
  db: DbExecutor,
  access: CustomerAccess,
  input: { name?: string; creditCode?: string; mobile?: string; excludeId?: number },
): Promise<(DuplicateDetails & { message: string }) | null> {
  const code = input.creditCode ? parseCreditCode(input.creditCode) : undefined;
  const nameKey = input.name && input.name.trim().length >= 2 ? normalizeCustomerName(input.name) : null;
  const mobile = input.mobile ? normalizeMobile(input.mobile) : undefined;

  const hit = await findDuplicate(db, {
    nameKey,
    creditCode: code?.ok ? code.code : null,
    mobiles: mobile ? [mobile] : [],
    excludeCustomerId: input.excludeId,
  });
  if (!hit) return null;
  const error = await duplicateError(db, access, hit);
  return { ...(error.details as DuplicateDetails), message: error.userMessage };
}
