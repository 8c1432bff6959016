import type { Actor } from './actor.js';
import { hasRole, isManager } from './actor.js';
import type { DbExecutor } from '../db/database.js';
import { isCachedActor } from './actor-cache.js';

/**
 * Which owners' business records an actor may see.
 * - `all`: executives and admins; finance too for money records (plans, receipts, invoices, statements).
 * - `users`: the owner ids whose records are visible: the actor alone for a rep, every member of the
 *   departments the actor leads (and their sub-departments) for a manager.
 * Collaborator access is added by each module on top of this (for example customers list their collaborators).
 */
export type DataScope = { kind: 'all' } | { kind: 'users'; userIds: number[] };

export type RecordArea = 'business' | 'money';

/**
 * Scopes of cached actors. A cached actor is replaced by a new object when the org changes, so a scope
 * kept with the old object is never read again (see actor-cache.ts).
 */
const scopesOfCachedActors = new WeakMap<Actor, Partial<Record<RecordArea, DataScope>>>();

/** Builds the scope filter every repository query for business records goes through. */
export async function resolveScope(db: DbExecutor, actor: Actor, area: RecordArea = 'business'): Promise<DataScope> {
  if (!isCachedActor(actor)) return computeScope(db, actor, area);

  const stored = scopesOfCachedActors.get(actor) ?? {};
  const known = stored[area];
  if (known) return known;

  const scope = await computeScope(db, actor, area);
  if (scope.kind === 'users') Object.freeze(scope.userIds);
  scopesOfCachedActors.set(actor, { ...stored, [area]: Object.freeze(scope) });
  return scope;
}

async function computeScope(db: DbExecutor, actor: Actor, area: RecordArea): Promise<DataScope> {
  if (hasRole(actor, 'executive', 'admin')) return { kind: 'all' };
  if (area === 'money' && hasRole(actor, 'finance')) return { kind: 'all' };

  if (!isManager(actor)) return { kind: 'users', userIds: [actor.id] };

  const managedDepartmentIds = await listManagedDepartmentIds(db, actor);
  const userIds = new Set<number>([actor.id]);
  if (managedDepartmentIds.length > 0) {
    const members = await db
      .selectFrom('user_department')
      .select('user_id')
      .where('department_id', 'in', managedDepartmentIds)
      .execute();
    for (const member of members) userIds.add(member.user_id);
  }
  return { kind: 'users', userIds: [...userIds] };
}

/**
 * Departments a manager manages: those they lead, or, for a user holding the manager role without leading
 * any department, the departments they belong to; each with its whole subtree.
 */
export async function listManagedDepartmentIds(db: DbExecutor, actor: Actor): Promise<number[]> {
  const roots = actor.leaderOfDepartmentIds.length > 0 ? actor.leaderOfDepartmentIds : actor.departmentIds;
  if (roots.length === 0) return [];

  const rootRows = await db.selectFrom('department').select('path').where('id', 'in', roots).execute();
  if (rootRows.length === 0) return [];

  const subtree = await db
    .selectFrom('department')
    .select('id')
    .where((eb) => eb.or(rootRows.map((root) => eb('path', 'like', `${root.path}%`))))
    .execute();
  return subtree.map((row) => row.id);
}

export function isInScope(scope: DataScope, ownerId: number | null): boolean {
  if (scope.kind === 'all') return true;
  return ownerId !== null && scope.userIds.includes(ownerId);
}
