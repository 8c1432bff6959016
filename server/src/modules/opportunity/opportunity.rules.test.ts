import { describe, expect, it } from 'vitest';
import { defaultWinProbability } from '@shared/api/opportunity.js';
import type { Actor } from '../../access/actor.js';
import { monthRange, quarterRange } from './opportunity.funnel.js';
import { canConfirmWin, canEditOpportunity, canMoveStage, isStale, nextMaxStageRank, weightedAmount } from './opportunity.rules.js';

const actor = (id: number, overrides: Partial<Actor> = {}): Actor => ({ id, platform: 'dingtalk', platformUserId: `u${id}`, name: `用户${id}`, roles: ['rep'], departmentIds: [4], leaderOfDepartmentIds: [], ...overrides });
const team = { kind: 'users' as const, userIds: [1, 2, 3] };

describe('canMoveStage', () => {
  it('lets an open opportunity move forward, back, to won or to lost', () => {
    expect(canMoveStage('quoting', 'negotiating')).toBe(true);
    expect(canMoveStage('quoting', 'initial_contact')).toBe(true);
    expect(canMoveStage('negotiating', 'won')).toBe(true);
    expect(canMoveStage('initial_contact', 'lost')).toBe(true);
  });

  it('lets a lost opportunity be reopened only to an open stage', () => {
    expect(canMoveStage('lost', 'needs_confirmed')).toBe(true);
    expect(canMoveStage('lost', 'won')).toBe(false);
  });

  it('keeps a won opportunity final', () => {
    expect(canMoveStage('won', 'negotiating')).toBe(false);
    expect(canMoveStage('won', 'lost')).toBe(false);
  });
});

describe('nextMaxStageRank', () => {
  it('remembers the furthest stage reached, also when going back or losing', () => {
    expect(nextMaxStageRank(2, 'negotiating')).toBe(4);
    expect(nextMaxStageRank(4, 'initial_contact')).toBe(4);
    expect(nextMaxStageRank(3, 'lost')).toBe(3);
  });
});

describe('canConfirmWin', () => {
  it('allows the owner’s manager and refuses the owner, even a manager owning it', () => {
    const manager = actor(1, { roles: ['rep', 'manager'], leaderOfDepartmentIds: [4] });
    expect(canConfirmWin(manager, team, 2)).toBe(true);
    expect(canConfirmWin(manager, team, 1)).toBe(false);
  });

  it('refuses a rep and a manager whose scope does not cover the owner', () => {
    expect(canConfirmWin(actor(3), team, 2)).toBe(false);
    expect(canConfirmWin(actor(9, { roles: ['manager'] }), { kind: 'users', userIds: [9, 10] }, 2)).toBe(false);
  });
});

describe('canEditOpportunity', () => {
  it('allows the owner and managers above, not a teammate', () => {
    expect(canEditOpportunity(actor(2), team, 2)).toBe(true);
    expect(canEditOpportunity(actor(3), team, 2)).toBe(false);
    expect(canEditOpportunity(actor(1, { roles: ['manager'] }), team, 2)).toBe(true);
  });
});

describe('isStale', () => {
  const now = new Date('2030-03-15T00:00:00Z');
  it('flags an open opportunity quiet for the configured days and never a closed one', () => {
    expect(isStale({ stage: 'quoting', lastActivityAt: '2030-03-01T00:00:00Z' }, now, 14)).toBe(true);
    expect(isStale({ stage: 'quoting', lastActivityAt: '2030-03-01T00:00:01Z' }, now, 14)).toBe(false);
    expect(isStale({ stage: 'lost', lastActivityAt: '2029-01-01T00:00:00Z' }, now, 14)).toBe(false);
  });
});

describe('weightedAmount', () => {
  it('applies the stage probability with half-up rounding to the fen', () => {
    expect(weightedAmount(333, 'initial_contact', defaultWinProbability)).toBe(33);
    expect(weightedAmount(335, 'initial_contact', defaultWinProbability)).toBe(34);
    expect(weightedAmount(1_000_000, 'lost', defaultWinProbability)).toBe(0);
  });
});

describe('forecast periods', () => {
  it('cover the calendar month and quarter of the day, leap February included', () => {
    expect(monthRange('2028-02-10')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(quarterRange('2030-11-30')).toEqual({ from: '2030-10-01', to: '2030-12-31' });
  });
});
