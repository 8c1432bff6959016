import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { CustomerListQuery } from '@shared/api/customer.js';
import type { DataScope } from '../../access/scope.js';
import type { Database } from '../../db/schema.js';
import type { DbExecutor } from '../../db/database.js';
import { escapeLike, normalizeSearchTerm } from './customer.rules.js';
import type { CustomerListRow } from './customer.mapper.js';

/**
 * The customer list query: scope, filters, search and sort in one statement. Written for 100,000
 * customers: the scope and filters narrow by indexed columns, the search is a LIKE on the stored search
 * keys (no pinyin at query time), and paging fetches one row more than asked instead of counting.
 */
export interface ListFilter extends Omit<CustomerListQuery, 'offset' | 'limit' | 'withTotal'> {
  scope: DataScope;
  actorId: number;
  /** Cut-off instant for notFollowedDays, computed by the service from its clock. */
  notFollowedBefore?: string;
}

type CustomerQuery = SelectQueryBuilder<Database, 'customer', object>;

export function applyCustomerFilter(query: CustomerQuery, filter: ListFilter): CustomerQuery {
  let result = query;
  if (filter.view === 'pool') {
    result = result.where('customer.owner_id', 'is', null);
  } else {
    result = result.where('customer.owner_id', 'is not', null);
    if (filter.scope.kind === 'users') result = result.where((eb) => visibleToActor(eb, filter.scope as { userIds: number[] }, filter.actorId));
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
  if (filter.q) result = applySearch(result, filter.q);
  return result;
}

function visibleToActor(eb: ExpressionBuilder<Database, 'customer'>, scope: { userIds: number[] }, actorId: number) {
  return eb.or([
    eb('customer.owner_id', 'in', scope.userIds.length > 0 ? scope.userIds : [-1]),
    eb('customer.id', 'in', eb.selectFrom('customer_collaborator').select('customer_collaborator.customer_id').where('customer_collaborator.user_id', '=', actorId)),
  ]);
}

function regionColumn(code: string) {
  if (code.length === 2) return 'customer.province_code' as const;
  if (code.length === 4) return 'customer.city_code' as const;
  return 'customer.county_code' as const;
}

/**
 * Name, short name, pinyin, initials and credit code are all inside search_text, so one contains-LIKE
 * covers them. Digits also match a contact's mobile by prefix (indexed) or a landline.
 */
function applySearch(query: CustomerQuery, q: string): CustomerQuery {
  const term = normalizeSearchTerm(q);
  if (term === '') return query;
  const pattern = `%${escapeLike(term)}%`;

  const digits = term.replace(/[-()]/g, '');
  if (/^\d{4,}$/.test(digits)) {
    return query.where((eb) =>
      eb.or([
        sql<boolean>`customer.search_text like ${pattern} escape '\\'`,
        eb('customer.id', 'in', eb.selectFrom('contact').select('contact.customer_id').where('contact.mobile', 'like', `${digits}%`)),
        eb('customer.id', 'in', eb.selectFrom('contact').select('contact.customer_id').where('contact.landline', 'like', `%${escapeLike(digits)}%`)),
      ]),
    );
  }
  return query.where(sql<boolean>`customer.search_text like ${pattern} escape '\\'`);
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
