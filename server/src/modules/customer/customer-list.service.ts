import type { CustomerListQuery, CustomerListResponse } from '@shared/api/customer.js';
import type { Actor } from '../../access/actor.js';
import type { DbExecutor } from '../../db/database.js';
import { loadCustomerAccess } from './customer-access.js';
import { countCustomerRows, listCustomerRows, type ListFilter, type ResolvedSearch } from './customer-list.repository.js';
import { findCustomersByMobilePrefix, findCustomersByTermPrefix, listCollaborationCustomerIds } from './customer-search.repository.js';
import { escapeLike, searchForm, searchTermLimits } from './customer.rules.js';
import { toCustomerListItem } from './customer.mapper.js';
import { loadRegionIndex } from './region.service.js';

/** Builds the repository filter from the query and the actor's scope. The list and the export share it. */
export async function buildListFilter(db: DbExecutor, actor: Actor, query: Omit<CustomerListQuery, 'offset' | 'limit' | 'withTotal'>, now: Date): Promise<ListFilter> {
  const access = await loadCustomerAccess(db, actor);
  const notFollowedBefore = query.notFollowedDays ? new Date(now.getTime() - query.notFollowedDays * 86_400_000).toISOString() : undefined;
  const collaborationIds = access.scope.kind === 'users' && query.view === 'mine' ? await listCollaborationCustomerIds(db, actor.id) : [];
  const { q, ...rest } = query;
  return { ...rest, scope: access.scope, collaborationIds, notFollowedBefore, search: q ? await resolveSearch(db, q) : undefined };
}

/** Above this many matches a term is "common": scanning in list order finds a page sooner than sorting them all. */
const commonTermThreshold = 1000;

/**
 * Probes recently found common, with when that finding expires. Whether a prefix is common changes slowly,
 * so repeating "xhsd" skips reading a thousand index rows only to fall back to the scan. Per process and
 * only a hint: a stale entry costs a slower plan for a few minutes, never a wrong result.
 */
const commonProbes = new Map<string, number>();
const commonProbeTtlMs = 10 * 60_000;
const maxCommonProbes = 2000;

function isKnownCommon(probe: string, now: number): boolean {
  const expires = commonProbes.get(probe);
  if (expires === undefined) return false;
  if (expires > now) return true;
  commonProbes.delete(probe);
  return false;
}

function rememberCommon(probe: string, now: number): void {
  if (commonProbes.size >= maxCommonProbes) commonProbes.delete(commonProbes.keys().next().value!);
  commonProbes.set(probe, now + commonProbeTtlMs);
}

/**
 * Turns the search box into an id list from the term index (rare terms: exact and fast), or a LIKE scan
 * (common terms, where the first page turns up early). Digits also match contacts' mobiles by prefix.
 */
export async function resolveSearch(db: DbExecutor, q: string): Promise<ResolvedSearch | undefined> {
  const form = searchForm(q);
  if (form === '') return undefined;
  const likeAll = `%${escapeLike(form)}%`;

  const isLatin = /^[a-z0-9]+$/.test(form);
  const stored = isLatin ? searchTermLimits.initials : searchTermLimits.chinese;
  const probe = [...form].slice(0, stored).join('');
  const truncated = probe.length < form.length;

  const now = Date.now();
  const ids = isKnownCommon(probe, now) ? undefined : await findCustomersByTermPrefix(db, probe, commonTermThreshold);
  if (!ids) rememberCommon(probe, now);
  if (/^\d{3,11}$/.test(form)) {
    const byMobile = await findCustomersByMobilePrefix(db, form, commonTermThreshold);
    if (ids) return { ids: [...new Set([...ids, ...byMobile])] };
    return { like: likeAll, orIds: byMobile };
  }
  if (!ids) return { like: likeAll };
  return truncated ? { ids, like: likeAll } : { ids };
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
