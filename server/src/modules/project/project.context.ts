import type { Actor } from '../../access/actor.js';
import { isInScope, resolveScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import { forbidden, notFound } from '../../http/app-error.js';
import { localDate } from '../../lib/clock.js';
import type { ModuleDeps } from '../module-deps.js';
import { findProjectById, isProjectMember, type ProjectRow } from './project.repository.js';
import { canContributeToProject, canManageProject, canViewProject, type ProjectAccessFacts } from './project.rules.js';

/** The moment a service call acts at: the instant, the tenant's calendar date, and where H5 links point. */
export interface ServiceMoment {
  now: Date;
  today: string;
  publicUrl: string;
}

export function momentOf(deps: Pick<ModuleDeps, 'clock' | 'config'>): ServiceMoment {
  const now = deps.clock.now();
  return { now, today: localDate(now, deps.config.TIME_ZONE), publicUrl: deps.config.PUBLIC_URL };
}

/** Absolute address of an H5 page, for the buttons of work notifications. */
export function h5Url(moment: ServiceMoment, route: string): string {
  return `${moment.publicUrl.replace(/\/$/, '')}/#${route}`;
}

export interface ProjectAccess {
  project: ProjectRow;
  facts: ProjectAccessFacts;
  canManage: boolean;
  canContribute: boolean;
}

export type ProjectNeed = 'view' | 'contribute' | 'manage';

/**
 * Loads a project with what the actor may do with it. A project the actor may not see throws a 404. One
 * they may see but not change in the requested way throws a 403 naming the action.
 */
export async function loadProjectAccess(db: DbExecutor, actor: Actor, projectId: number, need: ProjectNeed = 'view'): Promise<ProjectAccess> {
  const project = await findProjectById(db, projectId);
  if (!project) throw notFound('项目');

  const scope = await resolveScope(db, actor, 'business');
  const facts: ProjectAccessFacts = { ownerInScope: isInScope(scope, project.owner_id), isMember: await isProjectMember(db, projectId, actor.id) };
  if (!canViewProject(facts)) throw notFound('项目');

  const access = { project, facts, canManage: canManageProject(facts), canContribute: canContributeToProject(facts) };
  if (need === 'manage' && !access.canManage) throw forbidden('修改此项目（仅项目负责人及其主管可以修改）');
  if (need === 'contribute' && !access.canContribute) throw forbidden('在此项目中添加内容（仅项目成员可以）');
  return access;
}
