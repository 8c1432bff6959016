import type { Logger } from 'pino';
import type { Platform } from '@shared/roles.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { ChatPlatform } from '../../platform/chat-platform.js';
import * as orgRepository from '../org/org.repository.js';
import { applyOrgSnapshot, fetchOrgSnapshot, markUserLeft } from '../org/org.service.js';
import type { DecodedEvent } from './callback-events.js';

export interface CallbackDeps {
  db: Db;
  platform: ChatPlatform;
  clock: Clock;
  logger: Logger;
}

/**
 * Records the event id and reports whether this delivery is new. Platforms redeliver when a reply is
 * slow or lost, and the primary key makes a second delivery a no-op.
 */
export async function recordEvent(db: Db, decoded: DecodedEvent, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('platform_event')
    .values({ platform: decoded.platform, event_id: decoded.eventId, event_type: decoded.eventType, received_at: now.toISOString(), processed_at: null })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Acts on one org event. Runs after the platform has been answered, so slow work never delays the reply. */
export async function processEvent(deps: CallbackDeps, decoded: DecodedEvent): Promise<void> {
  const { event } = decoded;
  const now = deps.clock.now();

  if (event.kind === 'user_left') {
    for (const platformUserId of event.platformUserIds) {
      const user = await orgRepository.findUserByPlatformId(deps.db, decoded.platform as Platform, platformUserId);
      if (!user || user.active !== 1) continue;
      await deps.db.transaction().execute((trx) => markUserLeft(trx, user.id, now, `callback:${decoded.eventType}`));
      deps.logger.info({ userId: user.id, eventId: decoded.eventId }, 'user left the organisation; sessions revoked');
    }
  } else if (event.kind === 'org_changed') {
    const snapshot = await fetchOrgSnapshot(deps.platform);
    await applyOrgSnapshot(deps.db, decoded.platform, snapshot, now, deps.logger);
  }

  await deps.db
    .updateTable('platform_event')
    .set({ processed_at: deps.clock.now().toISOString() })
    .where('platform', '=', decoded.platform)
    .where('event_id', '=', decoded.eventId)
    .execute();
}
