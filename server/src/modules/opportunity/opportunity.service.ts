import {
  opportunityKindSchema,
  opportunityStageLabels,
  opportunityStageSchema,
  type Opportunity,
  type OpportunityCreate,
  type OpportunityDetail,
  type OpportunityListQuery,
  type OpportunityStage,
  type OpportunityUpdate,
  type StageChangeRequest,
  type WinProbability,
} from '@shared/api/opportunity.js';
import { formatYuan } from '@shared/money.js';
import type { Actor } from '../../access/actor.js';
import { resolveScope, isInScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { conflict, forbidden, notFound } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import { appendAudit } from '../audit/audit.service.js';
import { appendTimeline, getVisibleCustomerOrThrow, listCustomerNames } from '../customer/customer.service.js';
import * as repository from './opportunity.repository.js';
import { canConfirmWin, canEditOpportunity, canMoveStage, isOpenStage, isStale, nextMaxStageRank, rankOf, stageRank } from './opportunity.rules.js';
import { getStaleDays, getWinProbability } from './opportunity.settings.js';

export { listFunnel } from './opportunity.funnel.js';

const timeZone = 'Asia/Shanghai';

interface Presentation {
  probability: WinProbability;
  staleDays: number;
  now: Date;
}

function toOpportunity(row: repository.OpportunityRow, customerName: string, view: Presentation): Opportunity {
  const stage = opportunityStageSchema.parse(row.stage);
  return {
    id: row.id,
    customerId: row.customer_id,
    customerName,
    name: row.name,
    kind: opportunityKindSchema.parse(row.kind),
    stage,
    winProbability: view.probability[stage],
    expectedAmountFen: row.expected_amount_fen,
    expectedCloseDate: row.expected_close_date,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    competitor: row.competitor,
    notes: row.notes,
    lostReason: row.lost_reason,
    wonContractId: row.won_contract_id,
    closedAt: row.closed_at,
    lastActivityAt: row.last_activity_at,
    isStale: isStale({ stage, lastActivityAt: row.last_activity_at }, view.now, view.staleDays),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

async function presentation(db: DbExecutor, now: Date): Promise<Presentation> {
  const [probability, staleDays] = await Promise.all([getWinProbability(db), getStaleDays(db)]);
  return { probability, staleDays, now };
}

/** Loads the opportunity when its owner is in the actor's scope, and throws 404 otherwise. */
export async function getVisibleOpportunityOrThrow(db: DbExecutor, actor: Actor, opportunityId: number): Promise<repository.OpportunityRow> {
  const row = await repository.findOpportunityById(db, opportunityId);
  if (!row) throw notFound('商机');
  const scope = await resolveScope(db, actor, 'business');
  if (!isInScope(scope, row.owner_id)) throw notFound('商机');
  return row;
}

export async function getOpportunityDetail(db: DbExecutor, actor: Actor, opportunityId: number, now: Date): Promise<OpportunityDetail> {
  const row = await getVisibleOpportunityOrThrow(db, actor, opportunityId);
  const [names, changes, view] = await Promise.all([listCustomerNames(db, [row.customer_id]), repository.listStageChanges(db, row.id), presentation(db, now)]);
  return {
    ...toOpportunity(row, names.get(row.customer_id) ?? '', view),
    stageChanges: changes.map((change) => ({
      id: change.id,
      fromStage: change.from_stage === null ? null : opportunityStageSchema.parse(change.from_stage),
      toStage: opportunityStageSchema.parse(change.to_stage),
      reason: change.reason,
      actorUserId: change.actor_user_id,
      actorName: change.actor_name,
      changedAt: change.changed_at,
    })),
  };
}

export async function listOpportunities(db: DbExecutor, actor: Actor, query: OpportunityListQuery, now: Date) {
  const [scope, view] = await Promise.all([resolveScope(db, actor, 'business'), presentation(db, now)]);
  const staleBefore = query.stale ? new Date(now.getTime() - view.staleDays * 86_400_000).toISOString() : undefined;
  const { rows, total } = await repository.listOpportunities(db, { ...query, scope, staleBefore });
  const names = await listCustomerNames(db, rows.map((row) => row.customer_id));
  return { items: rows.map((row) => toOpportunity(row, names.get(row.customer_id) ?? '', view)), total };
}

/** Opens an opportunity on a customer the actor may see, with the actor as its owner. */
export async function createOpportunity(db: DbExecutor, actor: Actor, input: OpportunityCreate, now: Date): Promise<number> {
  const customer = await getVisibleCustomerOrThrow(db, actor, input.customerId);
  const at = now.toISOString();

  const id = await repository.insertOpportunity(db, {
    customer_id: customer.id,
    name: input.name,
    kind: input.kind,
    stage: input.stage,
    max_stage_rank: stageRank[input.stage],
    expected_amount_fen: input.expectedAmountFen,
    expected_close_date: input.expectedCloseDate,
    close_date: input.expectedCloseDate,
    owner_id: actor.id,
    competitor: input.competitor,
    notes: input.notes,
    lost_reason: null,
    won_contract_id: null,
    closed_at: null,
    last_activity_at: at,
    stale_notified_at: null,
    created_by: actor.id,
    created_at: at,
    updated_at: at,
  });
  await repository.insertStageChange(db, { opportunity_id: id, from_stage: null, to_stage: input.stage, reason: null, actor_user_id: actor.id, changed_at: at });
  await appendTimeline(db, {
    customerId: customer.id,
    kind: 'opportunity',
    refType: 'opportunity',
    refId: id,
    title: `新建商机：${input.name}`,
    summary: `预计 ${formatYuan(input.expectedAmountFen)}，${input.expectedCloseDate} 成交，阶段“${opportunityStageLabels[input.stage]}”`,
    actorUserId: actor.id,
    occurredAt: now,
    dedupKey: `opportunity:${id}:created`,
  });
  return id;
}

export async function updateOpportunity(db: DbExecutor, actor: Actor, opportunityId: number, changes: OpportunityUpdate, now: Date): Promise<void> {
  const row = await getVisibleOpportunityOrThrow(db, actor, opportunityId);
  await assertCanEdit(db, actor, row);
  if (!isOpenStage(opportunityStageSchema.parse(row.stage))) {
    throw conflict('opportunity_closed', `商机已${opportunityStageLabels[opportunityStageSchema.parse(row.stage)]}，不能再修改；如需继续跟进请重新打开或新建商机`);
  }

  const at = now.toISOString();
  const expectedCloseDate = changes.expectedCloseDate ?? row.expected_close_date;
  await repository.updateOpportunity(db, row.id, {
    name: changes.name ?? row.name,
    kind: changes.kind ?? row.kind,
    expected_amount_fen: changes.expectedAmountFen ?? row.expected_amount_fen,
    expected_close_date: expectedCloseDate,
    close_date: expectedCloseDate,
    competitor: changes.competitor !== undefined ? changes.competitor : row.competitor,
    notes: changes.notes !== undefined ? changes.notes : row.notes,
    last_activity_at: at,
    updated_at: at,
  });
}

/**
 * Moves an opportunity to another stage and records who, when and why. Lost needs a reason (the schema
 * enforces it); won by hand needs a manager's confirmation, because a rep's own claim of a win is what a
 * signed contract (markOpportunityWon) otherwise proves.
 */
export async function changeOpportunityStage(db: DbExecutor, actor: Actor, opportunityId: number, request: StageChangeRequest, now: Date): Promise<void> {
  const row = await getVisibleOpportunityOrThrow(db, actor, opportunityId);
  const scope = await resolveScope(db, actor, 'business');
  const from = opportunityStageSchema.parse(row.stage);

  if (request.stage === 'won') {
    if (!canConfirmWin(actor, scope, row.owner_id)) {
      throw forbidden('直接确认签约：商机需关联已签合同自动转为“已签约”，或由负责人的上级主管确认');
    }
  } else {
    await assertCanEdit(db, actor, row);
  }
  if (!canMoveStage(from, request.stage)) {
    throw conflict('stage_change_not_allowed', `商机阶段不能从“${opportunityStageLabels[from]}”改为“${opportunityStageLabels[request.stage]}”${from === 'won' ? '：已签约的商机不能再改' : ''}`);
  }

  await applyStageChange(db, row, { to: request.stage, reason: request.reason, actorUserId: actor.id, contractId: null, now });
}

/**
 * Called by the contract module when a contract linked to this opportunity is signed or approved.
 * Idempotent: a second call for the same contract changes nothing.
 */
export async function markOpportunityWon(db: DbExecutor, input: { opportunityId: number; contractId: number; actorUserId: number | null; at: Date }): Promise<{ changed: boolean }> {
  const row = await repository.findOpportunityById(db, input.opportunityId);
  if (!row) throw new Error(`markOpportunityWon: opportunity ${input.opportunityId} does not exist`);
  if (row.stage === 'won') return { changed: false };

  await applyStageChange(db, row, { to: 'won', reason: `合同 #${input.contractId} 已签订`, actorUserId: input.actorUserId, contractId: input.contractId, now: input.at });
  return { changed: true };
}

/** Quotes and visits call this so a lead being worked does not show as stale. */
export async function recordOpportunityActivity(db: DbExecutor, opportunityId: number, at: Date): Promise<void> {
  await repository.touchOpportunity(db, opportunityId, at.toISOString());
}

/**
 * Moves an open opportunity forward to `stage` when it is behind it (sending a quote puts it at least in
 * 报价中); never moves it back and never touches a closed one.
 */
export async function advanceOpportunityTo(db: DbExecutor, input: { opportunityId: number; stage: 'quoting' | 'negotiating'; reason: string; actorUserId: number; at: Date }): Promise<void> {
  const row = await repository.findOpportunityById(db, input.opportunityId);
  if (!row) return;
  const from = opportunityStageSchema.parse(row.stage);
  if (!isOpenStage(from) || (rankOf(from) ?? 0) >= stageRank[input.stage]) return;
  await applyStageChange(db, row, { to: input.stage, reason: input.reason, actorUserId: input.actorUserId, contractId: null, now: input.at });
}

interface StageMove {
  to: OpportunityStage;
  reason: string | null;
  actorUserId: number | null;
  contractId: number | null;
  now: Date;
}

async function applyStageChange(db: DbExecutor, row: repository.OpportunityRow, move: StageMove): Promise<void> {
  const from = opportunityStageSchema.parse(row.stage);
  const at = move.now.toISOString();
  const closing = move.to === 'won' || move.to === 'lost';
  const closeDate = closing ? localDate(move.now, timeZone) : row.expected_close_date;

  await repository.updateOpportunity(db, row.id, {
    stage: move.to,
    max_stage_rank: nextMaxStageRank(row.max_stage_rank, move.to),
    close_date: closeDate,
    closed_at: closing ? at : null,
    lost_reason: move.to === 'lost' ? move.reason : null,
    won_contract_id: move.to === 'won' ? move.contractId : null,
    last_activity_at: at,
    updated_at: at,
  });
  await repository.insertStageChange(db, { opportunity_id: row.id, from_stage: from, to_stage: move.to, reason: move.reason, actor_user_id: move.actorUserId, changed_at: at });
  await appendTimeline(db, {
    customerId: row.customer_id,
    kind: 'opportunity',
    refType: 'opportunity',
    refId: row.id,
    title: `商机“${row.name}”：${opportunityStageLabels[from]} → ${opportunityStageLabels[move.to]}`,
    summary: move.reason,
    actorUserId: move.actorUserId,
    occurredAt: move.now,
  });
  if (closing) {
    await appendAudit(db, {
      actorUserId: move.actorUserId,
      action: move.to === 'won' ? 'opportunity.won' : 'opportunity.lost',
      entityType: 'opportunity',
      entityId: row.id,
      data: { from, to: move.to, reason: move.reason, contractId: move.contractId, expectedAmountFen: row.expected_amount_fen },
      occurredAt: move.now,
    });
  }
}

async function assertCanEdit(db: DbExecutor, actor: Actor, row: repository.OpportunityRow): Promise<void> {
  const scope = await resolveScope(db, actor, 'business');
  if (!canEditOpportunity(actor, scope, row.owner_id)) throw forbidden('修改他人的商机');
}
