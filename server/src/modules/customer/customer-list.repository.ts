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
  if (filter.regionCode) result = result.where(regionFilter(filter.regionCode));
  if (filter.tag) result = result.where('customer.tags', 'like', `%${JSON.stringify(filter.tag)}%`);
  if (filter.notFollowedBefore) {
    // Never followed up counts from creation. The expression is deliberately not indexable: most customers
    // match a "not for N days" filter, so walking the sort order is faster than collecting them all.
    result = result.where(sql<string>`coalesce(customer.last_followed_up_at, customer.created_at)`, '<', filter.notFollowedBefore);
  }
  if (filter.search) result = applySearch(result, filter.search);
  return result;
}

/**
 * Owner in scope, or a customer the actor collaborates on. The collaborations come as a literal id list
 * (a rep has a handful), which lets SQLite resolve the OR with two index lookups instead of a scan.
 */
function visibleToActor(eb: ExpressionBuilder<Database, 'customer'>, scope: { userIds: number[] }, collaborationIds: number[]) {
  const ownerIds = scope.userIds.length > 0 ? scope.userIds : [-1];
  // A rep's few hundred customers are best found through the owner index. A manager's team owns a large
  // share of all customers: then '+ 0' keeps the planner off the owner index, so it walks the sort index
  // and stops after one page instead of collecting and sorting tens of thousands of rows.
  const owned = ownerIds.length <= broadScopeUsers ? eb('customer.owner_id', 'in', ownerIds) : eb(sql<number>`customer.owner_id + 0`, 'in', ownerIds);
  if (collaborationIds.length === 0) return owned;
  return eb.or([owned, eb('customer.id', 'in', collaborationIds)]);
}

/** Owner lists longer than this are treated as a large share of the table (see visibleToActor). */
const broadScopeUsers = 10;

/**
 * Cities and counties are selective and use their index. A province holds a tenth or more of all
 * customers, so like a broad owner list it is checked while walking the sort order (the "|| ''" keeps the
 * planner off the province index).
 */
function regionFilter(code: string) {
  return (eb: ExpressionBuilder<Database, 'customer'>) => {
    if (code.length === 2) return eb(sql<string>`customer.province_code || ''`, '=', code);
    if (code.length === 4) return eb('customer.city_code', '=', code);
    return eb('customer.county_code', '=', code);
  };
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
      // Never followed up sorts as the oldest follow-up; the explicit NULLS placement is the same on SQLite and PostgreSQL.
      return query.orderBy('customer.last_followed_up_at', (ob) => (order === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast())).orderBy('customer.id', order);
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
