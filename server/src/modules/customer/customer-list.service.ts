import type { CustomerListQuery, CustomerListResponse } from '@shared/api/customer.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { loadCustomerAccess } from './customer-access.js';
import { countCustomerRows, listCustomerRows, type ListFilter } from './customer-list.repository.js';
import { toCustomerListItem } from './customer.mapper.js';
import { loadRegionIndex } from './region.service.js';

/** Builds the repository filter from the query and the actor's scope; shared by the list and the export. */
export async function buildListFilter(db: DbExecutor, actor: Actor, query: Omit<CustomerListQuery, 'offset' | 'limit' | 'withTotal'>, now: Date): Promise<ListFilter> {
  const access = await loadCustomerAccess(db, actor);
  const notFollowedBefore = query.notFollowedDays ? new Date(now.getTime() - query.notFollowedDays * 86_400_000).toISOString() : undefined;
  return { ...query, scope: access.scope, actorId: actor.id, notFollowedBefore };
}

export async function listCustomers(db: DbExecutor, actor: Actor, query: CustomerListQuery, now: Date): Promise<CustomerListResponse> {
  const filter = await buildListFilter(db, actor, query, now);
  const [rows, regions, total] = await Promise.all([
    listCustomerRows(db, filter, { offset: query.offset, limit: query.limit + 1 }),
    loadRegionIndex(db),
    query.withTotal ? countCustomerRows(db, filter) : Promise.resolve(null),
  ]);
  return {
    items: rows.slice(0, query.limit).map((row) => toCustomerListItem(row, regions)),
    hasMore: rows.length > query.limit,
    total,
  };
}
