import { visitSettingsSchema, type VisitSettings } from '@shared/api/visit.js';
import { DEFAULT_CHECK_IN_RADIUS_M } from '@shared/visit-rules.js';
import type { Actor } from '../../access/actor.js';
import { hasRole } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { forbidden } from '../../http/app-error.js';
import { getSetting, putSetting } from '../settings/settings.service.js';

const SETTINGS_KEY = 'visit.settings';

export const defaultVisitSettings: VisitSettings = { checkInRadiusM: DEFAULT_CHECK_IN_RADIUS_M, focusIsbns: [] };

export async function getVisitSettings(db: DbExecutor): Promise<VisitSettings> {
  return getSetting(db, SETTINGS_KEY, visitSettingsSchema, defaultVisitSettings);
}

/** Admins and the sales leadership set the check-in radius and the focus titles every store should carry. */
export async function updateVisitSettings(db: DbExecutor, actor: Actor, settings: VisitSettings, now: Date): Promise<VisitSettings> {
  if (!hasRole(actor, 'admin', 'executive')) throw forbidden('修改拜访设置');

  await putSetting(db, SETTINGS_KEY, settings, actor.id, now);
  return settings;
}
