import type { Platform, Role } from '@shared/roles.js';

/** The authenticated user acting in a request, as loaded from the local org tables (never from the client). */
export interface Actor {
  id: number;
  platform: Platform;
  platformUserId: string;
  name: string;
  roles: Role[];
  departmentIds: number[];
  /** Departments this user leads; a leader manages the whole subtree below them. */
  leaderOfDepartmentIds: number[];
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((role) => actor.roles.includes(role));
}

/** Managers by role or by leading a department. */
export function isManager(actor: Actor): boolean {
  return actor.roles.includes('manager') || actor.leaderOfDepartmentIds.length > 0;
}
