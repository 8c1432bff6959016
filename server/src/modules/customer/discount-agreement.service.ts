import type { DiscountAgreement, DiscountAgreementInput } from '@shared/api/discount-agreement.js';
import { discountAgreementsResponseSchema, agreementScopeLabels } from '@shared/api/discount-agreement.js';
import { formatDiscount } from '@shared/money.js';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { conflict, forbidden, notFound } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { appendAudit } from '../audit/audit.service.js';
import { loadCustomerAccess, loadVisibleCustomerOrThrow } from './customer-access.js';
import { canEditDiscountAgreement } from './customer-profile.service.js';
import { isUniqueViolation } from './duplicate-check.service.js';
import {
  deleteAgreement,
  findAgreementById,
  insertAgreement,
  insertAgreementChange,
  listAgreementChanges,
  listAgreements,
  updateAgreement,
  type DiscountAgreementRow,
} from './discount-agreement.repository.js';
import { appendTimeline } from './timeline.service.js';

/** Editing a customer's discount agreements: managers over the owner and admins; every change keeps who and why. */

type AgreementsResponse = z.infer<typeof discountAgreementsResponseSchema>;

interface Snapshot {
  scope: string;
  scopeValue: string;
  defaultDiscount: number;
  floorDiscount: number;
  validFrom: string;
  validTo: string | null;
}

function snapshotOf(row: DiscountAgreementRow | DiscountAgreementInput): Snapshot {
  if ('scope_value' in row) {
    return { scope: row.scope, scopeValue: row.scope_value, defaultDiscount: row.default_discount, floorDiscount: row.floor_discount, validFrom: row.valid_from, validTo: row.valid_to };
  }
  return { scope: row.scope, scopeValue: row.scopeValue, defaultDiscount: row.defaultDiscount, floorDiscount: row.floorDiscount, validFrom: row.validFrom, validTo: row.validTo };
}

function describeSnapshot(snapshot: Snapshot): string {
  const scope = snapshot.scope === 'customer' ? '客户默认' : `${agreementScopeLabels[snapshot.scope as 'category']}“${snapshot.scopeValue}”`;
  const period = `${snapshot.validFrom} 起${snapshot.validTo ? `至 ${snapshot.validTo}` : ''}`;
  return `${scope}：默认 ${formatDiscount(snapshot.defaultDiscount)}，底线 ${formatDiscount(snapshot.floorDiscount)}，${period}`;
}

export async function listDiscountAgreements(db: Db, actor: Actor, customerId: number, now: Date): Promise<AgreementsResponse> {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  const today = localDate(now, 'Asia/Shanghai');
  const [rows, changes, users] = await Promise.all([listAgreements(db, customerId), listAgreementChanges(db, customerId), db.selectFrom('app_user').select(['id', 'name']).execute()]);
  const names = new Map(users.map((user) => [user.id, user.name]));

  return {
    items: rows.map((row) => toAgreement(row, today, names)),
    history: changes.map((change) => {
      const after = change.after ? (JSON.parse(change.after) as Snapshot) : null;
      const before = change.before ? (JSON.parse(change.before) as Snapshot) : null;
      const verb = { create: '新增', update: '修改', delete: '删除' }[change.action];
      return {
        id: change.id,
        agreementId: change.agreement_id,
        action: change.action,
        summary: `${verb} ${describeSnapshot((after ?? before)!)}${change.action === 'update' && before ? `（原：默认 ${formatDiscount(before.defaultDiscount)}，底线 ${formatDiscount(before.floorDiscount)}）` : ''}`,
        reason: change.reason,
        actor: { id: change.actor_id, name: change.actor_name },
        changedAt: change.changed_at,
      };
    }),
    canEdit: canEditDiscountAgreement(access, relation),
  };
}

function toAgreement(row: DiscountAgreementRow, today: string, names: Map<number, string>): DiscountAgreement {
  return {
    id: row.id,
    scope: row.scope,
    scopeValue: row.scope_value,
    defaultDiscount: row.default_discount,
    floorDiscount: row.floor_discount,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    active: row.valid_from <= today && (row.valid_to === null || row.valid_to >= today),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by !== null ? { id: row.updated_by, name: names.get(row.updated_by) ?? '' } : null,
  };
}

