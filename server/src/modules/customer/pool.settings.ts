import { z } from 'zod';
import { customerTypes, type CustomerType } from '@shared/customer-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { getSetting } from '../settings/settings.service.js';

/**
 * Pool rules an admin can change: how many customers a rep may own before claiming is refused, after how
 * many days without follow-up a customer returns to the pool (per customer type), and how many days
 * before that the owner is told.
 */
export const poolSettingsSchema = z.object({
  claimLimit: z.number().int().min(1).max(100_000),
  returnDays: z.object({
    default: z.number().int().min(1).max(3650),
    byType: z.partialRecord(z.enum(customerTypes), z.number().int().min(1).max(3650)),
  }),
  noticeDaysBefore: z.number().int().min(0).max(60),
  /** A rep who released a customer may not claim it back for this many days (no release-and-reclaim to reset the clock). */
  reclaimCooldownDays: z.number().int().min(0).max(365),
});
export type PoolSettings = z.infer<typeof poolSettingsSchema>;

export const poolSettingsKey = 'customer.pool';

/** Defaults: platforms and Xinhua stores are worked on longer cycles than private stores. */
export const defaultPoolSettings: PoolSettings = {
  claimLimit: 200,
  returnDays: { default: 90, byType: { online_platform: 180, xinhua_store: 120, library: 180, school: 180 } },
  noticeDaysBefore: 7,
  reclaimCooldownDays: 30,
};

export async function getPoolSettings(db: DbExecutor): Promise<PoolSettings> {
  return getSetting(db, poolSettingsKey, poolSettingsSchema, defaultPoolSettings);
}

export function returnDaysFor(settings: PoolSettings, type: CustomerType): number {
  return settings.returnDays.byType[type] ?? settings.returnDays.default;
}
