import { z } from 'zod';
import { defaultWinProbability, winProbabilitySchema, type WinProbability } from '@shared/api/opportunity.js';
import type { DbExecutor } from '../../db/database.js';
import { getSetting } from '../settings/settings.service.js';

export const winProbabilitySettingKey = 'opportunity.win_probability';
export const staleDaysSettingKey = 'opportunity.stale_days';

/** Two weeks without a visit, quote or stage move is when a publisher's sales manager starts asking. */
const defaultStaleDays = 14;

export function getWinProbability(db: DbExecutor): Promise<WinProbability> {
  return getSetting(db, winProbabilitySettingKey, winProbabilitySchema, defaultWinProbability);
}

export function getStaleDays(db: DbExecutor): Promise<number> {
  return getSetting(db, staleDaysSettingKey, z.number().int().min(1).max(365), defaultStaleDays);
}
