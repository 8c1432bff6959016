import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { CustomerListQuery } from '@shared/api/customer.js';
import type { DataScope } from '../../access/scope.js';
import type { Database } from '../../db/schema.js';
import type { DbExecutor } from '../../db/database.js';
import type { CustomerListRow } from './customer.mapper.js';

/**
 * The customer list query: scope, filters, search and sort in one statement. Written for 100,000
 * customers: the scope and filters narrow by indexed columns, the search is a LIKE on the stored search
 * keys (no pinyin at query time), and paging fetches one row more than asked instead of counting.
 */
export interface ListFilter extends Omit<CustomerListQuery, 'offset' | 'limit' | 'withTotal' | 'q'> {
  scope: DataScope;
  /** Customers the actor collaborates on (visible whatever the owner), loaded by the service. */
  collaborationIds: number[];
  /** Cut-off instant for notFollowedDays, computed by the service from its clock. */
  notFollowedBefore?: string;
  /** The resolved search: matching ids from the term index, and/or a LIKE on search_text. */
  search?: ResolvedSearch;
}

export interface ResolvedSearch {
  /** Customers matched through the term index or a contact's phone; undefined when the term is too common to list. */
  ids?: number[];
  /** A contains-pattern on search_text: the check for queries longer than the stored terms, or the scan for common ones. */
  like?: string;
  /** Customers that match besides the LIKE (a contact's mobile when the digits are also a common term). */
  orIds?: number[];
}

type CustomerQuery = SelectQueryBuilder<Database, 'customer', object>;

export function applyCustomerFilter(query: CustomerQuery, filter: ListFilter): CustomerQuery {
  let result = query;
  if (filter.view === 'pool') {
    result = result.where('customer.owner_id', 'is', null);
  } else {
    result = result.where('customer.owner_id', 'is not', null);
    if (filter.scope.kind === 'users') result = result.where((eb) => visibleToActor(eb, filter.scope as { userIds: number[] }, filter.collaborationIds));
  }

  if (filter.type && filter.type.length > 0) result = result.where('customer.type', 'in', filter.type);
  if (filter.stage && filter.stage.length > 0) result = result.where('customer.stage', 'in', filter.stage);
  if (filter.ownerId !== undefined) result = result.where('customer.owner_id', '=', filter.ownerId);
  if (filter.regionCode) result = result.where(regionColumn(filter.regionCode), '=', filter.regionCode);
  if (filter.tag) result = result.where('customer.tags', 'like', `%${JSON.stringify(filter.tag)}%`);
  if (filter.notFollowedBefore) {
    const cutoff = filter.notFollowedBefore;
    result = result.where((eb) =>
      eb.or([eb('customer.last_followed_up_at', '<', cutoff), eb.and([eb('customer.last_followed_up_at', 'is', null), eb('customer.created_at', '<', cutoff)])]),
    );
  }
  if (filter.search) result = applySearch(result, filter.search);
  return result;
}

/**
 * Owner in scope, or a customer the actor collaborates on. The collaborations come as a literal id list
 * (a rep has a handful), which lets SQLite answer the OR with two index lookups instead of a scan.
 */
function visibleToActor(eb: ExpressionBuilder<Database, 'customer'>, scope: { userIds: number[] }, collaborationIds: number[]) {
  const owned = eb('customer.owner_id', 'in', scope.userIds.length > 0 ? scope.userIds : [-1]);
  if (collaborationIds.length === 0) return owned;
  return eb.or([owned, eb('customer.id', 'in', collaborationIds)]);
}

function regionColumn(code: string) {
  if (code.length === 2) return 'customer.province_code' as const;
  if (code.length === 4) return 'customer.city_code' as const;
  return 'customer.county_code' as const;
}

function applySearch(query: CustomerQuery, search: ResolvedSearch): CustomerQuery {
  let result = query;
  if (search.ids) result = result.where('customer.id', 'in', search.ids.length > 0 ? search.ids : [-1]);
  if (search.like) {
    const like = sql<boolean>`customer.search_text like ${search.like} escape '\\'`;
    const orIds = search.orIds ?? [];
    result = orIds.length > 0 ? result.where((eb) => eb.or([like, eb('customer.id', 'in', orIds)])) : result.where(like);
  }
  return result;
}

export function applyCustomerSort(query: CustomerQuery, sort: CustomerListQuery['sort'], order: 'asc' | 'desc'): CustomerQuery {
  switch (sort) {
    case 'name':
      return query.orderBy('customer.name_pinyin', order).orderBy('customer.id', order);
    case 'created':
      return query.orderBy('customer.created_at', order).orderBy('customer.id', order);
    case 'followup':
      // Never followed up sorts as the oldest follow-up.
      return query.orderBy(sql`coalesce(customer.last_followed_up_at, '')`, order).orderBy('customer.id', order);
    default:
      return query.orderBy('customer.updated_at', order).orderBy('customer.id', order);
  }
}

export async function listCustomerRows(db: DbExecutor, filter: ListFilter, page: { offset: number; limit: number }): Promise<CustomerListRow[]> {
  const filtered = applyCustomerSort(applyCustomerFilter(db.selectFrom('customer'), filter), filter.sort, filter.order);
  return filtered
    .leftJoin('app_user as owner', 'owner.id', 'customer.owner_id')
    .select([
      'customer.id',
      'customer.name',
      'customer.short_name',
      'customer.type',
      'customer.stage',
      'customer.province_code',
      'customer.city_code',
      'customer.county_code',
      'customer.owner_id',
      'owner.name as owner_name',
      'customer.tags',
      'customer.last_followed_up_at',
      'customer.released_at',
      'customer.updated_at',
    ])
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countCustomerRows(db: DbExecutor, filter: ListFilter): Promise<number> {
  const row = await applyCustomerFilter(db.selectFrom('customer'), filter)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
