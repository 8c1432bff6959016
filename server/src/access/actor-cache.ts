import type { Db } from '../db/database.js';
import { loadActor } from '../modules/org/org.service.js';
import type { Actor } from './actor.js';

/**
 * Actors kept in memory between requests, checked against the org version (migration 0002_org_version)
 * on every use. Loading an actor takes three queries and a manager's scope two more, while reading the
 * version takes one. Any change to users, departments or roles makes every cached actor stale at once.
 *
 * The cache is per database handle, so test servers that share a process never see each other's users.
 * Cached actors are frozen: code that tried to change one would change it for later requests too.
 */
interface CachedActor {
  version: number;
  actor: Actor;
}

const caches = new WeakMap<Db, Map<number, CachedActor>>();

/** Users kept per database; past this the least recently used are dropped. */
const maxCachedActors = 5000;

async function readOrgVersion(db: Db): Promise<number> {
  const row = await db.selectFrom('org_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.version;
}

function freezeActor(actor: Actor): Actor {
  Object.freeze(actor.roles);
  Object.freeze(actor.departmentIds);
  Object.freeze(actor.leaderOfDepartmentIds);
  return Object.freeze(actor);
}

/** Returns the request's actor from memory while the org is unchanged, otherwise loads it from the org tables. */
export async function loadCurrentActor(db: Db, userId: number): Promise<Actor | undefined> {
  // The version is read before the actor: a change committed in between leaves a newer actor under an
  // older version, which the next request reloads. The reverse order could keep a stale actor.
  const version = await readOrgVersion(db);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }

  const cached = cache.get(userId);
  if (cached && cached.version === version) {
    cache.delete(userId);
    cache.set(userId, cached);
    return cached.actor;
  }

  const actor = await loadActor(db, userId);
  if (!actor) {
    cache.delete(userId);
    return undefined;
  }
  if (cache.size >= maxCachedActors) cache.delete(cache.keys().next().value!);
  cache.set(userId, { version, actor: freezeActor(actor) });
  return actor;
}

/** Tells whether an actor came from this cache, whose derived values (scopes) may be kept with it. */
export function isCachedActor(actor: Actor): boolean {
  return Object.isFrozen(actor);
}
