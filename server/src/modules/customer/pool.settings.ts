import { poolSettingsSchema, type PoolSettings } from '@shared/api/customer-pool.js';
import type { CustomerType } from '@shared/customer-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { getSetting } from '../settings/settings.service.js';

export { poolSettingsInputSchema, poolSettingsSchema, type PoolSettings } from '@shared/api/customer-pool.js';

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
