import type { Component } from 'vue';
import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '@shared/roles';

/** A bottom tab. `icon` is a Vant icon name; tabs are sorted by `order`. */
export interface TabEntry {
  path: string;
  title: string;
  icon: string;
  order: number;
}

/** A tile in the workbench's shortcut grid. */
export interface Shortcut {
  title: string;
  icon: string;
  /** Background of the icon bubble, any CSS colour. */
  color: string;
  to: string;
  order: number;
  /** Show only to users holding at least one of these roles; everyone when absent. */
  roles?: Role[];
}

/** A block on the workbench below the shortcuts, such as "approvals waiting for me". */
export interface WorkbenchSection {
  key: string;
  order: number;
  component: () => Promise<Component>;
  roles?: Role[];
}

/**
 * Exports of each `pages/<area>/routes.ts`. The router collects these files by glob, so a new area
 * registers its pages, tab, shortcuts and workbench sections without editing a shared file.
 */
export interface AreaModule {
  routes: RouteRecordRaw[];
  tab?: TabEntry;
  shortcuts?: Shortcut[];
  workbenchSections?: WorkbenchSection[];
}

/** True when an entry restricted by `roles` applies to a user holding `userRoles`. */
export function isVisibleToRoles(entry: { roles?: Role[] }, userRoles: readonly Role[]): boolean {
  return entry.roles === undefined || entry.roles.some((role) => userRoles.includes(role));
}
