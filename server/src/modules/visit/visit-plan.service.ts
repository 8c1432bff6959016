import type { z } from 'zod';
import type { createVisitPlanRequestSchema, VisitPlan, visitPlanListQuerySchema } from '@shared/api/visit.js';
import type { Actor } from '../../access/actor.js';
import { isManager } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { AppError, badRequest, conflict, notFound } from '../../http/app-error.js';
import { addDays, localDate } from '../../lib/clock.js';
import { getVisibleCustomerOrThrow } from '../customer/customer.service.js';
import * as planRepository from './visit-plan.repository.js';

type CreatePlanInput = z.output<typeof createVisitPlanRequestSchema>;
type PlanListQuery = z.output<typeof visitPlanListQuerySchema>;

/** How far ahead a rep may plan; beyond that a plan is a wish, not a schedule. */
const PLAN_HORIZON_DAYS = 60;

type PlanRow = NonNullable<Awaited<ReturnType<typeof planRepository.findVisitPlanById>>>;

function toVisitPlan(row: PlanRow): VisitPlan {
  return {
    id: row.id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    customerId: row.customer_id,
    customerName: row.customer_name,
    planDate: row.plan_date,
    purpose: row.purpose,
    note: row.note,
    status: row.status,
    visitId: row.visit_id,
  };
}

/**
 * Plans a visit. Reps plan for themselves; a manager may plan for a rep of their team. One plan per rep,
 * customer and day: planning a cancelled one again revives it.
 */
export async function createVisitPlan(db: Db, actor: Actor, input: CreatePlanInput, now: Date, timeZone: string): Promise<VisitPlan> {
  const ownerId = input.ownerId ?? actor.id;
  if (ownerId !== actor.id && !(isManager(actor) && isInScope(await resolveScope(db, actor, 'business'), ownerId))) {
    throw new AppError(403, 'forbidden', '只能为自己或本团队的业务员安排拜访计划');
  }
  const customer = await getVisibleCustomerOrThrow(db, actor, input.customerId);

  const today = localDate(now, timeZone);
  if (input.planDate < today) throw badRequest('plan_date_in_past', `计划日期 ${input.planDate} 已经过去，请选择今天或以后的日期`);
  if (input.planDate > addDays(today, PLAN_HORIZON_DAYS)) throw badRequest('plan_date_too_far', `只能安排 ${PLAN_HORIZON_DAYS} 天以内的拜访计划`);

  const existing = await planRepository.findVisitPlanFor(db, ownerId, customer.id, input.planDate);
  if (existing && existing.status !== 'cancelled') {
    throw conflict('visit_plan_exists', `${input.planDate} 已有拜访${customer.name}的计划，无需重复安排`);
  }

  const values = { purpose: input.purpose, note: input.note, status: 'planned' as const, visit_id: null, customer_name: customer.name, updated_at: now.toISOString() };
  const id = existing
    ? (await planRepository.updateVisitPlan(db, existing.id, values), existing.id)
    : await planRepository.insertVisitPlan(db, {
        ...values,
        owner_id: ownerId,
        customer_id: customer.id,
        plan_date: input.planDate,
        created_by: actor.id,
        created_at: now.toISOString(),
      });
  return getVisitPlanOrThrow(db, actor, id);
}

export async function getVisitPlanOrThrow(db: DbExecutor, actor: Actor, planId: number): Promise<VisitPlan> {
  const row = await planRepository.findVisitPlanById(db, planId);
  if (!row || !isInScope(await resolveScope(db, actor, 'business'), row.owner_id)) throw notFound('拜访计划');
  return toVisitPlan(row);
}

export async function listVisitPlans(db: DbExecutor, actor: Actor, query: PlanListQuery): Promise<VisitPlan[]> {
  if (query.from > query.to) throw badRequest('invalid_date_range', '结束日期不能早于开始日期');

  const rows = await planRepository.listVisitPlans(db, { owners: await resolveScope(db, actor, 'business'), ownerId: query.ownerId, from: query.from, to: query.to });
  return rows.map(toVisitPlan);
}

/** Cancels a plan not visited yet; its rep or their manager may do so. */
export async function cancelVisitPlan(db: DbExecutor, actor: Actor, planId: number, now: Date): Promise<VisitPlan> {
  const plan = await getVisitPlanOrThrow(db, actor, planId);
  if (plan.ownerId !== actor.id && !isManager(actor)) throw new AppError(403, 'forbidden', '只能取消自己的拜访计划');
  if (plan.status === 'visited') throw conflict('visit_plan_visited', '该计划已完成拜访，不能取消');

  if (plan.status === 'planned') await planRepository.updateVisitPlan(db, plan.id, { status: 'cancelled', updated_at: now.toISOString() });
  return getVisitPlanOrThrow(db, actor, plan.id);
}

/** Called in the check-in transaction: the rep's plan for this customer that day becomes visited. */
export async function markPlanVisited(db: DbExecutor, input: { ownerId: number; customerId: number; planDate: string; visitId: number; now: Date }): Promise<number | null> {
  const plan = await planRepository.findVisitPlanFor(db, input.ownerId, input.customerId, input.planDate);
  if (!plan || plan.status !== 'planned') return null;

  await planRepository.updateVisitPlan(db, plan.id, { status: 'visited', visit_id: input.visitId, updated_at: input.now.toISOString() });
  return plan.id;
}
