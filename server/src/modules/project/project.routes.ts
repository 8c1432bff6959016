import {
  memberInputSchema,
  memberParamsSchema,
  projectCreateSchema,
  projectDetailSchema,
  projectIdParamsSchema,
  projectListQuerySchema,
  projectListSchema,
  projectMembersSchema,
  projectUpdateSchema,
} from '@shared/api/project.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { registerLibrarySupplyRoutes } from './library-supply.routes.js';
import { momentOf } from './project.context.js';
import { registerProjectFileRoutes } from './project-file.routes.js';
import { registerProjectPlanRoutes } from './project-plan.routes.js';
import { addProjectMember, createProject, getProjectDetail, listProjectMembers, listVisibleProjects, removeProjectMember } from './project.service.js';
import { updateProjectDetails } from './project-update.service.js';
import { registerSubscriptionRoutes } from './subscription.routes.js';

const tag = '项目';

export function registerProjectRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/projects',
    summary: '项目列表（负责人在本人数据范围内，或本人是成员）',
    tag,
    query: projectListQuerySchema,
    response: projectListSchema,
    handler: ({ query, actor }) => listVisibleProjects(deps.db, actor, query, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects',
    summary: '创建项目（可从商机创建；馆配等类型自动生成默认里程碑）',
    tag,
    body: projectCreateSchema,
    response: projectDetailSchema,
    idempotency: 'optional',
    handler: ({ body, actor }) => createProject(deps.db, actor, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id',
    summary: '项目详情：客户、成员、里程碑、权限',
    tag,
    params: projectIdParamsSchema,
    response: projectDetailSchema,
    handler: ({ params, actor }) => getProjectDetail(deps.db, actor, params.id, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/projects/:id',
    summary: '修改项目（名称、类型、状态及原因、负责人、客户、预算、日期）',
    tag,
    params: projectIdParamsSchema,
    body: projectUpdateSchema,
    response: projectDetailSchema,
    handler: ({ params, body, actor }) => updateProjectDetails(deps.db, actor, params.id, body, momentOf(deps)),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/projects/:id/members',
    summary: '项目成员',
    tag,
    params: projectIdParamsSchema,
    response: projectMembersSchema,
    handler: async ({ params, actor }) => ({ items: await listProjectMembers(deps.db, actor, params.id) }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/projects/:id/members',
    summary: '添加项目成员或修改其角色（通知新成员）',
    tag,
    params: projectIdParamsSchema,
    body: memberInputSchema,
    response: projectMembersSchema,
    status: 200,
    handler: async ({ params, body, actor }) => ({ items: await addProjectMember(deps.db, actor, params.id, body, momentOf(deps)) }),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/projects/:id/members/:userId',
    summary: '移除项目成员',
    tag,
    params: memberParamsSchema,
    response: projectMembersSchema,
    handler: async ({ params, actor }) => ({ items: await removeProjectMember(deps.db, actor, params.id, params.userId, momentOf(deps)) }),
  });

  registerProjectPlanRoutes(deps);
  registerProjectFileRoutes(deps);
  registerLibrarySupplyRoutes(deps);
  registerSubscriptionRoutes(deps);
}

