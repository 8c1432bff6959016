import { receivableSettingsSchema, type ReceivableSettings } from '@shared/api/receivable.js';
import { defaultOverdueThresholds } from '@shared/receivable-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { getSetting, putSetting } from '../settings/settings.service.js';

const settingKey = 'receivable';

/**
 * Defaults: overdue notices at 1 / 7 / 30 days, the daily scan at 09:00 local time, the managers'
 * digest on Mondays, 20 individual notices per person per run; returns above 30 % of shipped 码洋
 * need approval; statement differences up to ¥10.00 may be settled in one step; share links last 14 days.
 */
export const defaultReceivableSettings: ReceivableSettings = {
  overdue: { ...defaultOverdueThresholds, runAt: '09:00', digestWeekday: 1, maxNoticesPerRecipient: 20 },
  returnApprovalShareBp: 3000,
  statementToleranceFen: 1000,
  shareLinkDays: 14,
};

export async function getReceivableSettings(db: DbExecutor): Promise<ReceivableSettings> {
  return getSetting(db, settingKey, receivableSettingsSchema, defaultReceivableSettings);
}

export async function putReceivableSettings(db: DbExecutor, settings: ReceivableSettings, actorUserId: number, now: Date): Promise<void> {
  await putSetting(db, settingKey, receivableSettingsSchema.parse(settings), actorUserId, now);
}
