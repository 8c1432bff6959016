import type { UpcomingPoolReturns } from '@shared/api/customer-pool.js';
import type { CustomerStage, CustomerType } from '@shared/customer-rules.js';
import type { DbExecutor } from '../../db/database.js';
import { addDays, daysBetween, localDate } from '../../lib/clock.js';
import { getPoolSettings, returnDaysFor } from './pool.settings.js';

/**
 * When an owned customer returns to the pool: `days` calendar days after the later of its last follow-up
 * and the start of its ownership, counted in the tenant's time zone. The daily job and the owner's list
 * of upcoming returns both use it, so the list shows the date the notice names.
 */
export function poolReturnDate(customer: { lastFollowedUpAt: string | null; ownedSince: string }, days: number, timeZone: string): { countedFrom: string; dueDate: string } {
  const countedFrom = customer.lastFollowedUpAt !== null && customer.lastFollowedUpAt > customer.ownedSince ? customer.lastFollowedUpAt : customer.ownedSince;
  return { countedFrom, dueDate: addDays(localDate(new Date(countedFrom), timeZone), days) };
}

/**
 * Lists the owner's customers inside the notice window (the same cut-off as the advance notice job), and
 * any already past their return date that tonight's job has not returned yet, soonest first.
 */
export async function listUpcomingPoolReturns(db: DbExecutor, ownerId: number, now: Date, timeZone: string): Promise<UpcomingPoolReturns> {
  const settings = await getPoolSettings(db);
  // Claims stop at claimLimit (200 by default), so an owner has a few hundred customers at most in
  // practice, and reading them all through the owner index is cheaper than one query per customer type.
  const owned = await db
    .selectFrom('customer')
    .select(['id', 'name', 'type', 'stage', 'owned_since', 'last_followed_up_at'])
    .where('owner_id', '=', ownerId)
    .execute();

  const today = localDate(now, timeZone);
  const items: UpcomingPoolReturns['items'] = [];
  for (const customer of owned) {
    if (customer.owned_since === null) continue;
    const days = returnDaysFor(settings, customer.type as CustomerType);
    const warnCutoff = new Date(now.getTime() - Math.max(0, days - settings.noticeDaysBefore) * 86_400_000).toISOString();
    const { countedFrom, dueDate } = poolReturnDate({ lastFollowedUpAt: customer.last_followed_up_at, ownedSince: customer.owned_since }, days, timeZone);
    if (countedFrom >= warnCutoff) continue;
    items.push({
      customer: { id: customer.id, name: customer.name, type: customer.type as CustomerType, stage: customer.stage as CustomerStage },
      countedFrom,
      dueDate,
      daysLeft: daysBetween(today, dueDate),
    });
  }
  items.sort((a, b) => a.daysLeft - b.daysLeft || a.customer.id - b.customer.id);
  return { noticeDaysBefore: settings.noticeDaysBefore, items };
}
