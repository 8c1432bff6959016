import { z } from 'zod';
import {
  linkCreateSchema,
  milestoneCreateSchema,
  milestoneListSchema,
  milestoneUpdateSchema,
  myTasksQuerySchema,
  projectChildParamsSchema,
  projectIdParamsSchema,
  projectLinkListSchema,
  taskCreateSchema,
  taskListSchema,
  taskSchema,
  taskUpdateSchema,
} from '@shared/api/project.js';
import { linkCandidateListSchema, linkCandidateQuerySchema, linkTargetListSchema, linkTargetQuerySchema } from '@shared/api/project-links.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { linkRecordToProject, listLinkCandidatesForProject, listLinkTargets, listProjectLinks, unlinkRecord } from './project-link.service.js';
import { momentOf } from './project.context.js';
import { addMilestone, addTask, changeMilestone, changeTask, listMyTasks, listProjectMilestones, listTasksOfProject, removeMilestone, removeTask } from './project-plan.service.js';

const tag = '项目';
const okSchema = z.object({ ok: z.literal(true) });

/** Milestones, tasks and linked activities of a project. */
export function registerProjectPlanRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/milestones',
    summary: '项目里程碑',
    tag,
    params: projectIdParamsSchema,
    response: milestoneListSchema,
    handler: async ({ params, actor }) => ({ items: await listProjectMilestones(deps.db, actor, params.id, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/milestones',
    summary: '添加里程碑（排在最后）',
    tag,
    params: projectIdParamsSchema,
    body: milestoneCreateSchema,
    response: milestoneListSchema,
    handler: async ({ params, body, actor }) => ({ items: await addMilestone(deps.db, actor, params.id, body, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/projects/:id/milestones/:childId',
    summary: '修改里程碑或标记完成（成员可标记完成）',
    tag,
    params: projectChildParamsSchema,
    body: milestoneUpdateSchema,
    response: milestoneListSchema,
    handler: async ({ params, body, actor }) => ({ items: await changeMilestone(deps.db, actor, params.id, params.childId, body, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/projects/:id/milestones/:childId',
    summary: '删除里程碑（其任务保留）',
    tag,
    params: projectChildParamsSchema,
    response: milestoneListSchema,
    handler: async ({ params, actor }) => ({ items: await removeMilestone(deps.db, actor, params.id, params.childId, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/tasks',
    summary: '项目任务',
    tag,
    params: projectIdParamsSchema,
    response: taskListSchema,
    handler: async ({ params, actor }) => ({ items: await listTasksOfProject(deps.db, actor, params.id, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/tasks',
    summary: '添加任务（指派给负责人或成员，通知被指派人）',
    tag,
    params: projectIdParamsSchema,
    body: taskCreateSchema,
    response: taskSchema,
    idempotency: 'optional',
    handler: ({ params, body, actor }) => addTask(deps.db, actor, params.id, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/projects/:id/tasks/:childId',
    summary: '修改任务或标记完成',
    tag,
    params: projectChildParamsSchema,
    body: taskUpdateSchema,
    response: taskSchema,
    handler: ({ params, body, actor }) => changeTask(deps.db, actor, params.id, params.childId, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/projects/:id/tasks/:childId',
    summary: '删除任务',
    tag,
    params: projectChildParamsSchema,
    response: okSchema,
    handler: async ({ params, actor }) => {
      await removeTask(deps.db, actor, params.id, params.childId, momentOf(deps));
      return { ok: true as const };
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/project-tasks/mine',
    summary: '我的项目任务（due：今天及之前到期的未完成任务）',
    tag,
    query: myTasksQuerySchema,
    response: taskListSchema,
    handler: async ({ query, actor }) => ({ items: await listMyTasks(deps.db, actor, query.filter, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/links',
    summary: '关联到项目的拜访、报价、合同、审批和回款',
    tag,
    params: projectIdParamsSchema,
    response: projectLinkListSchema,
    handler: async ({ params, actor }) => ({ items: await listProjectLinks(deps.db, actor, params.id) }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/links',
    summary: '把一条记录关联到项目（须能查看该记录，且记录的客户是项目客户；重复关联不变）',
    tag,
    params: projectIdParamsSchema,
    body: linkCreateSchema,
    response: projectLinkListSchema,
    status: 200,
    handler: async ({ params, body, actor }) => ({ items: await linkRecordToProject(deps.db, actor, params.id, body, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/projects/:id/links/:childId',
    summary: '取消关联（项目负责人，或关联人本人）',
    tag,
    params: projectChildParamsSchema,
    response: okSchema,
    handler: async ({ params, actor }) => {
      await unlinkRecord(deps.db, actor, params.id, params.childId, momentOf(deps));
      return { ok: true as const };
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/link-candidates',
    summary: '可关联到项目的记录：项目客户的拜访、报价、合同或回款（本人可查看的）',
    tag,
    params: projectIdParamsSchema,
    query: linkCandidateQuerySchema,
    response: linkCandidateListSchema,
    handler: ({ params, query, actor }) => listLinkCandidatesForProject(deps.db, actor, params.id, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/project-link-targets',
    summary: '一条记录可关联的项目：本人负责或参与、包含该记录客户的项目',
    tag,
    query: linkTargetQuerySchema,
    response: linkTargetListSchema,
    handler: ({ query, actor }) => listLinkTargets(deps.db, actor, query.refType, query.refId),
  });
}
