import { openStages, type OpportunityStage, type WinProbability } from '@shared/api/opportunity.js';
import { netAmount } from '@shared/money.js';
import { hasRole, isManager, type Actor } from '../../access/actor.js';
import { isInScope, type DataScope } from '../../access/scope.js';

/** Position of a stage on the path to a contract; `lost` has none because it can end any stage. */
export const stageRank: Record<Exclude<OpportunityStage, 'lost'>, number> = {
  initial_contact: 1,
  needs_confirmed: 2,
  quoting: 3,
  negotiating: 4,
  won: 5,
};

/** Rank of a stage, or null for `lost`. */
export function rankOf(stage: OpportunityStage): number | null {
  return stage === 'lost' ? null : stageRank[stage];
}

export function isOpenStage(stage: OpportunityStage): boolean {
  return (openStages as readonly OpportunityStage[]).includes(stage);
}

/**
 * Allowed moves: an open opportunity may go to any other stage (backwards too: a customer may reopen
 * its needs); a lost one may be reopened to an open stage; a won one is final because a contract hangs on it.
 */
export function canMoveStage(from: OpportunityStage, to: OpportunityStage): boolean {
  if (from === to) return false;
  if (isOpenStage(from)) return true;
  if (from === 'lost') return isOpenStage(to);
  return false;
}

/** Returns the furthest stage reached after moving to `to`, kept for stage-to-stage conversion rates. */
export function nextMaxStageRank(currentMax: number, to: OpportunityStage): number {
  if (to === 'lost') return currentMax;
  return Math.max(currentMax, stageRank[to]);
}

/**
 * Without a signed contract, won needs a manager's confirmation: a manager (or an executive) whose scope
 * covers the owner, and not the owner confirming their own opportunity.
 */
export function canConfirmWin(actor: Actor, scope: DataScope, ownerId: number): boolean {
  if (actor.id === ownerId) return false;
  if (hasRole(actor, 'executive')) return true;
  return isManager(actor) && isInScope(scope, ownerId);
}

/** Allows the owner, and the managers above the owner, to edit an opportunity. */
export function canEditOpportunity(actor: Actor, scope: DataScope, ownerId: number): boolean {
  return actor.id === ownerId || (isManager(actor) && isInScope(scope, ownerId)) || hasRole(actor, 'executive');
}

export function isStale(opportunity: { stage: OpportunityStage; lastActivityAt: string }, now: Date, staleDays: number): boolean {
  return isOpenStage(opportunity.stage) && Date.parse(opportunity.lastActivityAt) <= now.getTime() - staleDays * 86_400_000;
}

/** Amount × the stage's win probability, rounded half up to the fen with the shared money rule. */
export function weightedAmount(amountFen: number, stage: OpportunityStage, probability: WinProbability): number {
  return netAmount(amountFen, 1, probability[stage] * 100);
}
