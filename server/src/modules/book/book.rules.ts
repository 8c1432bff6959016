import type { Role } from '@shared/roles.js';
import { hasRole, type Actor } from '../../access/actor.js';

/** The catalog is shared reference data: every signed-in user reads it; the distribution office and editors maintain it. */
export const catalogMaintainerRoles: Role[] = ['admin', 'editorial', 'manager'];

export function canMaintainCatalog(actor: Actor): boolean {
  return hasRole(actor, ...catalogMaintainerRoles);
}
