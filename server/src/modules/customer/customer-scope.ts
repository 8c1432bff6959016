
import type { Actor } from '../../access/actor.js';
import { resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';

/**
 * Customers an actor may see, as a subquery of customer ids, for modules that filter their own records by
 * customer (e.g. `where('customer_id', 'in', await visibleCustomerIds(db, actor))`). Owner in scope, or the
 * actor collaborates; pool customers are not included. Returns undefined when everything is visible, so
 * callers skip the filter.
 */
export async function visibleCustomerIds(db: DbExecutor, actor: Actor) {
  const scope = await resolveScope(db, actor, 'business');
  if (scope.kind === 'all') return undefined;
  return db
    .selectFrom('customer')
    .select('customer.id')
    .where((eb) =>
      eb.or([
        eb('customer.owner_id', 'in', scope.userIds.length > 0 ? scope.userIds : [-1]),
        eb('customer.id', 'in', eb.selectFrom('customer_collaborator').select('customer_collaborator.customer_id').where('customer_collaborator.user_id', '=', actor.id)),
      ]),
    );
}

/** The same set materialized: 'all', or the ids. Prefer visibleCustomerIds for large scopes. */
export async function listVisibleCustomerIds(db: DbExecutor, actor: Actor): Promise<'all' | number[]> {
  const subquery = await visibleCustomerIds(db, actor);
  if (!subquery) return 'all';
  const rows = await subquery.execute();
  return rows.map((row) => row.id);
}

