import { z } from 'zod';
import { idParamsSchema } from '@shared/api/org.js';
import { createVisitPlanRequestSchema, teamViewQuerySchema, teamViewSchema, visitPlanListQuerySchema, visitPlanListSchema, visitPlanSchema } from '@shared/api/visit.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { getTeamView } from './team-view.service.js';
import { cancelVisitPlan, createVisitPlan, listVisitPlans } from './visit-plan.service.js';

const TAG = '拜访计划';

/** Visit plans and the managers' view of plans against actual visits. */
export function registerVisitPlanRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/visits/team',
    summary: '团队拜访：每位业务员每天的计划与实际拜访、覆盖客户数和异常签到（主管）',
    tag: TAG,
    query: teamViewQuerySchema,
    response: teamViewSchema,
    handler: ({ query, actor }) => getTeamView(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/visit-plans',
    summary: '拜访计划列表（按数据范围和日期）',
    tag: TAG,
    query: visitPlanListQuerySchema,
    response: visitPlanListSchema,
    handler: async ({ query, actor }) => ({ items: await listVisitPlans(deps.db, actor, query) }),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/visit-plans',
    summary: '安排拜访计划',
    tag: TAG,
    body: createVisitPlanRequestSchema,
    response: visitPlanSchema,
    idempotency: 'optional',
    handler: ({ body, actor }) => createVisitPlan(deps.db, actor, body, deps.clock.now(), deps.config.TIME_ZONE),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/visit-plans/:id/cancel',
    summary: '取消尚未拜访的计划',
    tag: TAG,
    params: idParamsSchema,
    body: z.object({}).optional(),
    status: 200,
    response: visitPlanSchema,
    handler: ({ params, actor }) => cancelVisitPlan(deps.db, actor, params.id, deps.clock.now()),
  });
}
