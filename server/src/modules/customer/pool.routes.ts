import { collaboratorInputSchema, customerSchema, okSchema, releaseRequestSchema, transferRequestSchema } from '@shared/api/customer.js';
import {
  collaborationDecisionSchema,
  collaborationRequestInputSchema,
  collaborationRequestListQuerySchema,
  collaborationRequestSchema,
} from '@shared/api/customer-collaboration.js';
import { idParamsSchema } from '@shared/api/org.js';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import { putSetting } from '../settings/settings.service.js';
import type { ModuleDeps } from '../module-deps.js';
import { addCollaborator, decideCollaborationRequest, listCollaborationRequests, removeCollaborator, requestCollaboration } from './collaborator.service.js';
import { claimCustomer, releaseCustomer, transferCustomer } from './pool.service.js';
import { upcomingPoolReturnsSchema } from '@shared/api/customer-pool.js';
import { listUpcomingPoolReturns } from './pool-return-schedule.js';
import { getPoolSettings, poolSettingsInputSchema, poolSettingsKey, poolSettingsSchema } from './pool.settings.js';

const tag = '客户归属与公海';

/** Static paths, registered before '/customers/:id'. */
export function registerPoolStaticRoutes(deps: ModuleDeps): void {
  const context = () => ({ now: deps.clock.now(), publicUrl: deps.config.PUBLIC_URL });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/pool-settings',
    summary: '公海规则：领取上限、未跟进自动退回天数（按客户类型）、提前提醒天数',
    tag,
    response: poolSettingsSchema,
    handler: () => getPoolSettings(deps.db),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/customers/pool-settings',
    summary: '修改公海规则（系统管理员）',
    tag,
    body: poolSettingsInputSchema,
    response: poolSettingsSchema,
    roles: ['admin'],
    handler: async ({ actor, body }) => {
      await putSetting(deps.db, poolSettingsKey, body, actor.id, deps.clock.now());
      return getPoolSettings(deps.db);
    },
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/pool-returns',
    summary: '我负责的、即将因未跟进退回公海的客户（提醒期内），最早退回的在前',
    tag,
    response: upcomingPoolReturnsSchema,
    handler: ({ actor }) => listUpcomingPoolReturns(deps.db, actor.id, deps.clock.now(), deps.config.TIME_ZONE),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/collaboration-requests',
    summary: '撞单后向负责人申请成为协作人（按录入的名称、信用代码或手机号匹配）',
    tag,
    body: collaborationRequestInputSchema,
    response: collaborationRequestSchema,
    idempotency: 'optional',
    handler: ({ actor, body }) => requestCollaboration(deps.db, actor, body, context()),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/customers/collaboration-requests',
    summary: '协作申请：收到的（我负责的客户）或发出的',
    tag,
    query: collaborationRequestListQuerySchema,
    response: z.array(collaborationRequestSchema),
    handler: ({ actor, query }) => listCollaborationRequests(deps.db, actor, query.box, query.status),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/collaboration-requests/:id/decision',
    summary: '同意或拒绝协作申请（负责人或主管）',
    tag,
    params: idParamsSchema,
    body: collaborationDecisionSchema,
    response: collaborationRequestSchema,
    status: 200,
    handler: ({ actor, params, body }) => decideCollaborationRequest(deps.db, actor, params.id, body, context()),
  });
}

export function registerPoolRoutes(deps: ModuleDeps): void {
  const context = () => ({ now: deps.clock.now(), publicUrl: deps.config.PUBLIC_URL });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/claim',
    summary: '从公海领取客户（超过名下客户上限时拒绝）',
    tag,
    params: idParamsSchema,
    response: customerSchema,
    status: 200,
    idempotency: 'optional',
    handler: ({ actor, params }) => claimCustomer(deps.db, actor, params.id, context()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/release',
    summary: '释放客户到公海（需填写原因）',
    tag,
    params: idParamsSchema,
    body: releaseRequestSchema,
    response: customerSchema,
    status: 200,
    handler: ({ actor, params, body }) => releaseCustomer(deps.db, actor, params.id, body.reason, context()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/transfer',
    summary: '主管分配或转移客户给部门内的销售（需填写原因）',
    tag,
    params: idParamsSchema,
    body: transferRequestSchema,
    response: customerSchema,
    status: 200,
    handler: ({ actor, params, body }) => transferCustomer(deps.db, actor, params.id, body, context()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/collaborators',
    summary: '添加协作人（负责人或主管）',
    tag,
    params: idParamsSchema,
    body: collaboratorInputSchema,
    response: customerSchema,
    status: 200,
    handler: ({ actor, params, body }) => addCollaborator(deps.db, actor, params.id, body, context()),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/customers/:id/collaborators/:userId',
    summary: '移除协作人（协作人也可以自己退出）',
    tag,
    params: z.object({ id: z.coerce.number().int().positive(), userId: z.coerce.number().int().positive() }),
    response: okSchema,
    handler: async ({ actor, params }) => {
      await removeCollaborator(deps.db, actor, params.id, params.userId, deps.clock.now());
      return { ok: true as const };
    },
  });
}
