import { idParamsSchema, orgChartSchema, orgSyncResultSchema, setRolesRequestSchema } from '@shared/api/org.js';
import { defineRoute } from '../../http/define-route.js';
import { notFound } from '../../http/app-error.js';
import type { ModuleDeps } from '../module-deps.js';
import * as orgRepository from './org.repository.js';
import { applyOrgSnapshot, fetchOrgSnapshot, setUserRoles } from './org.service.js';
import { getCurrentUser } from '../auth/auth.service.js';
import { currentUserSchema } from '@shared/api/auth.js';

export function registerOrgRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/org',
    summary: '组织架构：部门和成员（含角色）',
    tag: '组织',
    response: orgChartSchema,
    handler: async () => {
      const platform = deps.config.PLATFORM;
      const [departments, users] = await Promise.all([orgRepository.listDepartments(deps.db, platform), orgRepository.listUsers(deps.db, platform)]);
      const members = await Promise.all(users.map((user) => getCurrentUser(deps.db, user.id)));
      return {
        departments: departments.map((department) => ({ id: department.id, name: department.name, parentId: department.parent_id })),
        users: members.map((member, index) => ({
          id: member.id,
          name: member.name,
          title: member.title,
          active: users[index]!.active === 1,
          roles: member.roles,
          departments: member.departments,
        })),
      };
    },
  });

  defineRoute(deps, {
    method: 'post',
    path: '/org/sync',
    summary: '立即从钉钉或企业微信同步组织架构（管理员）',
    tag: '组织',
    roles: ['admin'],
    status: 200,
    response: orgSyncResultSchema,
    handler: async () => {
      // The platform is read before the transaction opens: no network call may happen inside one.
      const snapshot = await fetchOrgSnapshot(deps.platform);
      return applyOrgSnapshot(deps.db, deps.config.PLATFORM, snapshot, deps.clock.now(), deps.logger);
    },
  });

  defineRoute(deps, {
    method: 'put',
    path: '/org/users/:id/roles',
    summary: '设置用户的角色（管理员），同步组织架构时保留',
    tag: '组织',
    roles: ['admin'],
    params: idParamsSchema,
    body: setRolesRequestSchema,
    response: currentUserSchema,
    handler: async ({ params, body, actor }) => {
      const user = await orgRepository.findUserById(deps.db, params.id);
      if (!user) throw notFound('用户');
      await setUserRoles(deps.db, actor, params.id, [...new Set(body.roles)], deps.clock.now());
      return getCurrentUser(deps.db, params.id);
    },
  });

}
