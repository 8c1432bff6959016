import { canChangeStage, customerStageLabels, type CustomerStage, type CustomerType } from '@shared/customer-rules.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { conflict } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { appendAudit } from '../audit/audit.service.js';
import { loadCustomerAccess, loadVisibleCustomerOrThrow } from './customer-access.js';
import { findCustomerById, insertStageChange, updateCustomer } from './customer.repository.js';
import { listAgreementsInForce } from './discount-agreement.repository.js';
import { pickAgreement, type AppliedDiscount } from './discount-agreement.rules.js';
import { appendTimeline } from './timeline.service.js';

/**
 * The customer functions other modules call (visits, quotes, contracts, receivables, dashboards). Each
 * takes a db or an open transaction so callers compose them into their own transaction.
 */

export { appendTimeline, type TimelineInput } from './timeline.service.js';
export { evaluateCreditLimit, registerExposureSource, registerReturnRateSource, type CreditEvaluation, type ExposureSource } from './credit-limit.service.js';
export { visibleCustomerIds, listVisibleCustomerIds } from './customer-scope.js';
export { listUpcomingPoolReturns } from './pool-return-schedule.js';
export { listCollaborationRequests } from './collaborator.service.js';

export interface CustomerSummary {
  id: number;
  name: string;
  shortName: string | null;
  type: CustomerType;
  stage: CustomerStage;
  ownerId: number | null;
  departmentId: number | null;
  creditLimitFen: number | null;
  creditCode: string | null;
  address: string | null;
  location: { lat: number; lng: number } | null;
}

/**
 * The customer as other modules see it, or 404 when the actor may not see it: owner in the actor's
 * scope, or the actor collaborates on it. Pool customers count only with `allowPool` (reps browse the
 * pool, but quote or contract a customer only after claiming it).
 */
export async function getVisibleCustomerOrThrow(db: DbExecutor, actor: Actor, customerId: number, options: { allowPool?: boolean } = {}): Promise<CustomerSummary> {
  const access = await loadCustomerAccess(db, actor, 'business');
  const { row } = await loadVisibleCustomerOrThrow(db, access, customerId, { allowPool: options.allowPool ?? false });
  return {
    id: row.id,
    name: row.name,
    shortName: row.short_name,
    type: row.type as CustomerType,
    stage: row.stage as CustomerStage,
    ownerId: row.owner_id,
    departmentId: row.department_id,
    creditLimitFen: row.credit_limit_fen,
    creditCode: row.credit_code,
    address: row.address,
    location: row.latitude !== null && row.longitude !== null ? { lat: row.latitude, lng: row.longitude } : null,
  };
}

/** Moves the last-followed-up time forward (never back); visits call it on check-in. */
export async function recordFollowUp(db: DbExecutor, customerId: number, at: Date): Promise<void> {
  const iso = at.toISOString();
  await db
    .updateTable('customer')
    .set({ last_followed_up_at: iso })
    .where('id', '=', customerId)
    .where((eb) => eb.or([eb('last_followed_up_at', 'is', null), eb('last_followed_up_at', '<', iso)]))
    .execute();
}

export interface StageChange {
  customerId: number;
  stage: CustomerStage;
  actorUserId: number | null;
  reason: string | null;
  at: Date;
}

/**
 * Changes the stage and records who, when and why in the stage history, the timeline and the audit log.
 * Setting the current stage again is a no-op (a second contract won does not add history). Contracts
 * call it with 'won' on approval.
 */
export async function setCustomerStage(db: DbExecutor, change: StageChange): Promise<{ changed: boolean }> {
  const customer = await findCustomerById(db, change.customerId);
  if (!customer) throw new Error(`setCustomerStage: customer ${change.customerId} does not exist`);
  const from = customer.stage as CustomerStage;
  if (from === change.stage) return { changed: false };
  if (!canChangeStage(from, change.stage)) {
    throw conflict('stage_change_not_allowed', `客户阶段不能从“${customerStageLabels[from]}”改为“${customerStageLabels[change.stage]}”`);
  }

  const at = change.at.toISOString();
  await updateCustomer(db, customer.id, { stage: change.stage, stage_changed_at: at, updated_at: at });
  await insertStageChange(db, { customerId: customer.id, fromStage: from, toStage: change.stage, reason: change.reason, actorUserId: change.actorUserId, changedAt: at });
  await appendTimeline(db, {
    customerId: customer.id,
    kind: 'stage',
    title: `阶段：${customerStageLabels[from]} → ${customerStageLabels[change.stage]}`,
    summary: change.reason,
    actorUserId: change.actorUserId,
    occurredAt: change.at,
  });
  await appendAudit(db, {
    actorUserId: change.actorUserId,
    action: 'customer.stage_change',
    entityType: 'customer',
    entityId: customer.id,
    data: { from, to: change.stage, reason: change.reason },
    occurredAt: change.at,
  });
  return { changed: true };
}

/**
 * The discount agreement that applies to a book of this category and series on a date (default today in
 * Asia/Shanghai): series over category over the customer default, only agreements valid on that date.
 * Quotes use defaultDiscount as the line default; a discount below floorDiscount needs approval.
 */
export async function getDiscountAgreement(
  db: DbExecutor,
  customerId: number,
  book: { category?: string | null; series?: string | null },
  onDate?: string,
): Promise<AppliedDiscount | null> {
  const date = onDate ?? localDate(new Date(), 'Asia/Shanghai');
  const rows = await listAgreementsInForce(db, customerId, date, { category: book.category ?? null, series: book.series ?? null });
  return pickAgreement(rows);
}
export type { AppliedDiscount } from './discount-agreement.rules.js';

/** Contacts as other modules list them (whom a rep met on a visit): key contacts first. */
export async function listCustomerContactRefs(db: DbExecutor, customerId: number): Promise<{ id: number; name: string; title: string | null }[]> {
  return db.selectFrom('contact').select(['id', 'name', 'title']).where('customer_id', '=', customerId).orderBy('is_key', 'desc').orderBy('id').execute();
}

/**
 * Stores a location (GCJ-02) for a customer that has none yet, e.g. from the first on-site check-in.
 * Returns whether it was set; an existing location is never overwritten this way.
 */
export async function setCustomerLocationIfMissing(db: DbExecutor, customerId: number, point: { latitude: number; longitude: number }, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('customer')
    .set({ latitude: point.latitude, longitude: point.longitude, updated_at: now.toISOString() })
    .where('id', '=', customerId)
    .where('latitude', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Looks up display names of customers by id for other modules' lists (opportunities, quotes), in one query.
 * It checks no access: callers pass the customer ids of records they have already filtered by scope.
 */
export async function listCustomerNames(db: DbExecutor, customerIds: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('customer').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