async function assertCanEditAgreements(db: Db, actor: Actor, customerId: number) {
  const access = await loadCustomerAccess(db, actor);
  const relation = await loadVisibleCustomerOrThrow(db, access, customerId);
  if (!canEditDiscountAgreement(access, relation)) throw forbidden('修改折扣协议（需要负责人所在部门的主管）');
  return relation;
}

const overlapMessage = '同一范围、同一开始日期的协议已存在，请修改那一条，或换一个开始日期';

export async function createDiscountAgreement(db: Db, actor: Actor, customerId: number, input: DiscountAgreementInput, now: Date): Promise<AgreementsResponse> {
  await assertCanEditAgreements(db, actor, customerId);
  const snapshot = snapshotOf(input);
  try {
    await db.transaction().execute(async (trx) => {
      const id = await insertAgreement(trx, {
        customer_id: customerId,
        scope: input.scope,
        scope_value: input.scopeValue,
        default_discount: input.defaultDiscount,
        floor_discount: input.floorDiscount,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        updated_by: actor.id,
        updated_at: now.toISOString(),
      });
      await recordAgreementChange(trx, { customerId, agreementId: id, action: 'create', before: null, after: snapshot, reason: input.reason, actor, now });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('discount_agreement_exists', overlapMessage);
    throw error;
  }
  return listDiscountAgreements(db, actor, customerId, now);
}

export async function updateDiscountAgreement(db: Db, actor: Actor, customerId: number, agreementId: number, input: DiscountAgreementInput, now: Date): Promise<AgreementsResponse> {
  await assertCanEditAgreements(db, actor, customerId);
  const existing = await findAgreementById(db, agreementId);
  if (!existing || existing.customer_id !== customerId) throw notFound('折扣协议');
  try {
    await db.transaction().execute(async (trx) => {
      await updateAgreement(trx, agreementId, {
        scope: input.scope,
        scope_value: input.scopeValue,
        default_discount: input.defaultDiscount,
        floor_discount: input.floorDiscount,
        valid_from: input.validFrom,
        valid_to: input.validTo,
        updated_by: actor.id,
        updated_at: now.toISOString(),
      });
      await recordAgreementChange(trx, { customerId, agreementId, action: 'update', before: snapshotOf(existing), after: snapshotOf(input), reason: input.reason, actor, now });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('discount_agreement_exists', overlapMessage);
    throw error;
  }
  return listDiscountAgreements(db, actor, customerId, now);
}

export async function removeDiscountAgreement(db: Db, actor: Actor, customerId: number, agreementId: number, reason: string, now: Date): Promise<AgreementsResponse> {
  await assertCanEditAgreements(db, actor, customerId);
  const existing = await findAgreementById(db, agreementId);
  if (!existing || existing.customer_id !== customerId) throw notFound('折扣协议');
  await db.transaction().execute(async (trx) => {
    await deleteAgreement(trx, agreementId);
    await recordAgreementChange(trx, { customerId, agreementId, action: 'delete', before: snapshotOf(existing), after: null, reason, actor, now });
  });
  return listDiscountAgreements(db, actor, customerId, now);
}

async function recordAgreementChange(
  db: DbExecutor,
  change: { customerId: number; agreementId: number; action: 'create' | 'update' | 'delete'; before: Snapshot | null; after: Snapshot | null; reason: string; actor: Actor; now: Date },
): Promise<void> {
  await insertAgreementChange(db, { ...change, actorUserId: change.actor.id, changedAt: change.now.toISOString() });
  const verb = { create: '新增', update: '修改', delete: '删除' }[change.action];
  await appendTimeline(db, {
    customerId: change.customerId,
    kind: 'discount',
    refType: 'discount_agreement',
    refId: change.agreementId,
    title: `${verb}折扣协议`,
    summary: `${describeSnapshot((change.after ?? change.before)!)}。原因：${change.reason}`,
    actorUserId: change.actor.id,
    occurredAt: change.now,
  });
  await appendAudit(db, {
    actorUserId: change.actor.id,
    action: `discount_agreement.${change.action}`,
    entityType: 'customer',
    entityId: change.customerId,
    data: { agreementId: change.agreementId, before: change.before, after: change.after, reason: change.reason },
    occurredAt: change.now,
  });
}
